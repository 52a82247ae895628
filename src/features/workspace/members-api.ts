import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { requireMembership } from "./access";
import { bulkMembersInput, memberPatchInput } from "./input";
import { bulkRemoveMembers, bulkUpdateMembers, listMembers, removeMember, updateMember } from "./members";

/**
 * JSON under /api/businesses/:id/members (mounted by businessApi). The caller must belong to the
 * business before anything else is read — not even the body — so every route of a business one is
 * not in answers 404, exactly like one that does not exist.
 */
export function membersApi() {
  return new Hono<AppEnv>()
    .use(async (c, next) => {
      const { user } = requireUser(c);
      await requireMembership(c.var.deps.db, user.id, c.req.param("id")!);
      await next();
    })
    .get("/", async (c) => {
      const { user } = requireUser(c);
      return c.json({ members: await listMembers(c.var.deps, user.id, c.req.param("id")!) });
    })
    .post("/bulk", jsonBody(bulkMembersInput), async (c) => {
      const { user } = requireUser(c);
      const { action, rows } = c.req.valid("json");
      const run = action === "update" ? bulkUpdateMembers : bulkRemoveMembers;
      return c.json(await run(c.var.deps, user.id, c.req.param("id")!, rows, requestMeta(c)));
    })
    .patch("/:userId", jsonBody(memberPatchInput), async (c) => {
      const { user } = requireUser(c);
      const member = await updateMember(c.var.deps, user.id, c.req.param("id")!, c.req.param("userId"), c.req.valid("json"), requestMeta(c));
      return c.json({ member });
    })
    .delete("/:userId", async (c) => {
      const { user } = requireUser(c);
      await removeMember(c.var.deps, user.id, c.req.param("id")!, c.req.param("userId"), requestMeta(c));
      return c.body(null, 204);
    });
}
