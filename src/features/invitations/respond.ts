// The invitee's side: look an invitation up by its link (or, signed in, by id), accept or decline it.
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import { sha256Hex } from "../../lib/crypto";
import { recordAudit, type RequestMeta } from "../audit";
import { users, type PublicUser } from "../auth";
import { addHouseholdMember, householdMemberEmails, householdNames, type HouseholdRole } from "../households";
import { addBusinessMember, businessMemberEmails, businessNames, type BusinessRole } from "../workspace";
import { invitations, type InvitationRow } from "./schema";
import type { ScopeKind } from "./scope";

export type InvitationState = "pending" | "accepted" | "declined" | "revoked" | "expired";

export interface InvitationDetails {
  id: string;
  kind: ScopeKind;
  placeId: string;
  placeName: string;
  email: string;
  role: string;
  department: string | null;
  position: string | null;
  invitedBy: string | null;
  expiresAt: string;
  state: InvitationState;
}

/** How the invitee reaches an invitation: the emailed link, or its id from /home (signed in, verified address). */
export type InvitationRef = { token: string } | { id: string };

/** "full": the place's plan has no seat left (after a downgrade); the invitation stays open for when it has. */
export type Refusal = "invalid" | "wrong_account" | "unverified" | "full" | Exclude<InvitationState, "pending">;
export type Outcome = { ok: true; details: InvitationDetails; alreadyMember: boolean } | { ok: false; reason: Refusal; details: InvitationDetails | null };

const TOKEN = /^[a-z2-7]{16,64}$/;

function whereRef(ref: InvitationRef): SQL | null {
  if ("token" in ref) return TOKEN.test(ref.token) ? eq(invitations.tokenHash, sha256Hex(ref.token)) : null;
  return eq(invitations.id, ref.id);
}

/** Where an invitation points, by id. */
type PlaceRef = { businessId: string | null; householdId: string | null; departmentId?: string | null; positionId?: string | null };

/**
 * The names a list of invitations shows, asked of the places' owners by id: one statement for the
 * businesses (with their departments and positions) and one for the households, none for no ids.
 */
async function placeNames(db: Db | Tx, refs: PlaceRef[]) {
  const ids = (pick: (ref: PlaceRef) => string | null | undefined) => refs.flatMap((ref) => pick(ref) ?? []);
  const [business, households] = await Promise.all([
    businessNames(db, { businesses: ids((r) => r.businessId), departments: ids((r) => r.departmentId), positions: ids((r) => r.positionId) }),
    householdNames(db, ids((r) => r.householdId)),
  ]);
  const name = (map: Map<string, string>, id: string | null | undefined) => (id ? (map.get(id) ?? null) : null);
  return {
    place: (ref: PlaceRef) => (ref.businessId !== null ? name(business.businesses, ref.businessId) : name(households, ref.householdId)),
    department: (ref: PlaceRef) => name(business.departments, ref.departmentId),
    position: (ref: PlaceRef) => name(business.positions, ref.positionId),
  };
}

async function load(db: Db | Tx, where: SQL, now: number): Promise<{ row: InvitationRow; details: InvitationDetails } | null> {
  const [found] = await db
    .select({ row: invitations, inviter: users.name })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(where)
    .limit(1);
  if (!found) return null;
  const { row } = found;
  const names = await placeNames(db, [row]);
  const kind: ScopeKind = row.businessId ? "business" : "household";
  const state: InvitationState = row.status === "pending" && row.expiresAt <= now ? "expired" : row.status;
  return {
    row,
    details: {
      id: row.id,
      kind,
      placeId: (row.businessId ?? row.householdId)!,
      placeName: names.place(row) ?? "",
      email: row.email,
      role: row.role,
      department: names.department(row),
      position: names.position(row),
      invitedBy: found.inviter,
      expiresAt: new Date(row.expiresAt).toISOString(),
      state,
    },
  };
}

/**
 * What an invitation link (or a signed-in invitee's id) shows: the details, or why it cannot be
 * used. By id, only the invitee's own invitations are found.
 */
export async function lookupInvitation(deps: Pick<Deps, "db" | "now">, ref: InvitationRef, viewer: PublicUser | null): Promise<InvitationDetails | null> {
  const where = whereRef(ref);
  if (!where) return null;
  const found = await load(deps.db, where, deps.now());
  if (!found) return null;
  // By id (from /home), only a confirmed owner of the address finds it.
  if ("id" in ref && (found.row.email !== viewer?.email.toLowerCase() || !viewer.emailVerified)) return null;
  return found.details;
}

