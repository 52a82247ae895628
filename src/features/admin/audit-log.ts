import { and, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/types";
import { users } from "../auth";
// Read-only: the audit feature offers recording and the latest events, not filtered search.
import { auditEvents } from "../audit/schema";
import { DAY_MS, type AuditQuery } from "./input";

export interface AuditListItem {
  id: string;
  at: number;
  actorUserId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  rows: AuditListItem[];
  /** `<at>.<id>` of the last row when older events exist. */
  nextCursor: string | null;
}

/** An action ending in "." or "*" is a prefix ("auth." matches auth.login); otherwise exact. */
function actionFilter(action: string): SQL {
  if (!action.endsWith(".") && !action.endsWith("*")) return eq(auditEvents.action, action);
  const prefix = action.endsWith("*") ? action.slice(0, -1) : action;
  return sql`substr(${auditEvents.action}, 1, ${prefix.length}) = ${prefix}`;
}

/** An actor is a user id, or an email (it has an @) looked up to its user. */
async function actorFilter(db: Db, actor: string): Promise<SQL> {
  if (!actor.includes("@")) return eq(auditEvents.actorUserId, actor);
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, actor.toLowerCase())).limit(1);
  return user ? eq(auditEvents.actorUserId, user.id) : sql`0`;
}

/** Audit events, newest first, filtered and paged by a cursor on (at, id). */
export async function searchAudit(db: Db, query: Partial<AuditQuery> & { limit: number }): Promise<AuditPage> {
  const conditions: SQL[] = [];
  if (query.actor) conditions.push(await actorFilter(db, query.actor));
  if (query.action) conditions.push(actionFilter(query.action));
  if (query.targetType) conditions.push(eq(auditEvents.targetType, query.targetType));
  if (query.targetId) conditions.push(eq(auditEvents.targetId, query.targetId));
  if (query.from !== undefined) conditions.push(gte(auditEvents.at, query.from));
  if (query.to !== undefined) conditions.push(lt(auditEvents.at, query.to + DAY_MS));
  const { rows, hasMore } = await auditEventsPage(db, conditions.length ? and(...conditions) : undefined, query.cursor, query.limit);
  const last = rows[rows.length - 1];
  return { rows, nextCursor: hasMore && last ? `${last.at}.${last.id}` : null };
}

/**
 * Audit events matching `where`, newest first, older than `cursor` on (at, id), with their actor's
 * email; `hasMore` says whether older ones exist beyond `limit`.
 */
export async function auditEventsPage(
  db: Db,
  where: SQL | undefined,
  cursor: { at: number; id: string } | undefined,
  limit: number,
): Promise<{ rows: AuditListItem[]; hasMore: boolean }> {
  const after = cursor ? or(lt(auditEvents.at, cursor.at), and(eq(auditEvents.at, cursor.at), lt(auditEvents.id, cursor.id))) : undefined;
  const rows = await db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      actorUserId: auditEvents.actorUserId,
      actorEmail: users.email,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      details: auditEvents.details,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(and(where, after))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}
