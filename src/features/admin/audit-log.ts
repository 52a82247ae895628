import { eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/types";
import type { Page } from "../../lib/pager";
import { auditEventsPage, type AuditCursor, type AuditEventItem, type AuditMatch } from "../audit";
import { users } from "../auth";
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
function actionMatch(action: string): AuditMatch {
  if (!action.endsWith(".") && !action.endsWith("*")) return { action };
  return { actionPrefix: action.endsWith("*") ? action.slice(0, -1) : action };
}

/** An actor is a user id, or an email (it has an @) looked up to its user; null when no user has it. */
async function actorId(db: Db, actor: string): Promise<string | null> {
  if (!actor.includes("@")) return actor;
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, actor.toLowerCase())).limit(1);
  return user?.id ?? null;
}

/** Audit events, newest first, filtered and paged by a cursor on (at, id). */
export async function searchAudit(db: Db, query: Partial<AuditQuery> & { limit: number }): Promise<AuditPage> {
  const match: AuditMatch = {};
  if (query.actor) {
    const id = await actorId(db, query.actor);
    // An email nobody has: no event can match.
    if (id === null) return { rows: [], nextCursor: null };
    match.actorUserId = id;
  }
  if (query.action) Object.assign(match, actionMatch(query.action));
  if (query.targetType) match.targetType = query.targetType;
  if (query.targetId) match.targetId = query.targetId;
  if (query.from !== undefined) match.from = query.from;
  if (query.to !== undefined) match.before = query.to + DAY_MS;
  const { rows, hasMore } = await auditListPage(db, match, query.cursor, query.limit);
  const last = rows[rows.length - 1];
  return { rows, nextCursor: hasMore && last ? `${last.at}.${last.id}` : null };
}

/** The emails of the events' actors, read from auth's users table (null for a deleted or no actor). */
async function withActorEmails(db: Db, events: AuditEventItem[]): Promise<AuditListItem[]> {
  const ids = [...new Set(events.flatMap((event) => (event.actorUserId ? [event.actorUserId] : [])))];
  const found = ids.length ? await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, ids)) : [];
  const emails = new Map(found.map((user) => [user.id, user.email]));
  // The email goes right after the actor's id, where the answers have always had it.
  return events.map(({ id, at, actorUserId, ...rest }) => ({ id, at, actorUserId, actorEmail: (actorUserId && emails.get(actorUserId)) ?? null, ...rest }));
}

/**
 * Audit events matching `match` (or any of a list), newest first, older than `cursor` on (at, id),
 * with their actor's email; `hasMore` says whether older ones exist beyond `limit`.
 */
export async function auditListPage(
  db: Db,
  match: AuditMatch | AuditMatch[],
  cursor: AuditCursor | undefined,
  limit: number,
): Promise<Page<AuditListItem>> {
  const { rows, hasMore } = await auditEventsPage(db, match, cursor, limit);
  return { rows: await withActorEmails(db, rows), hasMore };
}
