import { and, desc, eq, gt } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Tx } from "../../db/types";
import { newId, randomToken, sha256Hex } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { users } from "../auth";
import { householdMemberEmails } from "../households";
import type { MailDelivery } from "../mailer";
import { businessMemberEmails, listUnits, type Unit } from "../workspace";
import { sendingBudget, spendBudget } from "./sending-limits";
import { invitationLink, invitationMessage } from "./email";
import type { RawRow } from "./parse";
import { checkRow, unitMap, type RowContext, type RowError } from "./rows";
import { invitations, type InvitationRow } from "./schema";
import { manageScope, type InviteScope, type ScopeKind } from "./scope";
import { rateLimited } from "../ratelimit";

export interface InvitationSummary {
  id: string;
  email: string;
  role: string;
  department: string | null;
  position: string | null;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
}

export interface RowResult {
  line: number;
  email: string;
  ok: boolean;
  errors: RowError[];
  invitation?: InvitationSummary;
  mail?: Pick<MailDelivery, "status" | "error">;
}

export interface BatchResult {
  created: number;
  failed: number;
  rows: RowResult[];
}

export interface Actor {
  id: string;
  name: string;
}

const scopeColumn = (kind: ScopeKind) => (kind === "business" ? invitations.businessId : invitations.householdId);
const ttl = (deps: Pick<Deps, "config">) => deps.config.INVITATION_TTL_HOURS * 3600_000;

async function unitsOf(deps: Pick<Deps, "db">, scope: InviteScope) {
  if (scope.kind !== "business") return { departments: new Map<string, Unit>(), positions: new Map<string, Unit>() };
  const [departments, positions] = await Promise.all([listUnits(deps, scope.id, "department"), listUnits(deps, scope.id, "position")]);
  return { departments: unitMap(departments), positions: unitMap(positions) };
}

function memberEmails(tx: Tx, scope: InviteScope): Promise<Set<string>> {
  return scope.kind === "household" ? householdMemberEmails(tx, scope.id) : businessMemberEmails(tx, scope.id);
}

async function pendingEmails(tx: Tx, scope: InviteScope, now: number): Promise<Set<string>> {
  const rows = await tx
    .select({ email: invitations.email })
    .from(invitations)
    .where(and(eq(scopeColumn(scope.kind), scope.id), eq(invitations.status, "pending"), gt(invitations.expiresAt, now)));
  return new Set(rows.map((row) => row.email));
}

function summarize(row: InvitationRow, names: Map<string, string>, inviter: string | null, now: number): InvitationSummary {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    department: row.departmentId ? (names.get(row.departmentId) ?? null) : null,
    position: row.positionId ? (names.get(row.positionId) ?? null) : null,
    invitedBy: inviter,
    createdAt: new Date(row.createdAt).toISOString(),
    expiresAt: new Date(row.expiresAt).toISOString(),
    expired: row.expiresAt <= now,
  };
}

/**
 * Validates every row on its own, creates the valid ones together in one transaction (each
 * audited), then emails each link through the mailer. A mail failure never undoes an invitation:
 * the row says so, and the outbox keeps the error.
 */
export async function inviteRows(
  deps: Deps,
  actor: Actor,
  scope: InviteScope,
  raws: RawRow[],
  options: { defaultRole?: string; baseUrl: string },
  meta: RequestMeta,
): Promise<BatchResult> {
  const units = await unitsOf(deps, scope);
  const names = new Map([...units.departments.values(), ...units.positions.values()].map((u) => [u.id, u.name]));
  const defaultRole = options.defaultRole?.trim().toLowerCase() || scope.defaultRole;
  const plan = await deps.entitlements.limits(`${scope.kind}:${scope.id}`);
  const { results, created } = await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const ctx: RowContext = { scope, defaultRole, ...units, members: await memberEmails(tx, scope), pending: await pendingEmails(tx, scope, now), seen: new Map() };
    const results: RowResult[] = [];
    const created: { result: RowResult; row: InvitationRow; token: string }[] = [];
    const budget = await sendingBudget(tx, deps.config, now, actor.id, scope);
    for (const raw of raws) {
      const checked = checkRow(raw, ctx);
      if (!checked.ok) {
        results.push({ line: raw.line, email: raw.email, ok: false, errors: checked.errors });
        continue;
      }
      // Open invitations hold a seat each: the plan's member limit counts members and invitations alike.
      const seatsTaken = ctx.members.size + ctx.pending.size + created.length;
      if (seatsTaken >= plan.seats) {
        const message = `The ${plan.plan.name} plan allows ${plan.seats} members; ${scope.name} has ${ctx.members.size} and ${ctx.pending.size + created.length} open invitations. An owner or admin can move to a bigger plan on the billing page.`;
        results.push({ line: raw.line, email: raw.email, ok: false, errors: [{ field: "row", code: "seat_limit", message }] });
        continue;
      }
      if (created.length >= budget.left) {
        results.push({ line: raw.line, email: raw.email, ok: false, errors: [{ field: "row", code: "rate_limited", message: budget.reason }] });
        continue;
      }
      const token = randomToken(20);
      const { email, role, department, position } = checked.row;
      const row: InvitationRow = {
        id: newId(),
        businessId: scope.kind === "business" ? scope.id : null,
        householdId: scope.kind === "household" ? scope.id : null,
        email,
        role,
        departmentId: department?.id ?? null,
        positionId: position?.id ?? null,
        tokenHash: sha256Hex(token),
        invitedBy: actor.id,
        status: "pending",
        createdAt: now,
        expiresAt: now + ttl(deps),
        respondedAt: null,
        respondedBy: null,
      };
      await tx.insert(invitations).values(row);
      await recordAudit(tx, now, meta, {
        actorUserId: actor.id,
        action: "invitation.create",
        targetType: scope.kind,
        targetId: scope.id,
        details: { invitationId: row.id, email, role, department: department?.name ?? null, position: position?.name ?? null },
      });
      const result: RowResult = { line: raw.line, email, ok: true, errors: [], invitation: summarize(row, names, actor.name, now) };
      results.push(result);
      created.push({ result, row, token });
    }
    await spendBudget(tx, budget, now, created.length);
    return { results, created };
  });
  for (const { result, row, token } of created) {
    result.mail = await sendInvitation(deps, scope, actor.name, row, token, names, options.baseUrl);
  }
  return { created: created.length, failed: results.length - created.length, rows: results };
}

