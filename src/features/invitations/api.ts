import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { validationError } from "../../lib/errors";
import { inviteJsonInput, rowsFromJson } from "./input";
import { manageScope, type ScopeKind } from "./scope";
import { inviteRows, listPending, resendInvitation, revokeInvitation } from "./service";

/** Where links in emails point: PUBLIC_URL when set, else the origin this request came to. */
export function baseUrlOf(c: AppContext): string {
  return c.var.deps.config.PUBLIC_URL ?? new URL(c.req.url).origin;
}

/** The same four endpoints for a business (under …/members/invitations) and a household. */
function invitationApi(kind: ScopeKind) {
  return new Hono<AppEnv>()
    .post("/", jsonBody(inviteJsonInput), async (c) => {
      const { user } = requireUser(c);
      const scope = await manageScope(c.var.deps, user.id, kind, c.req.param("id")!);
      const input = c.req.valid("json");
      const parsed = rowsFromJson(input);
      if (!parsed.ok) throw validationError({ text: [parsed.message] }, parsed.message);
      const result = await inviteRows(c.var.deps, user, scope, parsed.rows, { defaultRole: input.defaultRole ?? undefined, baseUrl: baseUrlOf(c) }, requestMeta(c));
      // 201 when anything was created; 422 when every row was refused. Either way, one result per row.
      return c.json(result, result.created > 0 ? 201 : 422);
    })
    .get("/", async (c) => {
      const { user } = requireUser(c);
      const scope = await manageScope(c.var.deps, user.id, kind, c.req.param("id")!);
      return c.json({ invitations: await listPending(c.var.deps, scope) });
    })
    .delete("/:invitationId", async (c) => {
      const { user } = requireUser(c);
      await revokeInvitation(c.var.deps, user.id, kind, c.req.param("id")!, c.req.param("invitationId"), requestMeta(c));
      return c.body(null, 204);
    })
    .post("/:invitationId/resend", async (c) => {
      const { user } = requireUser(c);
      const sent = await resendInvitation(c.var.deps, user, kind, c.req.param("id")!, c.req.param("invitationId"), baseUrlOf(c), requestMeta(c));
      return c.json(sent);
    });
}

export function invitationApis() {
  return new Hono<AppEnv>()
    .route("/api/businesses/:id/members/invitations", invitationApi("business"))
    .route("/api/households/:id/invitations", invitationApi("household"));
}
