import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { users } from "../auth";
import { accessChanged, channel, publish } from "../realtime";
import { requireMembership } from "./access";
import { MAX_BULK_ROWS } from "./input";
import { planRemovals, planUpdates, type MemberState, type PlanContext, type RowResult } from "./member-rules";
import { businessMembers, departments, positions, type BusinessRole } from "./schema";

export type { BulkUpdateRow, MemberPatch, RowError, RowResult } from "./member-rules";

/** One member as the members tab and the JSON API show them. */
export interface MemberView {
  userId: string;
  name: string;
  email: string;
  /** The member's Block ID (features/location); null until one is issued. */
  blockId: string | null;
  role: BusinessRole;
  department: { id: string; name: string } | null;
  position: { id: string; name: string } | null;
  joinedAt: string;
}

export { MAX_BULK_ROWS } from "./input";

const dept = alias(departments, "member_department");
const post = alias(positions, "member_position");

export interface MemberQuery {
  /** Only these members (those of them that belong). */
  userIds?: string[];
  /** "name" (the default): by name, case-insensitively. "role": owners first, then admins, managers, members, each by name. */
  order?: "name" | "role";
}

const ROLE_ORDER = sql`case ${businessMembers.role} when 'owner' then 0 when 'admin' then 1 when 'manager' then 2 else 3 end`;

/**
 * The one read of a business's member list: each member with name, email, Block ID, role,
 * department and position. No membership check: callers check who may see it (listMembers, the
 * admin portal), or read it inside their own transaction (`db` may be one).
 */
export async function selectMembers(db: Db | Tx, businessId: string, query: MemberQuery = {}): Promise<MemberView[]> {
  const { userIds, order = "name" } = query;
  const rows = await db
    .select({
      userId: businessMembers.userId,
      name: users.name,
      email: users.email,
      blockId: users.blockId,
      role: businessMembers.role,
      departmentId: dept.id,
      departmentName: dept.name,
      positionId: post.id,
      positionName: post.name,
      joinedAt: businessMembers.joinedAt,
    })
    .from(businessMembers)
    .innerJoin(users, eq(users.id, businessMembers.userId))
    .leftJoin(dept, eq(dept.id, businessMembers.departmentId))
    .leftJoin(post, eq(post.id, businessMembers.positionId))
    .where(and(eq(businessMembers.businessId, businessId), userIds ? inArray(businessMembers.userId, userIds) : undefined))
    .orderBy(...(order === "role" ? [ROLE_ORDER, asc(users.name)] : [sql`${users.name} collate nocase`, asc(businessMembers.userId)]));
  return rows.map((row) => ({
    userId: row.userId,
    name: row.name,
    email: row.email,
    blockId: row.blockId,
    role: row.role,
    department: row.departmentId && row.departmentName !== null ? { id: row.departmentId, name: row.departmentName } : null,
    position: row.positionId && row.positionName !== null ? { id: row.positionId, name: row.positionName } : null,
    joinedAt: new Date(row.joinedAt).toISOString(),
  }));
}

/** The members' email addresses (lower case), to tell "already a member" from a new invitee. */
export async function businessMemberEmails(db: Db | Tx, businessId: string): Promise<Set<string>> {
  return new Set((await selectMembers(db, businessId)).map((member) => member.email.toLowerCase()));
}

/** Every member of a business the caller belongs to (any role may read), by name. */
export async function listMembers(deps: Pick<Deps, "db">, callerId: string, businessId: string): Promise<MemberView[]> {
  await requireMembership(deps.db, callerId, businessId);
  return selectMembers(deps.db, businessId);
}

/**
 * Reads, inside the write transaction, what the rules need: the caller's and the targets' rows,
 * the number of owners, and this business's department and position ids. Reading under the write
 * lock (BEGIN IMMEDIATE) means no concurrent change can slip between the checks and the writes.
 */
