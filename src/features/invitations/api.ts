import { publicLink } from "../../config";
import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { validationError } from "../../lib/errors";
import { inviteJsonInput, rowsFromJson, type InviteJsonInput } from "./input";
import { manageScope, type ScopeKind } from "./scope";
import { inviteRows, listPending, resendInvitation, revokeInvitation } from "./service";
import { moduleGate } from "../workspace";

/** Where links in emails point: PUBLIC_URL (development: this machine), never the request's Host header. */
export function baseUrlOf(c: AppContext): string {
  return publicLink(c.var.deps.config, "/").replace(/\/$/, "");
}

/** POST: one result per row; 201 when anything was created, 422 when every row was refused. */
async function invite(c: AppContext, kind: ScopeKind, input: InviteJsonInput) {
  const { user } = requireUser(c);
  const scope = await manageScope(c.var.deps, user.id, kind, c.req.param("id")!);
  const parsed = rowsFromJson(input);
  if (!parsed.ok) throw validationError({ text: [parsed.message] }, parsed.message);
  const result = await inviteRows(c.var.deps, user, scope, parsed.rows, { defaultRole: input.defaultRole ?? undefined, baseUrl: baseUrlOf(c) }, requestMeta(c));
  return c.json(result, result.created > 0 ? 201 : 422);
}

async function list(c: AppContext, kind: ScopeKind) {
  const { user } = requireUser(c);
  const scope = await manageScope(c.var.deps, user.id, kind, c.req.param("id")!);
  return c.json({ invitations: await listPending(c.var.deps, scope) });
}

async function revoke(c: AppContext, kind: ScopeKind) {
  const { user } = requireUser(c);
  await revokeInvitation(c.var.deps, user.id, kind, c.req.param("id")!, c.req.param("invitationId")!, requestMeta(c));
  return c.body(null, 204);
}

async function resend(c: AppContext, kind: ScopeKind) {
  const { user } = requireUser(c);
  const sent = await resendInvitation(c.var.deps, user, kind, c.req.param("id")!, c.req.param("invitationId")!, baseUrlOf(c), requestMeta(c));
  return c.json(sent);
}

/** The same four endpoints for a business (under …/members/invitations) and a household. */
export function invitationApis() {
  const members = moduleGate("members");
  return new Hono<AppEnv>()
    .use("/api/businesses/:id/members/invitations", members)
    .use("/api/businesses/:id/members/invitations/*", members)
    .post("/api/businesses/:id/members/invitations", jsonBody(inviteJsonInput), (c) => invite(c, "business", c.req.valid("json")))
    .get("/api/businesses/:id/members/invitations", (c) => list(c, "business"))
    .delete("/api/businesses/:id/members/invitations/:invitationId", (c) => revoke(c, "business"))
    .post("/api/businesses/:id/members/invitations/:invitationId/resend", (c) => resend(c, "business"))
    .post("/api/households/:id/invitations", jsonBody(inviteJsonInput), (c) => invite(c, "household", c.req.valid("json")))
    .get("/api/households/:id/invitations", (c) => list(c, "household"))
    .delete("/api/households/:id/invitations/:invitationId", (c) => revoke(c, "household"))
    .post("/api/households/:id/invitations/:invitationId/resend", (c) => resend(c, "household"));
}
