// Calendars that copy an outside feed (Google's "secret address", a school's timetable, public holidays): read once
// when subscribed, then again when due — as often as the feed asks (REFRESH-INTERVAL / X-PUBLISHED-TTL), between 15
// minutes and a day — with the validators of the last answer, so an unchanged feed costs a 304. Failures back off
// (15 min, 30 min, 1 h … up to a day) and are shown on the calendar. Each refresh is claimed in the database, so two
// instances never read one feed at once. Reads go through deps.fetchOutside (lib/outside-fetch): no private address,
// ≤ 3 redirects, a time limit and a size cap. The calendar's events mirror the feed: what it drops goes.
import { and, asc, eq, inArray, isNull, lt, lte, or } from "drizzle-orm";
import { writeTransaction } from "../../../db/transaction";
import type { Deps } from "../../../deps";
import { AppError, validationError } from "../../../lib/errors";
import { OutsideFetchError, outsideUrl } from "../../../lib/outside-fetch";
import { recordAudit, type RequestMeta } from "../../audit";
import { enforceLimit } from "../../ratelimit";
import { calendarFor, createCalendar, placesOf, requireAccess, visibleCalendars, type VisibleCalendar } from "../calendars";
import { readIcs, writeParsed, type ImportReport } from "../ical/import";
import { decodeIcs } from "../ical/parse";
import { MAX_IMPORT_BYTES } from "../ical/upload";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../recurrence";
import { calendars, calendarSubscriptions, type CalendarContext, type CalendarSubscriptionRow } from "../schema";

export const REFRESH_BOUNDS = { minMs: 15 * MINUTE_MS, maxMs: DAY_MS } as const;
/** When the feed does not say how often to read it. */
const DEFAULT_REFRESH_MS = HOUR_MS;
const FETCH_TIMEOUT_MS = 15_000;
/** How long a refresh holds its claim; one that dies is taken over after it. */
const CLAIM_MS = 2 * MINUTE_MS;
/** Feeds one scheduled run reads at most (the next run takes the rest). */
const PER_RUN = 10;
const SUBSCRIBES_PER_HOUR = 20;
const MANUAL_REFRESHES_PER_HOUR = 12;

/** The feed's own interval, kept within REFRESH_BOUNDS. */
export function refreshInterval(feedMs: number | null): number {
  return Math.min(REFRESH_BOUNDS.maxMs, Math.max(REFRESH_BOUNDS.minMs, feedMs ?? DEFAULT_REFRESH_MS));
}

/** When to try again after the `failures`th failure in a row: 15 min doubling, never sooner than the interval, at most a day. */
export function retryDelay(failures: number, refreshMs: number): number {
  return Math.min(REFRESH_BOUNDS.maxMs, Math.max(refreshMs, REFRESH_BOUNDS.minMs * 2 ** Math.max(0, failures - 1)));
}

export interface SubscriptionInput {
  url: string;
  name?: string;
  /** "personal" (or one's own id), a business's id or a household's id. */
  contextId: string;
  color?: string;
}

const USER_AGENT = "BlockOnBlock-Calendar/1.0 (+subscriptions)";

/** One read of the feed; an OutsideFetchError or a status we cannot use becomes a message for the person. */
async function readFeed(deps: Deps, url: string, validators: { etag?: string | null; lastModified?: string | null } = {}) {
  const headers: Record<string, string> = { accept: "text/calendar, */*;q=0.5", "user-agent": USER_AGENT };
  if (validators.etag) headers["if-none-match"] = validators.etag;
  if (validators.lastModified) headers["if-modified-since"] = validators.lastModified;
  const answer = await deps.fetchOutside({ url, headers, timeoutMs: FETCH_TIMEOUT_MS, maxBytes: MAX_IMPORT_BYTES });
  if (answer.status === 304) return { changed: false as const, answer };
  if (answer.status !== 200) throw new OutsideFetchError(`The feed answered ${answer.status}${answer.status === 404 || answer.status === 410 ? " (it is gone)" : answer.status === 401 || answer.status === 403 ? " (it wants a password or is private)" : ""}.`);
  return { changed: true as const, answer, text: decodeIcs(answer.body) };
}

function contextOf(places: Awaited<ReturnType<typeof placesOf>>, contextId: string): { contextType: CalendarContext; contextId?: string } {
  if (contextId === "personal" || contextId === places.userId) return { contextType: "personal" };
  if (places.businesses.has(contextId)) return { contextType: "business", contextId };
  if (places.households.has(contextId)) return { contextType: "household", contextId };
  throw new AppError(404, "not_found", "There is no such context, or you are not a member of it.", { fieldErrors: { contextId: ["You are not a member of this context."] } });
}

async function limit(deps: Deps, bucket: string, max: number, message: string): Promise<void> {
  await enforceLimit(deps, { bucket, max, windowMs: HOUR_MS }, message);
}

