// Every occurrence in a window across the calendars a person sees: the rows whose stored bounds overlap it are
// read in one query, each series is expanded (recurrence/expand.ts) and placed, and what the person may see of
// each is applied (private events of others and free/busy calendars give busy blocks with no title).
import { and, eq, gt, inArray, isNull, lt, ne, or } from "drizzle-orm";

import type { Deps } from "../../deps";
import { eventDetail } from "./access";
import { invitedView, mayEditEvents, visibleCalendars, type Places, type VisibleCalendar } from "./calendars";
import { expandRow, TIME_COLUMNS } from "./event-series";
import { conferenceOf, type Conference } from "./conference";
import { DAY_MS, DEFAULT_LIMITS, formatLocalDateTime, isTimeZone, parseLocalDate, parseLocalDateTime, placeWallClock, RecurrenceError, wallClockAt, type Occurrence } from "./recurrence";
import { calendarAttendees, calendarEvents, calendars, type CalendarEventRow, type OccurrenceData } from "./schema";

export interface OccurrenceItem {
  /** Null for a busy block the person may not open. */
  eventId: string | null;
  calendarId: string;
  title: string | null;
  occurrenceStartAt: string;
  occurrenceEndAt: string;
  startMs: number;
  endMs: number;
  /** On the event's own clock ("2026-03-08T09:00", or dates for all-day: end exclusive). */
  start: string;
  end: string;
  allDay: boolean;
  timeZone: string | null;
  /** The start on the viewer's clock ("2027-03-05T09:00"): what the grids show. */
  localStart: string;
  recurrenceId?: string;
  color: string;
  busy: boolean;
  location?: string;
  conference?: Conference | null;
  recurring: boolean;
  canEdit: boolean;
}

export interface OccurrenceWindow {
  from: number;
  to: number;
  /** The viewer's zone: all-day and floating events are placed in it. */
  zone: string;
  calendarIds?: readonly string[];
  /** Also the events one is invited to in calendars one cannot see (default: when no calendars are named). */
  invitations?: boolean;
}

/** Cut so a window of many busy calendars still answers quickly; `truncated` says so. */
export const MAX_WINDOW_OCCURRENCES = 10_000;

/** A window edge: a UTC instant (`…Z`, `…+02:00`), or a local date or date-time read in the viewer's zone. */
export function parseWindowEdge(text: string, zone: string, field: "from" | "to"): number {
  const local = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseLocalDate(text) : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text) ? parseLocalDateTime(text) : null;
  if (local !== null) return placeWallClock(local, zone);
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(instant)) throw new RecurrenceError(field, `${field} must be a date (2026-03-01), a local date-time or a UTC time (2026-03-01T00:00:00Z).`);
  return instant;
}

/** A window the grids and the APIs may ask for: forwards, and at most `maxDays` (the engine's span by default). */
export function checkWindow(from: number, to: number, maxDays = DEFAULT_LIMITS.maxWindowDays): void {
  if (to <= from) throw new RecurrenceError("to", "to must be after from.");
  if (to - from > maxDays * DAY_MS) throw new RecurrenceError("to", `A window may span at most ${maxDays} days.`);
}

export function checkZone(zone: string): string {
  if (!isTimeZone(zone)) throw new RecurrenceError("timeZone", `"${zone}" is not a known IANA time zone.`);
  return zone;
}

/** The columns a window needs (not the description, whose links the drawer reads, nor the bookkeeping). */
const WINDOW_COLUMNS = {
  id: calendarEvents.id,
  calendarId: calendarEvents.calendarId,
  title: calendarEvents.title,
  location: calendarEvents.location,
  url: calendarEvents.url,
  color: calendarEvents.color,
  ...TIME_COLUMNS,
  visibility: calendarEvents.visibility,
  transparency: calendarEvents.transparency,
  createdBy: calendarEvents.createdBy,
};
type WindowRow = { [K in keyof typeof WINDOW_COLUMNS]: CalendarEventRow[K] };


