import { Hono } from "hono";
import { z } from "zod";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { requireMembership } from "./access";
import { memberPatchInput } from "./member-rules";
import { bulkRemoveMembers, bulkUpdateMembers, listMembers, MAX_BULK_ROWS, removeMember, updateMember } from "./members";

const bulkInput = z
  .object({
    action: z.enum(["update", "remove"], { error: 'The action is "update" or "remove".' }),
    rows: z
      .array(z.unknown(), { error: "Give the rows as a list." })
      .min(1, "Give at least one row.")
      .max(MAX_BULK_ROWS, `At most ${MAX_BULK_ROWS} rows at once.`),
  })
  .strict();

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
    .post("/bulk", jsonBody(bulkInput), async (c) => {
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