async function loadContext(tx: Tx, callerId: string, businessId: string, userIds: string[]): Promise<PlanContext> {
  const ids = [...new Set([callerId, ...userIds])];
  const [rows, [owners], depts, posts] = await Promise.all([
    tx.select().from(businessMembers).where(and(eq(businessMembers.businessId, businessId), inArray(businessMembers.userId, ids))),
    tx.select({ n: count() }).from(businessMembers).where(and(eq(businessMembers.businessId, businessId), eq(businessMembers.role, "owner"))),
    tx.select({ id: departments.id }).from(departments).where(eq(departments.businessId, businessId)),
    tx.select({ id: positions.id }).from(positions).where(eq(positions.businessId, businessId)),
  ]);
  const members = new Map<string, MemberState>(rows.map((r) => [r.userId, { role: r.role, departmentId: r.departmentId, positionId: r.positionId }]));
  const caller = members.get(callerId);
  if (!caller) throw new AppError(404, "not_found", "There is no such business, or you are not a member of it.");
  return {
    callerId,
    callerRole: caller.role,
    members,
    owners: owners?.n ?? 0,
    departmentIds: new Set(depts.map((d) => d.id)),
    positionIds: new Set(posts.map((p) => p.id)),
  };
}

function requireManager(context: PlanContext) {
  if (context.callerRole !== "owner" && context.callerRole !== "admin") {
    throw new AppError(403, "forbidden", "Only a business admin or owner may change or remove members.");
  }
}

export interface BulkOutcome {
  results: RowResult[];
  applied: number;
  failed: number;
}

const outcome = (results: RowResult[]): BulkOutcome => {
  const applied = results.filter((r) => r.ok).length;
  return { results, applied, failed: results.length - applied };
};

/**
 * Bulk role / department / position change. Every row is checked first (in order, each against the
 * state the rows before it leave, so a batch cannot demote the last owner either); each row gets its
 * own result; the valid rows are written together in ONE transaction with one audit event each.
 * A bad row does not stop the others; a failure while writing rolls every row back.
 */
export async function bulkUpdateMembers(deps: Deps, callerId: string, businessId: string, rows: unknown[], meta: RequestMeta): Promise<BulkOutcome> {
  await requireMembership(deps.db, callerId, businessId);
  if (rows.length > MAX_BULK_ROWS) throw tooMany();
  return writeTransaction(deps.db, async (tx) => {
    const context = await loadContext(tx, callerId, businessId, idsOf(rows));
    requireManager(context);
    const { results, writes } = planUpdates(context, rows);
    const now = deps.now();
    for (const write of writes) {
      await tx
        .update(businessMembers)
        .set(write.after)
        .where(and(eq(businessMembers.businessId, businessId), eq(businessMembers.userId, write.userId)));
      await recordAudit(tx, now, meta, {
        actorUserId: callerId,
        action: "business.member_update",
        targetType: "business",
        targetId: businessId,
        details: { userId: write.userId, before: write.before, after: write.after, bulk: rows.length > 1 },
      });
    }
    await membersChanged(tx, deps, businessId, writes.map((write) => write.userId));
    return outcome(results);
  });
}

/** Bulk remove, with the same per-row results and one transaction for every valid row. */
export async function bulkRemoveMembers(deps: Deps, callerId: string, businessId: string, rows: unknown[], meta: RequestMeta): Promise<BulkOutcome> {
  await requireMembership(deps.db, callerId, businessId);
  if (rows.length > MAX_BULK_ROWS) throw tooMany();
  return writeTransaction(deps.db, async (tx) => {
    const context = await loadContext(tx, callerId, businessId, idsOf(rows));
    requireManager(context);
    const { results, writes } = planRemovals(context, rows);
    const now = deps.now();
    for (const write of writes) {
      await tx.delete(businessMembers).where(and(eq(businessMembers.businessId, businessId), eq(businessMembers.userId, write.userId)));
      await recordAudit(tx, now, meta, {
        actorUserId: callerId,
        action: "business.member_remove",
        targetType: "business",
        targetId: businessId,
        details: { userId: write.userId, before: write.before, after: null, bulk: rows.length > 1 },
      });
    }
    await membersChanged(tx, deps, businessId, writes.map((write) => write.userId));
    return outcome(results);
  });
}