/** Why this viewer may not answer this invitation, or null when they may. */
export function refusalFor(details: InvitationDetails, viewer: PublicUser, ref: InvitationRef): Refusal | null {
  if (details.state !== "pending") return details.state;
  if (details.email !== viewer.email.toLowerCase()) return "wrong_account";
  // An account can be registered with anyone's address: only one whose address is confirmed may
  // answer, or see what the invitation is, link or no link.
  if (!viewer.emailVerified) return "unverified";
  return null;
}

/**
 * Accepts (creating the membership with the invited role, department and position) or declines,
 * in one transaction with the invitation's update, which happens only once. Audited.
 */
export async function respondToInvitation(deps: Deps, viewer: PublicUser, ref: InvitationRef, action: "accept" | "decline", meta: RequestMeta): Promise<Outcome> {
  const where = whereRef(ref);
  if (!where) return { ok: false, reason: "invalid", details: null };
  // The plan's member limit, read first (no reads of other connections inside the write transaction).
  const [place] = action === "accept" ? await deps.db.select({ businessId: invitations.businessId, householdId: invitations.householdId }).from(invitations).where(where).limit(1) : [];
  const plan = place ? await deps.entitlements.limits(place.businessId ? `business:${place.businessId}` : `household:${place.householdId}`) : null;
  return writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const found = await load(tx, where, now);
    if (!found || ("id" in ref && found.row.email !== viewer.email.toLowerCase())) return { ok: false, reason: "invalid", details: null };
    const { row, details } = found;
    const refusal = refusalFor(details, viewer, ref);
    if (refusal) return { ok: false, reason: refusal, details };
    if (plan) {
      const members = row.businessId ? await businessMemberEmails(tx, row.businessId) : await householdMemberEmails(tx, row.householdId!);
      if (!members.has(viewer.email.toLowerCase()) && members.size >= plan.seats) return { ok: false, reason: "full", details };
    }
    const status = action === "accept" ? "accepted" : "declined";
    const updated = await tx
      .update(invitations)
      .set({ status, respondedAt: now, respondedBy: viewer.id })
      .where(and(eq(invitations.id, row.id), eq(invitations.status, "pending"), gt(invitations.expiresAt, now)))
      .returning({ id: invitations.id });
    if (updated.length === 0) return { ok: false, reason: "accepted", details };
    let alreadyMember = false;
    if (action === "accept") {
      if (row.businessId) {
        alreadyMember = !(await addBusinessMember(tx, deps, {
          businessId: row.businessId,
          userId: viewer.id,
          role: row.role as BusinessRole,
          departmentId: row.departmentId,
          positionId: row.positionId,
          joinedAt: now,
        }));
      } else {
        alreadyMember = !(await addHouseholdMember(tx, deps, { householdId: row.householdId!, userId: viewer.id, role: row.role as HouseholdRole, joinedAt: now }));
      }
    }
    await recordAudit(tx, now, meta, {
      actorUserId: viewer.id,
      action: `invitation.${action}`,
      targetType: details.kind,
      targetId: details.placeId,
      details: { invitationId: row.id, email: row.email, role: row.role, alreadyMember },
    });
    return { ok: true, details: { ...details, state: status }, alreadyMember };
  });
}

export interface PendingForUser {
  id: string;
  kind: ScopeKind;
  placeName: string;
  role: string;
  /** A sentence for the /home attention list. */
  text: string;
  href: string;
}

/** The live invitations waiting for this address, oldest first, for the Personal card on /home. */
export async function pendingInvitationsFor(deps: Pick<Deps, "db" | "now">, email: string): Promise<PendingForUser[]> {
  const rows = await deps.db
    .select({ id: invitations.id, role: invitations.role, businessId: invitations.businessId, householdId: invitations.householdId, inviter: users.name })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.email, email.toLowerCase()), eq(invitations.status, "pending"), gt(invitations.expiresAt, deps.now())))
    .orderBy(asc(invitations.createdAt))
    .limit(20);
  if (!rows.length) return [];
  const names = await placeNames(deps.db, rows);
  return rows.map((row) => {
    const kind: ScopeKind = row.businessId !== null ? "business" : "household";
    const placeName = names.place(row) ?? "";
    const by = row.inviter ? ` from ${row.inviter}` : "";
    return { id: row.id, kind, placeName, role: row.role, text: `Invitation${by} to join ${placeName} as ${row.role}`, href: `/invitations/received/${row.id}` };
  });
}

/** The same, by user id (for callers that hold only the id, like the /home cards). */
export async function pendingInvitationsForUser(deps: Pick<Deps, "db" | "now">, userId: string): Promise<PendingForUser[]> {
  const [user] = await deps.db.select({ email: users.email, emailVerified: users.emailVerified }).from(users).where(eq(users.id, userId)).limit(1);
  // Until the address is confirmed, nothing sent to it is shown to this account.
  return user?.emailVerified ? pendingInvitationsFor(deps, user.email) : [];
}
