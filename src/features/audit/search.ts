// Reading the audit log back: events matching a filter, newest first, a page at a time. The log
// knows ids only; whoever shows an actor's email looks the ids up (the users table is auth's).
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/types";
import { fetchLimit, pageOf, type Page } from "../../lib/pager";
import { auditEvents } from "./schema";

/** One way an event can match; every field given must hold (and). An empty match is every event. */
export interface AuditMatch {
  actorUserId?: string;
  /** Exactly this action. */
  action?: string;
  /** Actions that start with this text ("auth." matches auth.login). */
  actionPrefix?: string;
  targetType?: string;
  targetId?: string;
  /** Any of these target ids (none given: no event matches). */
  targetIds?: string[];
  /** At or after this time (ms). */
  from?: number;
  /** Before this time (ms). */
  before?: number;
  /** The details hold `value` at one of these JSON paths, like `$.after.blockId`. */
  detailsAt?: { paths: string[]; value: string };
}

/** Where the next page starts: strictly older than this event on (at, id). */
export interface AuditCursor {
  at: number;
  id: string;
}

export interface AuditEventItem {
  id: string;
  at: number;
  actorUserId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
}

function matchSql(match: AuditMatch): SQL | undefined {
  const conditions: SQL[] = [];
  if (match.actorUserId !== undefined) conditions.push(eq(auditEvents.actorUserId, match.actorUserId));
  if (match.action !== undefined) conditions.push(eq(auditEvents.action, match.action));
  if (match.actionPrefix !== undefined) conditions.push(sql`substr(${auditEvents.action}, 1, ${match.actionPrefix.length}) = ${match.actionPrefix}`);
  if (match.targetType !== undefined) conditions.push(eq(auditEvents.targetType, match.targetType));
  if (match.targetId !== undefined) conditions.push(eq(auditEvents.targetId, match.targetId));
  if (match.targetIds !== undefined) conditions.push(match.targetIds.length ? inArray(auditEvents.targetId, match.targetIds) : sql`0`);
  if (match.from !== undefined) conditions.push(gte(auditEvents.at, match.from));
  if (match.before !== undefined) conditions.push(lt(auditEvents.at, match.before));
  if (match.detailsAt) {
    const { paths, value } = match.detailsAt;
    conditions.push(or(...paths.map((path) => sql`json_extract(${auditEvents.details}, ${path}) = ${value}`))!);
  }
  return conditions.length ? and(...conditions) : undefined;
}

/**
 * Events that satisfy `match` (or any one of a list of matches), newest first, older than `cursor`
 * on (at, id); `hasMore` says whether older ones exist beyond `limit`.
 */
export async function auditEventsPage(
  db: Db,
  match: AuditMatch | AuditMatch[],
  cursor: AuditCursor | undefined,
  limit: number,
): Promise<Page<AuditEventItem>> {
  const where = Array.isArray(match) ? or(...match.map((m) => matchSql(m) ?? sql`1`)) : matchSql(match);
  const after = cursor ? or(lt(auditEvents.at, cursor.at), and(eq(auditEvents.at, cursor.at), lt(auditEvents.id, cursor.id))) : undefined;
  const rows = await db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      actorUserId: auditEvents.actorUserId,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      details: auditEvents.details,
    })
    .from(auditEvents)
    .where(and(where, after))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(fetchLimit(limit));
  return pageOf(rows, limit);
}
