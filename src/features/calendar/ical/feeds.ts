// Subscription addresses: one secret, revocable, rotatable URL per person and calendar (/ical/<token>.ics) that
// other apps read without a session. The feed is worked out at each read from what its person may see *now*: a
// share taken back or a membership ended answers 404, as does a disabled account. Only the token's hash is stored.
import { and, eq } from "drizzle-orm";
import type { Deps } from "../../../deps";
import { writeTransaction } from "../../../db/transaction";
import { newId, randomToken, sha256Hex } from "../../../lib/crypto";
import { AppError } from "../../../lib/errors";
import { publicLink } from "../../../config";
import { recordAudit, type RequestMeta } from "../../audit";
import { users } from "../../auth";
import { calendarFor, type VisibleCalendar } from "../calendars";
import { calendarFeeds, type CalendarFeedRow } from "../schema";

const TOKEN = /^[a-z2-7]{32}$/;

export interface FeedInfo {
  createdAt: string;
  lastUsedAt: string | null;
}

const info = (row: Pick<CalendarFeedRow, "createdAt" | "lastUsedAt">): FeedInfo => ({ createdAt: new Date(row.createdAt).toISOString(), lastUsedAt: row.lastUsedAt === null ? null : new Date(row.lastUsedAt).toISOString() });

export const feedUrl = (deps: Pick<Deps, "config">, token: string) => publicLink(deps.config, `/ical/${token}.ics`);

/** The caller's address for the calendar, if any (without the token: it is shown once, when made). */
export async function feedOf(deps: Pick<Deps, "db" | "log">, userId: string, calendarId: string): Promise<FeedInfo | null> {
  await calendarFor(deps, userId, calendarId);
  const [row] = await deps.db.select().from(calendarFeeds).where(and(eq(calendarFeeds.calendarId, calendarId), eq(calendarFeeds.userId, userId))).limit(1);
  return row ? info(row) : null;
}

/** Makes the caller's address for the calendar, or replaces it (the old one stops working at once). */
export async function issueFeed(deps: Deps, userId: string, calendarId: string, meta: RequestMeta): Promise<FeedInfo & { url: string; rotated: boolean }> {
  const calendar = await calendarFor(deps, userId, calendarId);
  const token = randomToken(20);
  const now = deps.now();
  const rotated = await writeTransaction(deps.db, async (tx) => {
    const removed = await tx.delete(calendarFeeds).where(and(eq(calendarFeeds.calendarId, calendarId), eq(calendarFeeds.userId, userId)));
    await tx.insert(calendarFeeds).values({ id: newId(), calendarId, userId, tokenHash: sha256Hex(token), createdAt: now });
    await recordAudit(tx, now, meta, { actorUserId: userId, action: removed.rowsAffected ? "calendar.feed_rotated" : "calendar.feed_created", targetType: "calendar", targetId: calendarId, details: contextOf(calendar) });
    return removed.rowsAffected > 0;
  });
  return { url: feedUrl(deps, token), createdAt: new Date(now).toISOString(), lastUsedAt: null, rotated };
}

/** Revokes the caller's address for the calendar. */
export async function revokeFeed(deps: Deps, userId: string, calendarId: string, meta: RequestMeta): Promise<void> {
  const calendar = await calendarFor(deps, userId, calendarId);
  const removed = await writeTransaction(deps.db, async (tx) => {
    const result = await tx.delete(calendarFeeds).where(and(eq(calendarFeeds.calendarId, calendarId), eq(calendarFeeds.userId, userId)));
    if (result.rowsAffected) await recordAudit(tx, deps.now(), meta, { actorUserId: userId, action: "calendar.feed_revoked", targetType: "calendar", targetId: calendarId, details: contextOf(calendar) });
    return result.rowsAffected;
  });
  if (!removed) throw new AppError(404, "not_found", "This calendar has no subscription address of yours.");
}

const contextOf = (calendar: VisibleCalendar) => ({ contextType: calendar.row.contextType, contextId: calendar.row.contextId });

export interface OpenedFeed {
  feed: CalendarFeedRow;
  calendar: VisibleCalendar;
}

/** The feed behind a token, with its calendar as its person may see it now; null for anything else (one answer: 404). */
export async function openFeed(deps: Pick<Deps, "db" | "log">, token: string): Promise<OpenedFeed | null> {
  if (!TOKEN.test(token)) return null;
  const [row] = await deps.db
    .select({ feed: calendarFeeds, disabledAt: users.disabledAt })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.userId))
    .where(eq(calendarFeeds.tokenHash, sha256Hex(token)))
    .limit(1);
  if (!row || row.disabledAt !== null) return null;
  try {
    return { feed: row.feed, calendar: await calendarFor(deps, row.feed.userId, row.feed.calendarId) };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  }
}

/** Notes the read, at most once a minute (subscribers poll; most reads write nothing). */
export async function noteFeedRead(deps: Pick<Deps, "db" | "now">, feed: CalendarFeedRow): Promise<void> {
  const now = deps.now();
  if (feed.lastUsedAt !== null && now - feed.lastUsedAt < 60_000) return;
  await writeTransaction(deps.db, (tx) => tx.update(calendarFeeds).set({ lastUsedAt: now }).where(eq(calendarFeeds.id, feed.id)));
}

/** The person's addresses by calendar (the settings page shows when each was made and last read). */
export async function feedsOf(deps: Pick<Deps, "db">, userId: string): Promise<Map<string, FeedInfo>> {
  const rows = await deps.db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, userId));
  return new Map(rows.map((row) => [row.calendarId, info(row)]));
}