/** Subscribes: reads the feed first (a wrong address is a 400 on `url`, and nothing is made), then makes the calendar with its events. */
export async function subscribe(deps: Deps, userId: string, input: SubscriptionInput, meta: RequestMeta): Promise<{ calendar: VisibleCalendar; subscription: CalendarSubscriptionRow; report: ImportReport }> {
  let url: URL;
  try {
    url = outsideUrl(input.url);
  } catch (error) {
    throw validationError({ url: [(error as Error).message] });
  }
  const places = await placesOf(deps, userId);
  const context = contextOf(places, input.contextId);
  await limit(deps, `calendar-subscribe:${userId}`, SUBSCRIBES_PER_HOUR, `At most ${SUBSCRIBES_PER_HOUR} subscriptions an hour; try again later.`);
  let read;
  let file;
  try {
    read = await readFeed(deps, url.href);
    if (!read.changed) throw new OutsideFetchError("The feed answered 304 to a first read.");
    file = await readIcs(deps, "UTC", read.text, { progress: null });
  } catch (error) {
    if (error instanceof OutsideFetchError) throw validationError({ url: [`The address could not be read: ${error.message}`] });
    if (error instanceof AppError && error.status === 400) throw validationError({ url: [`The address does not give a calendar: ${error.message}`] });
    throw error;
  }
  const now = deps.now();
  const refreshMs = refreshInterval(file.refreshMs);
  const subscription: CalendarSubscriptionRow = {
    calendarId: "",
    url: url.href,
    createdBy: userId,
    etag: read.answer.headers.get("etag"),
    lastModified: read.answer.headers.get("last-modified"),
    refreshMs,
    nextRefreshAt: now + refreshMs,
    lastRefreshedAt: now,
    lastError: null,
    failures: 0,
    claimedUntil: null,
    createdAt: now,
  };
  const name = (input.name?.trim() || file.name || url.hostname).slice(0, 100);
  const calendar = await createCalendar(deps, userId, { ...context, name, color: input.color, timeZone: file.timeZone ?? "UTC", subscribed: true }, meta, async (tx, row) => {
    subscription.calendarId = row.id;
    await tx.insert(calendarSubscriptions).values(subscription);
  });
  const report = await writeParsed(deps, calendar.row, file, { mode: "mirror", actorId: null, progress: null });
  return { calendar, subscription, report };
}

/** Claims a subscription for one refresh: due ones only, unless `force`; null when another refresh holds it (or it is not due). */
async function claim(deps: Deps, calendarId: string, force: boolean): Promise<CalendarSubscriptionRow | null> {
  const now = deps.now();
  return writeTransaction(deps.db, async (tx) => {
    const free = or(isNull(calendarSubscriptions.claimedUntil), lt(calendarSubscriptions.claimedUntil, now));
    const due = force ? undefined : lte(calendarSubscriptions.nextRefreshAt, now);
    const result = await tx.update(calendarSubscriptions).set({ claimedUntil: now + CLAIM_MS }).where(and(eq(calendarSubscriptions.calendarId, calendarId), free, due));
    if (result.rowsAffected !== 1) return null;
    const [row] = await tx.select().from(calendarSubscriptions).where(eq(calendarSubscriptions.calendarId, calendarId));
    return row ?? null;
  });
}

export interface RefreshOutcome {
  status: "changed" | "unchanged" | "failed" | "busy";
  report?: ImportReport;
  error?: string;
}

/** Reads the feed again if it can be claimed, and records how it went (the next read: its interval, or the back-off). */
export async function refreshSubscription(deps: Deps, calendarId: string, options: { force?: boolean } = {}): Promise<RefreshOutcome> {
  const row = await claim(deps, calendarId, options.force ?? false);
  if (!row) return { status: "busy" };
  try {
    const read = await readFeed(deps, row.url, row);
    let report: ImportReport | undefined;
    let refreshMs = row.refreshMs;
    if (read.changed) {
      const [calendarRow] = await deps.db.select().from(calendars).where(eq(calendars.id, calendarId));
      if (!calendarRow) return { status: "failed", error: "The calendar is gone." };
      const file = await readIcs(deps, calendarRow.timeZone, read.text, { progress: null });
      report = await writeParsed(deps, calendarRow, file, { mode: "mirror", actorId: null, progress: null });
      refreshMs = refreshInterval(file.refreshMs);
    }
    const now = deps.now();
    await writeTransaction(deps.db, (tx) =>
      tx
        .update(calendarSubscriptions)
        .set({ etag: read.answer.headers.get("etag") ?? (read.changed ? null : row.etag), lastModified: read.answer.headers.get("last-modified") ?? (read.changed ? null : row.lastModified), refreshMs, nextRefreshAt: now + refreshMs, lastRefreshedAt: now, lastError: null, failures: 0, claimedUntil: null })
        .where(eq(calendarSubscriptions.calendarId, calendarId)),
    );
    return read.changed ? { status: "changed", report } : { status: "unchanged" };
  } catch (error) {
    const message = error instanceof OutsideFetchError ? error.message : error instanceof AppError && error.status === 400 ? `The feed is not a calendar any more: ${error.message}` : null;
    if (message === null) deps.log({ level: "error", msg: "calendar subscription refresh failed", calendarId, error: String(error) });
    const failures = row.failures + 1;
    const now = deps.now();
    const shown = message ?? "The feed could not be read (an error on our side); it will be tried again.";
    await writeTransaction(deps.db, (tx) =>
      tx.update(calendarSubscriptions).set({ failures, lastError: shown, nextRefreshAt: now + retryDelay(failures, row.refreshMs), claimedUntil: null }).where(eq(calendarSubscriptions.calendarId, calendarId)),
    );
    return { status: "failed", error: shown };
  }
}

