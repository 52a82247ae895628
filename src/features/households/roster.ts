// The members of a household: list them, add one (an accepted invitation), change a role, remove one.
import { and, asc, count, eq } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { users } from "../auth";
import { accessChanged, channel, publish } from "../realtime";
import { householdMembers, households, type HouseholdRole } from "./schema";
import { requireHouseholdMembership, type HouseholdMemberView } from "./service";

export async function listHouseholdMembers(deps: Pick<Deps, "db">, householdId: string): Promise<HouseholdMemberView[]> {
  const rows = await deps.db
    .select({ userId: users.id, name: users.name, email: users.email, role: householdMembers.role, joinedAt: householdMembers.joinedAt, blockId: users.blockId })
    .from(householdMembers)
    .innerJoin(users, eq(users.id, householdMembers.userId))
    .where(eq(householdMembers.householdId, householdId))
    .orderBy(asc(users.name));
  return rows.map((row) => ({ ...row, joinedAt: new Date(row.joinedAt).toISOString() }));
}

/** The members' email addresses (lower case), to tell "already a member" from a new invitee. */
export async function householdMemberEmails(db: Db | Tx, householdId: string): Promise<Set<string>> {
  const rows = await db
    .select({ email: users.email })
    .from(householdMembers)
    .innerJoin(users, eq(users.id, householdMembers.userId))
    .where(eq(householdMembers.householdId, householdId));
  return new Set(rows.map((row) => row.email.toLowerCase()));
}

/** Adds a member inside the caller's transaction; false when they already were one. */
export async function addHouseholdMember(tx: Tx, deps: Pick<Deps, "now" | "live">, member: { householdId: string; userId: string; role: HouseholdRole; joinedAt: number }): Promise<boolean> {
  const inserted = await tx.insert(householdMembers).values(member).onConflictDoNothing().returning({ userId: householdMembers.userId });
  if (inserted.length > 0) await householdMembersChanged(tx, deps, member.householdId, [member.userId]);
  return inserted.length > 0;
}

/** Announces a change to who is in a household, or in which role, in its transaction (see workspace's membersChanged). */
async function householdMembersChanged(tx: Tx, deps: Pick<Deps, "now" | "live">, householdId: string, userIds: readonly string[]): Promise<void> {
  await publish(tx, deps, { channel: channel.household(householdId), type: "household.members.changed", payload: { householdId, userIds: [...userIds] } });
  await accessChanged(tx, deps, userIds);
}

async function requireOwner(deps: Pick<Deps, "db">, actorId: string, householdId: string) {
  const membership = await requireHouseholdMembership(deps.db, actorId, householdId);
  if (membership.member.role !== "owner") throw new AppError(403, "forbidden", "Only a household owner may change roles or remove members.");
  return membership;
}

async function ownerCount(tx: Tx, householdId: string): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(householdMembers).where(and(eq(householdMembers.householdId, householdId), eq(householdMembers.role, "owner")));
  return row?.n ?? 0;
}

async function targetMember(tx: Tx, householdId: string, userId: string) {
  const [row] = await tx.select().from(householdMembers).where(and(eq(householdMembers.householdId, householdId), eq(householdMembers.userId, userId))).limit(1);
  if (!row) throw new AppError(404, "not_found", "There is no such member in this household.");
  return row;
}

const lastOwner = () => new AppError(409, "last_owner", "A household needs an owner: make someone else an owner first.");

/** Owners only; the last owner cannot be demoted. Audited. */
export async function changeHouseholdRole(deps: Deps, actorId: string, householdId: string, userId: string, role: HouseholdRole, meta: RequestMeta): Promise<void> {
  await requireOwner(deps, actorId, householdId);
  await writeTransaction(deps.db, async (tx) => {
    const member = await targetMember(tx, householdId, userId);
    if (member.role === role) return;
    if (member.role === "owner" && (await ownerCount(tx, householdId)) <= 1) throw lastOwner();
    await tx.update(householdMembers).set({ role }).where(and(eq(householdMembers.householdId, householdId), eq(householdMembers.userId, userId)));
    await recordAudit(tx, deps.now(), meta, {
      actorUserId: actorId,
      action: "household.member_role_change",
      targetType: "household",
      targetId: householdId,
      details: { userId, before: member.role, after: role },
    });
    await householdMembersChanged(tx, deps, householdId, [userId]);
  });
}

/** Owners only; the last owner cannot be removed. Audited. */
export async function removeHouseholdMember(deps: Deps, actorId: string, householdId: string, userId: string, meta: RequestMeta): Promise<void> {
  await requireOwner(deps, actorId, householdId);
  await writeTransaction(deps.db, async (tx) => {
    const member = await targetMember(tx, householdId, userId);
    if (member.role === "owner" && (await ownerCount(tx, householdId)) <= 1) throw lastOwner();
    await tx.delete(householdMembers).where(and(eq(householdMembers.householdId, householdId), eq(householdMembers.userId, userId)));
    await recordAudit(tx, deps.now(), meta, {
      actorUserId: actorId,
      action: "household.member_remove",
      targetType: "household",
      targetId: householdId,
      details: { userId, role: member.role },
    });
    await householdMembersChanged(tx, deps, householdId, [userId]);
  });
}

/** The household's chat policy: whether its children may post (they always read). Owners only; audited. */
export async function setChildrenMayPost(deps: Deps, actorId: string, householdId: string, allowed: boolean, meta: RequestMeta): Promise<void> {
  await requireOwner(deps, actorId, householdId);
  await writeTransaction(deps.db, async (tx) => {
    const [before] = await tx.select({ allowed: households.childrenMayPost }).from(households).where(eq(households.id, householdId));
    if (!before || before.allowed === allowed) return;
    await tx.update(households).set({ childrenMayPost: allowed, updatedAt: deps.now() }).where(eq(households.id, householdId));
    await recordAudit(tx, deps.now(), meta, { actorUserId: actorId, action: "household.chat_policy", targetType: "household", targetId: householdId, details: { childrenMayPost: allowed } });
  });
}