export async function occurrencesIn(deps: Pick<Deps, "db" | "log">, places: Places, window: OccurrenceWindow, known?: VisibleCalendar[]): Promise<{ occurrences: OccurrenceItem[]; truncated: boolean; calendars: VisibleCalendar[] }> {
  const all = known ?? (await visibleCalendars(deps, places));
  const wanted = window.calendarIds ? new Set(window.calendarIds) : null;
  const shown = wanted ? all.filter((c) => wanted.has(c.row.id)) : all;
  const byId = new Map(shown.map((c) => [c.row.id, c]));
  const inWindow = and(lt(calendarEvents.firstStartMs, window.to), or(isNull(calendarEvents.lastEndMs), gt(calendarEvents.lastEndMs, window.from)));
  const rows: WindowRow[] = shown.length ? await deps.db.select(WINDOW_COLUMNS).from(calendarEvents).where(and(inArray(calendarEvents.calendarId, [...byId.keys()]), inWindow)) : [];
  // Invitations to events of calendars the person cannot see (a colleague's personal calendar): on the overlay
  // too, unless declined, read-only. Not when the window names its calendars, unless it asks for them.
  if (window.invitations ?? !wanted) {
    const seen = new Set(all.map((c) => c.row.id));
    const invited = await deps.db
      .select({ ...WINDOW_COLUMNS, calendar: calendars })
      .from(calendarAttendees)
      .innerJoin(calendarEvents, eq(calendarEvents.id, calendarAttendees.eventId))
      .innerJoin(calendars, eq(calendars.id, calendarEvents.calendarId))
      .where(and(eq(calendarAttendees.userId, places.userId), ne(calendarAttendees.status, "declined"), inWindow));
    for (const { calendar, ...row } of invited) {
      if (seen.has(row.calendarId)) continue;
      if (!byId.has(calendar.id)) byId.set(calendar.id, invitedView(calendar));
      rows.push(row);
    }
  }
  if (rows.length === 0) return { occurrences: [], truncated: false, calendars: all };
  // Where one may be invited to see more than the calendar shows: private events, and calendars seen as free/busy.
  const privateIds = rows.filter((r) => (r.visibility === "private" || byId.get(r.calendarId)?.access === "freebusy") && r.createdBy !== places.userId).map((r) => r.id);
  const invitedTo = new Set(
    privateIds.length
      ? (await deps.db.select({ eventId: calendarAttendees.eventId }).from(calendarAttendees).where(and(eq(calendarAttendees.userId, places.userId), inArray(calendarAttendees.eventId, privateIds)))).map((a) => a.eventId)
      : [],
  );
  const items: OccurrenceItem[] = [];
  let truncated = false;
  for (const row of rows) {
    const calendar = byId.get(row.calendarId)!;
    const detail = eventDetail(calendar.access, { ...row, attendeeIds: invitedTo.has(row.id) ? [places.userId] : [] }, places.userId, calendar.row);
    if (detail === "none" || (detail === "busy" && row.transparency === "transparent")) continue;
    let expansion: { occurrences: Occurrence<OccurrenceData>[]; truncated: boolean };
    try {
      expansion = expandRow(row, window, 2000);
    } catch (error) {
      // A stored series the engine now refuses must not take the whole grid down.
      deps.log({ level: "error", msg: "calendar: a stored event does not expand", eventId: row.id, error: String(error) });
      continue;
    }
    truncated ||= expansion.truncated;
    const canEdit = mayEditEvents(calendar);
    // The join button is worked out once a series (from its link and location), not once an occurrence.
    const seriesConference = detail === "full" ? conferenceOf({ url: row.url, location: row.location, description: "" }) : null;
    for (const o of expansion.occurrences) {
      const data = o.override?.data ?? {};
      const full = detail === "full";
      const title = data.title ?? row.title;
      const location = data.location ?? row.location;
      items.push({
        eventId: full ? row.id : null,
        calendarId: row.calendarId,
        title: full ? title : null,
        occurrenceStartAt: new Date(o.startUtcMs).toISOString(),
        occurrenceEndAt: new Date(o.endUtcMs).toISOString(),
        startMs: o.startUtcMs,
        endMs: o.endUtcMs,
        start: o.start,
        end: o.end,
        allDay: o.allDay,
        timeZone: row.allDay ? null : row.timeZone,
        localStart: o.allDay ? o.start : formatLocalDateTime(wallClockAt(o.startUtcMs, window.zone)),
        ...(row.rrule || row.rdates.length ? { recurrenceId: o.recurrenceId } : {}),
        color: data.color ?? row.color ?? calendar.row.color,
        busy: !full,
        ...(full ? { location, conference: data.url !== undefined || data.location !== undefined ? conferenceOf({ url: data.url ?? row.url, location, description: "" }) : seriesConference } : {}),
        recurring: row.rrule !== null || row.rdates.length > 0,
        canEdit: full && canEdit,
      });
    }
  }
  items.sort((a, b) => a.startMs - b.startMs || Number(b.allDay) - Number(a.allDay) || b.endMs - a.endMs || (a.title ?? "").localeCompare(b.title ?? ""));
  if (items.length > MAX_WINDOW_OCCURRENCES) {
    items.length = MAX_WINDOW_OCCURRENCES;
    truncated = true;
  }
  return { occurrences: items, truncated, calendars: all };
}

/** The occurrence as the JSON API gives it: the documented fields (the grids' own helpers stay on the server). */
export function occurrenceJson(o: OccurrenceItem) {
  return {
    eventId: o.eventId,
    calendarId: o.calendarId,
    title: o.title,
    occurrenceStartAt: o.occurrenceStartAt,
    occurrenceEndAt: o.occurrenceEndAt,
    start: o.start,
    end: o.end,
    allDay: o.allDay,
    timeZone: o.timeZone,
    ...(o.recurrenceId !== undefined ? { recurrenceId: o.recurrenceId } : {}),
    color: o.color,
    busy: o.busy,
  };
}

