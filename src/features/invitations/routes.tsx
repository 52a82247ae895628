import { Hono } from "hono";
import { InvitationsPage, InvitationsPanel, type InvitationsPanelProps } from "../../../views/invitations/InvitationsPage";
import type { FieldErrors } from "../../../views/components/Field";
import { redirectAfterPost, render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { listUnits } from "../workspace";
import { baseUrlOf } from "./api";
import { MAX_FILE_BYTES } from "./input";
import { decodeTextFile, parseList } from "./parse";
import { manageScope, type InviteScope, type ScopeKind } from "./scope";
import { inviteRows, listPending, resendInvitation, revokeInvitation } from "./service";
import { moduleGate } from "../workspace";

const DONE: Record<string, { kind: "error" | "success"; text: string }> = {
  revoked: { kind: "success", text: "The invitation is revoked: its link no longer works." },
  "resent-sent": { kind: "success", text: "A new link was emailed; the old one no longer works." },
  "resent-outbox": { kind: "success", text: "A new link is in the outbox; the old one no longer works." },
  "resent-failed": { kind: "error", text: "A new link was made, but the email could not be sent: the outbox says why." },
};

// Browsers label CSV files in many ways; the content check (UTF-8 text) is what decides.
const FILE_TYPES = /^(text\/|application\/(csv|vnd\.ms-excel|octet-stream)$|$)/;

async function panelProps(c: AppContext, scope: InviteScope): Promise<InvitationsPanelProps> {
  const [pending, departments, positions] = await Promise.all([
    listPending(c.var.deps, scope),
    scope.kind === "business" ? listUnits(c.var.deps, scope.id, "department") : [],
    scope.kind === "business" ? listUnits(c.var.deps, scope.id, "position") : [],
  ]);
  return {
    scope,
    pending,
    departments: departments.map((u) => u.name),
    positions: positions.map((u) => u.name),
    smtp: c.var.deps.mailer.transport === "smtp",
  };
}

function show(c: AppContext, props: InvitationsPanelProps, status: 200 | 422 = 200) {
  return render(c, { title: `Invitations · ${props.scope.name}`, status, fragment: <InvitationsPanel {...props} />, page: () => <InvitationsPage {...props} /> });
}

/** Reads the pasted text or the uploaded file; a file must be text, at most 1 MB, with a header line. */
async function readList(c: AppContext) {
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const text = typeof body.text === "string" ? body.text : "";
  const defaultRole = typeof body.defaultRole === "string" ? body.defaultRole : "";
  const file = body.file instanceof File && body.file.size > 0 ? body.file : null;
  const values = { text, defaultRole };
  const fail = (errors: FieldErrors) => ({ ok: false as const, values, errors });
  if (file && text.trim()) return fail({ _form: ["Paste a list or upload a file, not both."] });
  if (file) {
    if (file.size > MAX_FILE_BYTES) return fail({ file: ["The file is larger than 1 MB."] });
    const content = FILE_TYPES.test(file.type) ? decodeTextFile(new Uint8Array(await file.arrayBuffer())) : null;
    if (content === null) return fail({ file: ["That file is not a text (CSV) file."] });
    const parsed = parseList(content, { requireHeader: true });
    return parsed.ok ? { ok: true as const, values, rows: parsed.rows } : fail({ file: [parsed.message] });
  }
  if (!text.trim()) return fail({ text: ["Enter at least one email address, or choose a CSV file."] });
  const parsed = parseList(text);
  return parsed.ok ? { ok: true as const, values, rows: parsed.rows } : fail({ text: [parsed.message] });
}

const listHref = (c: AppContext, kind: ScopeKind) => `/${kind}/${c.req.param("id")}/invitations`;

/** The invite page, with `?done=` said after a revoke or resend. */
async function showPage(c: AppContext, kind: ScopeKind) {
  const { user } = requireUser(c);
  const scope = await manageScope(c.var.deps, user.id, kind, c.req.param("id")!);
  return show(c, { ...(await panelProps(c, scope)), message: DONE[c.req.query("done") ?? ""] ?? null });
}

/** The pasted list or CSV file: every row's result, and the lines that failed kept to fix and send again. */
async function invite(c: AppContext, kind: ScopeKind) {
  const { user } = requireUser(c);
  const scope = await manageScope(c.var.deps, user.id, kind, c.req.param("id")!);
  const list = await readList(c);
  if (!list.ok) return show(c, { ...(await panelProps(c, scope)), values: list.values, errors: list.errors }, 422);
  const result = await inviteRows(c.var.deps, user, scope, list.rows, { defaultRole: list.values.defaultRole, baseUrl: baseUrlOf(c) }, requestMeta(c));
  // Keep only the pasted lines that failed, ready to be fixed and sent again.
  const lines = list.values.text.split(/\r\n|\r|\n/);
  const failed = result.rows.filter((row) => !row.ok).map((row) => lines[row.line - 1] ?? "");
  return show(c, { ...(await panelProps(c, scope)), values: { ...list.values, text: failed.join("\n") }, result });
}

async function revoke(c: AppContext, kind: ScopeKind) {
  const { user } = requireUser(c);
  await revokeInvitation(c.var.deps, user.id, kind, c.req.param("id")!, c.req.param("invitationId")!, requestMeta(c));
  return redirectAfterPost(c, `${listHref(c, kind)}?done=revoked`);
}

async function resend(c: AppContext, kind: ScopeKind) {
  const { user } = requireUser(c);
  const sent = await resendInvitation(c.var.deps, user, kind, c.req.param("id")!, c.req.param("invitationId")!, baseUrlOf(c), requestMeta(c));
  return redirectAfterPost(c, `${listHref(c, kind)}?done=resent-${sent.mail.status}`);
}

/** The invite pages of a business (admins and owners) and of a household (owners and adults). */
export function invitationPages() {
  // A business's invitations are the members module's: refused like its tab to whoever it is hidden from.
  const members = moduleGate("members");
  return new Hono<AppEnv>()
    .use("/business/:id/invitations", members)
    .use("/business/:id/invitations/*", members)
    .get("/business/:id/invitations", (c) => showPage(c, "business"))
    .post("/business/:id/invitations", (c) => invite(c, "business"))
    .post("/business/:id/invitations/:invitationId/revoke", (c) => revoke(c, "business"))
    .post("/business/:id/invitations/:invitationId/resend", (c) => resend(c, "business"))
    .get("/household/:id/invitations", (c) => showPage(c, "household"))
    .post("/household/:id/invitations", (c) => invite(c, "household"))
    .post("/household/:id/invitations/:invitationId/revoke", (c) => revoke(c, "household"))
    .post("/household/:id/invitations/:invitationId/resend", (c) => resend(c, "household"));
}
