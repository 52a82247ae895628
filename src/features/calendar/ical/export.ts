// Calendars as iCalendar text (RFC 5545), as one person may see them now: the events they may open as series
// (RRULE, RDATE, EXDATE, and each changed occurrence as a VEVENT with its RECURRENCE-ID), zoned times with TZID and
// a VTIMEZONE for each zone used; what they may only see as busy (a free/busy share, others' private events) as
// merged busy blocks over a window around today, with no title, rule or count behind them.
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../db/types";
import { sha256Hex } from "../../../lib/crypto";
import { eventDetail } from "../access";
import type { VisibleCalendar } from "../calendars";
import { expandRow, seriesOf } from "../event-series";
import { DAY_MS, formatLocalDate, formatLocalDateTime, formatRRule, parseDateForm, parseRRule, toSeriesClock, placeWallClock, prepareSeries, type Zone } from "../recurrence";
import { calendarAttendees, calendarEvents, type CalendarEventRow, type OccurrenceData } from "../schema";
import { normalize, type Interval } from "../availability/intervals";
import { basicForm, escapeText, line, utcStamp } from "./lines";
import { vtimezone } from "./vtimezone";

const PRODUCT_ID = "-//Block on Block//Calendar//EN";
/** How often subscribers should read a feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
export const FEED_REFRESH = "PT1H";
/** Busy blocks are written for this window around today (series of busy time are never written as rules). */
const BUSY_PAST_DAYS = 30;
const BUSY_FUTURE_DAYS = 365;

export interface ExportOptions {
  /** X-WR-CALNAME / NAME. */
  name: string;
  /** The zone readers show the calendar in by default (X-WR-TIMEZONE). */
  timeZone?: string;
  /** Now: places the busy window and stamps busy blocks (with the start of its UTC day, so a day's feeds are byte-identical). */
  now: number;
}

/** An invitation by email (iMIP, RFC 6047): who organizes, the one attendee it is for, and whether it invites or cancels. */
export interface Invitation {
  method: "REQUEST" | "CANCEL";
  organizer: { name: string; email: string };
  attendee: { name: string; email: string; status: string };
}

type Row = CalendarEventRow;

/**
 * The rows of the calendars, and which of them the viewer is invited to: they see those in full, even where the
 * calendar shows them only busy time (private events, calendars shared as free/busy).
 */
async function readRows(db: Db, viewerId: string, calendarIds: string[], freebusyOnly: ReadonlySet<string>): Promise<{ rows: Row[]; invitedTo: Set<string> }> {
  const rows: Row[] = [];
  for (let i = 0; i < calendarIds.length; i += 100) rows.push(...(await db.select().from(calendarEvents).where(inArray(calendarEvents.calendarId, calendarIds.slice(i, i + 100)))));
  const privateIds = rows.filter((r) => (r.visibility === "private" || freebusyOnly.has(r.calendarId)) && r.createdBy !== viewerId).map((r) => r.id);
  const invitedTo = new Set<string>();
  for (let i = 0; i < privateIds.length; i += 500) {
    const found = await db.select({ eventId: calendarAttendees.eventId }).from(calendarAttendees).where(and(eq(calendarAttendees.userId, viewerId), inArray(calendarAttendees.eventId, privateIds.slice(i, i + 500))));
    for (const a of found) invitedTo.add(a.eventId);
  }
  return { rows, invitedTo };
}

/** The calendars as one VCALENDAR, as `viewerId` may see them. */
export async function exportCalendars(db: Db, viewerId: string, shown: readonly VisibleCalendar[], options: ExportOptions): Promise<string> {
  const byId = new Map(shown.map((c) => [c.row.id, c]));
  const { rows, invitedTo } = await readRows(db, viewerId, [...byId.keys()], new Set(shown.filter((c) => c.access === "freebusy").map((c) => c.row.id)));
  const full: Row[] = [];
  const busy = new Map<string, Row[]>();
  for (const row of rows) {
    const calendar = byId.get(row.calendarId)!;
    const detail = eventDetail(calendar.access, { ...row, attendeeIds: invitedTo.has(row.id) ? [viewerId] : [] }, viewerId, calendar.row);
    if (detail === "full") full.push(row);
    else if (detail === "busy") {
      const list = busy.get(row.calendarId);
      if (list) list.push(row);
      else busy.set(row.calendarId, [row]);
    }
  }
  full.sort((a, b) => a.firstStartMs - b.firstStartMs || a.id.localeCompare(b.id));
  let text = header(options);
  text += timezones(full, options.now);
  for (const row of full) text += seriesText(row);
  const day = Math.floor(options.now / DAY_MS) * DAY_MS;
  for (const [calendarId, list] of [...busy].sort(([a], [b]) => a.localeCompare(b))) {
    const zone = byId.get(calendarId)!.row.timeZone;
    for (const block of busyBlocks(list, zone, { from: day - BUSY_PAST_DAYS * DAY_MS, to: day + BUSY_FUTURE_DAYS * DAY_MS })) text += busyText(calendarId, block, day);
  }
  return text + line("END", "VCALENDAR");
}