/** One member's role, department or position; a rule that fails is thrown as its AppError. */
export async function updateMember(deps: Deps, callerId: string, businessId: string, userId: string, patch: Record<string, unknown>, meta: RequestMeta): Promise<MemberView> {
  const { results } = await bulkUpdateMembers(deps, callerId, businessId, [{ ...patch, userId }], meta);
  throwIfFailed(results[0]!);
  const [member] = await selectMembers(deps.db, businessId, { userIds: [userId] });
  if (!member) throw notMember();
  return member;
}

/** Removes one member; removing oneself is leaving (any role may leave, except the last owner). */
export async function removeMember(deps: Deps, callerId: string, businessId: string, userId: string, meta: RequestMeta): Promise<void> {
  if (userId === callerId) return leaveBusiness(deps, callerId, businessId, meta);
  const { results } = await bulkRemoveMembers(deps, callerId, businessId, [{ userId }], meta);
  throwIfFailed(results[0]!);
}

/** The caller leaves the business; the last owner may not (409). */
export async function leaveBusiness(deps: Deps, callerId: string, businessId: string, meta: RequestMeta): Promise<void> {
  await requireMembership(deps.db, callerId, businessId);
  await writeTransaction(deps.db, async (tx) => {
    const context = await loadContext(tx, callerId, businessId, []);
    if (context.callerRole === "owner" && context.owners <= 1) {
      throw new AppError(409, "last_owner", "You are the last owner of this business. Make another member an owner before you leave.");
    }
    const before = context.members.get(callerId)!;
    await tx.delete(businessMembers).where(and(eq(businessMembers.businessId, businessId), eq(businessMembers.userId, callerId)));
    await recordAudit(tx, deps.now(), meta, {
      actorUserId: callerId,
      action: "business.member_leave",
      targetType: "business",
      targetId: businessId,
      details: { userId: callerId, before, after: null },
    });
    await membersChanged(tx, deps, businessId, [callerId]);
  });
}

/**
 * Announces a change to who is in a business, or in which role, department or position, in the
 * transaction that makes it: member lists refresh, and the people concerned get their live
 * streams' channels worked out again (a removed member stops receiving the business's events).
 */
export async function membersChanged(tx: Tx, deps: Pick<Deps, "now" | "live">, businessId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await publish(tx, deps, { channel: channel.business(businessId), type: "business.members.changed", payload: { businessId, userIds: [...userIds] } });
  await accessChanged(tx, deps, userIds);
}

function idsOf(rows: unknown[]): string[] {
  const ids: string[] = [];
  for (const row of rows) {
    const id = (row as { userId?: unknown } | null)?.userId;
    if (typeof id === "string" && id.length <= 64) ids.push(id);
  }
  return ids;
}

function throwIfFailed(result: RowResult) {
  if (!result.ok) throw new AppError(result.error.status, result.error.code, result.error.message, result.error.details ?? {});
}

const notMember = () => new AppError(404, "not_member", "That user is not a member of this business.");
const tooMany = () => new AppError(400, "too_many_rows", `At most ${MAX_BULK_ROWS} rows at once.`);

/** Adds a member (an accepted invitation); false when they already belong. Runs in the caller's transaction. */
export async function addBusinessMember(
  tx: Tx,
  deps: Pick<Deps, "now" | "live">,
  member: { businessId: string; userId: string; role: BusinessRole; departmentId: string | null; positionId: string | null; joinedAt: number },
): Promise<boolean> {
  const inserted = await tx.insert(businessMembers).values(member).onConflictDoNothing().returning({ userId: businessMembers.userId });
  if (inserted.length > 0) await membersChanged(tx, deps, member.businessId, [member.userId]);
  return inserted.length > 0;
}
