import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { moduleGate } from "./module-gate";
import { bulkMembersInput, memberPatchInput } from "./input";
import { bulkRemoveMembers, bulkUpdateMembers, listMembers, removeMember, updateMember } from "./members";

/**
 * JSON under /api/businesses/:id/members (…/members/invitations is the invitations feature's). The caller must belong to the
 * business before anything else is read — not even the body — so every route of a business one is
 * not in answers 404, exactly like one that does not exist.
 */
export function membersApi() {
  return new Hono<AppEnv>()
    // The members module's data: refused to whoever the module is hidden from, like its tab.
    .use("/api/businesses/:id/members", moduleGate("members"))
    .use("/api/businesses/:id/members/*", moduleGate("members"))
    .get("/api/businesses/:id/members", async (c) => {
      const { user } = requireUser(c);
      return c.json({ members: await listMembers(c.var.deps, user.id, c.req.param("id")!) });
    })
    .post("/api/businesses/:id/members/bulk", jsonBody(bulkMembersInput), async (c) => {
      const { user } = requireUser(c);
      const { action, rows } = c.req.valid("json");
      const run = action === "update" ? bulkUpdateMembers : bulkRemoveMembers;
      return c.json(await run(c.var.deps, user.id, c.req.param("id")!, rows, requestMeta(c)));
    })
    .patch("/api/businesses/:id/members/:userId", jsonBody(memberPatchInput), async (c) => {
      const { user } = requireUser(c);
      const member = await updateMember(c.var.deps, user.id, c.req.param("id")!, c.req.param("userId"), c.req.valid("json"), requestMeta(c));
      return c.json({ member });
    })
    .delete("/api/businesses/:id/members/:userId", async (c) => {
      const { user } = requireUser(c);
      await removeMember(c.var.deps, user.id, c.req.param("id")!, c.req.param("userId"), requestMeta(c));
      return c.body(null, 204);
    });
}