/** One event (its series and changed occurrences): the per-event download (PUBLISH), or an invitation by email. */
export function eventCalendar(row: Row, options: ExportOptions, invitation?: Invitation): string {
  return header(options, invitation?.method) + timezones([row], options.now) + seriesText(row, invitation) + line("END", "VCALENDAR");
}

function header(options: ExportOptions, method = "PUBLISH"): string {
  let text = line("BEGIN", "VCALENDAR") + line("VERSION", "2.0") + line("PRODID", PRODUCT_ID) + line("CALSCALE", "GREGORIAN") + line("METHOD", method);
  text += line("NAME", escapeText(options.name)) + line("X-WR-CALNAME", escapeText(options.name));
  if (options.timeZone) text += line("X-WR-TIMEZONE", options.timeZone);
  return text + line("REFRESH-INTERVAL", FEED_REFRESH, { VALUE: "DURATION" }) + line("X-PUBLISHED-TTL", FEED_REFRESH);
}

const yearOf = (ms: number) => new Date(ms).getUTCFullYear();

/** A VTIMEZONE for each zone the rows use, over the years they span (an endless series: to five years from now). */
function timezones(rows: readonly Row[], now: number): string {
  const spans = new Map<string, { from: number; to: number }>();
  const thisYear = yearOf(now);
  for (const row of rows) {
    if (row.allDay || row.timeZone === null || row.timeZone === "UTC") continue;
    const from = Math.max(yearOf(row.firstStartMs) - 1, thisYear - 50);
    const to = Math.min(row.lastEndMs === null ? thisYear + 5 : yearOf(row.lastEndMs) + 1, thisYear + 50);
    const span = spans.get(row.timeZone);
    spans.set(row.timeZone, span ? { from: Math.min(span.from, from), to: Math.max(span.to, to) } : { from, to: Math.max(from, to) });
  }
  let text = "";
  for (const [zone, span] of [...spans].sort(([a], [b]) => a.localeCompare(b))) text += vtimezone(zone, span.from, span.to);
  return text;
}

/** DTSTART-like values on the series' clock: dates, wall-clock times with TZID, or floating times. */
function clockProperty(name: string, walls: readonly number[], allDay: boolean, zone: Zone): string {
  if (walls.length === 0) return "";
  if (allDay) return line(name, walls.map((w) => basicForm(formatLocalDate(w))).join(","), { VALUE: "DATE" });
  const value = walls.map((w) => (zone === "UTC" ? utcStamp(w) : basicForm(formatLocalDateTime(w)))).join(",");
  return line(name, value, zone && zone !== "UTC" ? { TZID: zone } : {});
}

/** The rule as readers need it: with a zoned start, UNTIL in UTC; with a floating one, UNTIL floating (RFC 5545 §3.3.10). */
function ruleText(rrule: string, zone: Zone, allDay: boolean): string {
  const parsed = parseRRule(rrule);
  if (parsed.error || !parsed.rule.until || allDay) return rrule;
  const until = parsed.rule.until;
  if (zone !== null && until.form === "floating") return formatRRule({ ...parsed.rule, until: { form: "utc", wall: placeWallClock(until.wall, zone) } });
  if (zone === null && until.form === "utc") return formatRRule({ ...parsed.rule, until: { form: "floating", wall: until.wall } });
  return rrule;
}

interface Fields {
  title: string;
  description: string;
  location: string;
  url: string;
  visibility: Row["visibility"];
  transparency: Row["transparency"];
}