/** The scheduled job's part: the feeds that are due, oldest first, a few per run. */
export async function refreshDueSubscriptions(deps: Deps): Promise<number> {
  const now = deps.now();
  const due = await deps.db
    .select({ calendarId: calendarSubscriptions.calendarId })
    .from(calendarSubscriptions)
    .where(and(lte(calendarSubscriptions.nextRefreshAt, now), or(isNull(calendarSubscriptions.claimedUntil), lt(calendarSubscriptions.claimedUntil, now))))
    .orderBy(asc(calendarSubscriptions.nextRefreshAt))
    .limit(PER_RUN);
  let read = 0;
  for (const { calendarId } of due) if ((await refreshSubscription(deps, calendarId)).status !== "busy") read++;
  return read;
}

/** "Refresh now" by someone who manages the calendar. */
export async function refreshNow(deps: Deps, userId: string, calendarId: string, meta: RequestMeta): Promise<RefreshOutcome> {
  const calendar = await calendarFor(deps, userId, calendarId);
  requireAccess(calendar, "manage", "refresh the subscription");
  if (!calendar.row.subscribed) throw new AppError(404, "not_found", "This calendar is not a subscription.");
  await limit(deps, `calendar-refresh:${calendarId}`, MANUAL_REFRESHES_PER_HOUR, `A subscription can be refreshed by hand ${MANUAL_REFRESHES_PER_HOUR} times an hour; it also refreshes on its own.`);
  const outcome = await refreshSubscription(deps, calendarId, { force: true });
  await writeTransaction(deps.db, (tx) => recordAudit(tx, deps.now(), meta, { actorUserId: userId, action: "calendar.subscription.refreshed", targetType: "calendar", targetId: calendarId, details: { status: outcome.status } }));
  return outcome;
}

export type SubscriptionView = ReturnType<typeof subscriptionJson>;

export function subscriptionJson(calendar: Pick<VisibleCalendar, "row" | "contextName">, row: CalendarSubscriptionRow) {
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  return {
    calendarId: row.calendarId,
    name: calendar.row.name,
    contextName: calendar.contextName,
    url: row.url,
    refreshMinutes: Math.round(row.refreshMs / MINUTE_MS),
    lastRefreshedAt: iso(row.lastRefreshedAt),
    nextRefreshAt: iso(row.nextRefreshAt),
    lastError: row.lastError,
    failures: row.failures,
  };
}

/** The subscriptions of the calendars the person manages (their addresses may hold secrets: managers only). */
export async function subscriptionsOf(deps: Deps, userId: string): Promise<SubscriptionView[]> {
  const managed = (await visibleCalendars(deps, await placesOf(deps, userId))).filter((v) => v.row.subscribed && v.access === "manage");
  if (managed.length === 0) return [];
  const byId = new Map(managed.map((v) => [v.row.id, v]));
  const rows = await deps.db.select().from(calendarSubscriptions).where(inArray(calendarSubscriptions.calendarId, [...byId.keys()]));
  return rows.map((r) => subscriptionJson(byId.get(r.calendarId)!, r));
}

/** A subscribed calendar's state for the settings page; the address only where the person manages it. */
export interface SubscriptionState {
  url: string | null;
  refreshMinutes: number;
  lastRefreshedAt: string | null;
  nextRefreshAt: string;
  lastError: string | null;
}

export async function subscriptionStates(deps: Pick<Deps, "db">, shown: readonly VisibleCalendar[]): Promise<Map<string, SubscriptionState>> {
  const subscribed = new Map(shown.filter((v) => v.row.subscribed).map((v) => [v.row.id, v]));
  if (subscribed.size === 0) return new Map();
  const rows = await deps.db.select().from(calendarSubscriptions).where(inArray(calendarSubscriptions.calendarId, [...subscribed.keys()]));
  return new Map(
    rows.map((r) => {
      const view = subscriptionJson(subscribed.get(r.calendarId)!, r);
      const manages = subscribed.get(r.calendarId)!.access === "manage";
      return [r.calendarId, { url: manages ? view.url : null, refreshMinutes: view.refreshMinutes, lastRefreshedAt: view.lastRefreshedAt, nextRefreshAt: new Date(r.nextRefreshAt).toISOString(), lastError: view.lastError }];
    }),
  );
}
