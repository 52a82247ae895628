import { Hono } from "hono";
import { requireUser } from "../../http/session";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { createBusinessInput } from "./input";
import { createBusiness, getBusiness, listBusinessesOf } from "./service";

/** JSON under /api/businesses for scripts and module runtimes. */
export function businessApi() {
  return new Hono<AppEnv>()
    .post("/", jsonBody(createBusinessInput), async (c) => {
      const { user } = requireUser(c);
      const business = await createBusiness(c.var.deps, user.id, c.req.valid("json"), requestMeta(c));
      return c.json({ business }, 201);
    })
    .get("/", async (c) => {
      const { user } = requireUser(c);
      return c.json({ businesses: await listBusinessesOf(c.var.deps, user.id) });
    })
    .get("/:id", async (c) => {
      const { user } = requireUser(c);
      return c.json({ business: await getBusiness(c.var.deps, user.id, c.req.param("id")) });
    });
}
