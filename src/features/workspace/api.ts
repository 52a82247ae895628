import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { createBusinessInput, moduleUpdateInput } from "./input";
import { configureModule, modulesForMember } from "./module-config";
import { createBusiness, getBusiness, listBusinessesOf } from "./service";

/** JSON under /api/businesses for scripts and module runtimes (the members are members-api.ts). */
export function businessApi() {
  return new Hono<AppEnv>()
    .post("/api/businesses", jsonBody(createBusinessInput), async (c) => {
      const { user } = requireUser(c);
      const business = await createBusiness(c.var.deps, user.id, c.req.valid("json"), requestMeta(c));
      return c.json({ business }, 201);
    })
    .get("/api/businesses", async (c) => {
      const { user } = requireUser(c);
      return c.json({ businesses: await listBusinessesOf(c.var.deps, user.id) });
    })
    .get("/api/businesses/:id", async (c) => {
      const { user } = requireUser(c);
      return c.json({ business: await getBusiness(c.var.deps, user.id, c.req.param("id")) });
    })
    .get("/api/businesses/:id/modules", async (c) => {
      const { user } = requireUser(c);
      return c.json({ modules: await modulesForMember(c.var.deps, user.id, c.req.param("id"), c.var.requestId) });
    })
    .put("/api/businesses/:id/modules/:moduleId", jsonBody(moduleUpdateInput), async (c) => {
      const { user } = requireUser(c);
      const module = await configureModule(c.var.deps, user.id, c.req.param("id"), c.req.param("moduleId"), c.req.valid("json"), requestMeta(c));
      return c.json({ module });
    });
}