function fieldLines(fields: Fields): string {
  let text = line("SUMMARY", escapeText(fields.title));
  if (fields.description) text += line("DESCRIPTION", escapeText(fields.description));
  if (fields.location) text += line("LOCATION", escapeText(fields.location));
  if (fields.url && /^https?:\/\//i.test(fields.url)) text += line("URL", fields.url, { VALUE: "URI" });
  text += line("CLASS", fields.visibility === "private" ? "PRIVATE" : "PUBLIC");
  return text + line("TRANSP", fields.transparency === "transparent" ? "TRANSPARENT" : "OPAQUE");
}

const mailto = (email: string) => `mailto:${email}`;

/** ORGANIZER and ATTENDEE (and, cancelling, STATUS) for an invitation's VEVENTs. */
function invitationLines(invitation: Invitation | undefined): string {
  if (!invitation) return "";
  const { organizer, attendee } = invitation;
  let text = line("ORGANIZER", mailto(organizer.email), { CN: organizer.name });
  text += line("ATTENDEE", mailto(attendee.email), { ...(attendee.name ? { CN: attendee.name } : {}), ROLE: "REQ-PARTICIPANT", PARTSTAT: attendee.status.toUpperCase(), RSVP: "TRUE" });
  return invitation.method === "CANCEL" ? text + line("STATUS", "CANCELLED") : text;
}

/** A series: its master VEVENT, then one VEVENT per changed occurrence. A series the engine refuses is left out. */
function seriesText(row: Row, invitation?: Invitation): string {
  let prepared;
  try {
    prepared = prepareSeries(seriesOf(row));
  } catch {
    return "";
  }
  const { allDay, zone, start, duration } = prepared;
  const timeOfDay = ((start % DAY_MS) + DAY_MS) % DAY_MS;
  const wallOf = (key: { date: number } | { wall: number }) => ("wall" in key ? key.wall : key.date + (allDay ? 0 : timeOfDay));
  const stamp = line("DTSTAMP", utcStamp(row.updatedAt)) + line("CREATED", utcStamp(row.createdAt)) + line("LAST-MODIFIED", utcStamp(row.updatedAt));
  const base: Fields = { title: row.title, description: row.description, location: row.location, url: row.url, visibility: row.visibility, transparency: row.transparency };

  let text = line("BEGIN", "VEVENT") + line("UID", escapeText(row.uid)) + stamp;
  // An imported occurrence without its series keeps saying which occurrence it is.
  const detached = row.recurrenceId ? parseDateForm(row.recurrenceId) : null;
  if (detached) text += clockProperty("RECURRENCE-ID", [wallOf(toSeriesClock(detached, zone, allDay))], allDay, zone);
  text += clockProperty("DTSTART", [start], allDay, zone) + clockProperty("DTEND", [start + duration], allDay, zone);
  if (row.rrule) text += line("RRULE", ruleText(row.rrule, zone, allDay));
  if (prepared.rdates.length) text += clockProperty("RDATE", prepared.rdates, allDay, zone);
  const cancelled = prepared.overrides.filter((o) => o.source.cancelled).map((o) => wallOf(o.key));
  const excluded = [...prepared.exWalls, ...[...prepared.exDates].map((d) => d + (allDay ? 0 : timeOfDay)), ...cancelled];
  if (excluded.length) text += clockProperty("EXDATE", [...new Set(excluded)].sort((a, b) => a - b), allDay, zone);
  text += line("SEQUENCE", String(row.sequence)) + fieldLines(base) + invitationLines(invitation) + line("END", "VEVENT");

  for (const o of prepared.overrides) {
    if (o.source.cancelled) continue;
    const recurrence = wallOf(o.key);
    const oStart = o.start ?? recurrence;
    const oEnd = o.end ?? oStart + duration;
    const data: OccurrenceData = o.source.data ?? {};
    const fields: Fields = {
      title: data.title ?? base.title,
      description: data.description ?? base.description,
      location: data.location ?? base.location,
      url: data.url ?? base.url,
      visibility: data.visibility ?? base.visibility,
      transparency: data.transparency ?? base.transparency,
    };
    text += line("BEGIN", "VEVENT") + line("UID", escapeText(row.uid)) + stamp + clockProperty("RECURRENCE-ID", [recurrence], allDay, zone);
    text += clockProperty("DTSTART", [oStart], allDay, zone) + clockProperty("DTEND", [oEnd], allDay, zone);
    text += line("SEQUENCE", String(row.sequence)) + fieldLines(fields) + invitationLines(invitation) + line("END", "VEVENT");
  }
  return text;
}

/** The opaque occurrences of the rows in the window, merged (floating and all-day ones placed in `zone`). */
export function busyBlocks(rows: readonly Pick<Row, "start" | "end" | "timeZone" | "allDay" | "rrule" | "exdates" | "rdates" | "overrides" | "transparency">[], zone: string, window: { from: number; to: number }): Interval[] {
  const blocks: Interval[] = [];
  for (const row of rows) {
    let occurrences;
    try {
      occurrences = expandRow(row, { ...window, zone }, 5000).occurrences;
    } catch {
      continue;
    }
    for (const o of occurrences) {
      const transparency = o.override?.data?.transparency ?? row.transparency;
      if (transparency === "transparent") continue;
      blocks.push({ startMs: Math.max(o.startUtcMs, window.from), endMs: Math.min(o.endUtcMs, window.to) });
    }
  }
  return normalize(blocks);
}

function busyText(calendarId: string, block: Interval, day: number): string {
  // Stable across refreshes, and says nothing about the events behind it.
  const uid = `${sha256Hex(`${calendarId}|${block.startMs}|${block.endMs}`).slice(0, 32)}@busy.blockonblock`;
  return (
    line("BEGIN", "VEVENT") +
    line("UID", uid) +
    line("DTSTAMP", utcStamp(day)) +
    line("DTSTART", utcStamp(block.startMs)) +
    line("DTEND", utcStamp(block.endMs)) +
    line("SUMMARY", "Busy") +
    line("TRANSP", "OPAQUE") +
    line("END", "VEVENT")
  );
}