async function sendInvitation(deps: Deps, scope: InviteScope, inviterName: string, row: InvitationRow, token: string, names: Map<string, string>, baseUrl: string) {
  const message = invitationMessage({
    to: row.email,
    kind: scope.kind,
    placeName: scope.name,
    inviterName,
    role: row.role,
    department: row.departmentId ? (names.get(row.departmentId) ?? null) : null,
    position: row.positionId ? (names.get(row.positionId) ?? null) : null,
    link: invitationLink(baseUrl, token),
    expiresAt: row.expiresAt,
  });
  try {
    const delivery = await deps.mailer.send(message, scope.kind === "business" ? { businessId: scope.id } : { householdId: scope.id });
    return { status: delivery.status, error: delivery.error };
  } catch (error) {
    // Even the outbox write failed: the invitation stands, and can be sent again.
    deps.log({ level: "error", msg: "invitation mail not recorded", invitationId: row.id, error: String(error) });
    return { status: "failed" as const, error: "The message could not be recorded; send it again." };
  }
}

/** Pending invitations of a place, newest first (expired ones flagged, so they can be sent again or revoked). */
export async function listPending(deps: Pick<Deps, "db" | "now">, scope: InviteScope): Promise<InvitationSummary[]> {
  const [rows, units] = await Promise.all([
    deps.db
      .select({ invitation: invitations, inviter: users.name })
      .from(invitations)
      .leftJoin(users, eq(users.id, invitations.invitedBy))
      .where(and(eq(scopeColumn(scope.kind), scope.id), eq(invitations.status, "pending")))
      .orderBy(desc(invitations.createdAt)),
    unitsOf(deps, scope),
  ]);
  const names = new Map([...units.departments.values(), ...units.positions.values()].map((u) => [u.id, u.name]));
  const now = deps.now();
  return rows.map((row) => summarize(row.invitation, names, row.inviter, now));
}

export async function pendingInvitations(deps: Deps, userId: string, kind: ScopeKind, id: string) {
  const scope = await manageScope(deps, userId, kind, id);
  return { scope, invitations: await listPending(deps, scope) };
}

const noSuchInvitation = () => new AppError(404, "not_found", "There is no such pending invitation here.");

/** Revokes a pending invitation of this place: its link stops working at once. Audited. */
export async function revokeInvitation(deps: Deps, userId: string, kind: ScopeKind, id: string, invitationId: string, meta: RequestMeta): Promise<void> {
  const scope = await manageScope(deps, userId, kind, id);
  await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const [row] = await tx
      .update(invitations)
      .set({ status: "revoked", respondedAt: now, respondedBy: userId })
      .where(and(eq(invitations.id, invitationId), eq(scopeColumn(kind), scope.id), eq(invitations.status, "pending")))
      .returning();
    if (!row) throw noSuchInvitation();
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "invitation.revoke", targetType: kind, targetId: scope.id, details: { invitationId, email: row.email, role: row.role } });
  });
}

/** A new link (the old one stops working) with a fresh expiry, emailed again. Audited. */
export async function resendInvitation(deps: Deps, actor: Actor, kind: ScopeKind, id: string, invitationId: string, baseUrl: string, meta: RequestMeta) {
  const scope = await manageScope(deps, actor.id, kind, id);
  const token = randomToken(20);
  const row = await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const budget = await sendingBudget(tx, deps.config, now, actor.id, scope);
    if (budget.left < 1) throw rateLimited(budget.reason, 3600);
    const [row] = await tx
      .update(invitations)
      .set({ tokenHash: sha256Hex(token), expiresAt: now + ttl(deps) })
      .where(and(eq(invitations.id, invitationId), eq(scopeColumn(kind), scope.id), eq(invitations.status, "pending")))
      .returning();
    if (!row) throw noSuchInvitation();
    await recordAudit(tx, now, meta, { actorUserId: actor.id, action: "invitation.resend", targetType: kind, targetId: scope.id, details: { invitationId, email: row.email } });
    await spendBudget(tx, budget, now, 1);
    return row;
  });
  const units = await unitsOf(deps, scope);
  const names = new Map([...units.departments.values(), ...units.positions.values()].map((u) => [u.id, u.name]));
  return { email: row.email, mail: await sendInvitation(deps, scope, actor.name, row, token, names, baseUrl) };
}
