// A stored event's series in the recurrence engine's form, and its occurrences in a window (its own file, so the
// iCalendar writer and the reminders need nothing else of events.ts).
import { expand, parseLocalDate, parseLocalDateTime, placeWallClock, type Occurrence, type Series } from "./recurrence";
import { calendarEvents, type CalendarEventRow, type OccurrenceData } from "./schema";

export type EventSeries = Series<OccurrenceData>;

export function seriesOf(row: Pick<CalendarEventRow, "start" | "end" | "timeZone" | "allDay" | "rrule" | "exdates" | "rdates" | "overrides">): EventSeries {
  return { start: row.start, end: row.end, zone: row.allDay ? null : row.timeZone, rrule: row.rrule, exdates: row.exdates, rdates: row.rdates, overrides: row.overrides };
}

/** The columns that place an event's occurrences: what a window query selects at least (expandRow reads them). */
export const TIME_COLUMNS = {
  start: calendarEvents.start,
  end: calendarEvents.end,
  timeZone: calendarEvents.timeZone,
  allDay: calendarEvents.allDay,
  rrule: calendarEvents.rrule,
  exdates: calendarEvents.exdates,
  rdates: calendarEvents.rdates,
  overrides: calendarEvents.overrides,
};
type RowTimes = Pick<CalendarEventRow, keyof typeof TIME_COLUMNS>;

/**
 * A single event (no rule, no extra dates, no exceptions) placed without the engine's preparation: most events are
 * single, and preparing each as a series was most of a month grid's (and a free/busy answer's) expansion time.
 */
function singleOccurrence(row: RowTimes, window: { from: number; to: number; zone: string }): Occurrence<OccurrenceData>[] {
  const parse = row.allDay ? parseLocalDate : parseLocalDateTime;
  const startWall = parse(row.start);
  const endWall = parse(row.end);
  if (startWall === null || endWall === null) return [];
  const zone = row.allDay || row.timeZone === null ? window.zone : row.timeZone;
  const startUtcMs = placeWallClock(startWall, zone);
  const endUtcMs = Math.max(placeWallClock(endWall, zone), startUtcMs);
  const overlaps = startUtcMs < window.to && (endUtcMs > window.from || (endUtcMs === startUtcMs && startUtcMs >= window.from));
  return overlaps ? [{ recurrenceId: row.start, start: row.start, end: row.end, startUtcMs, endUtcMs, allDay: row.allDay, override: null }] : [];
}

const isSingle = (row: RowTimes) => row.rrule === null && row.rdates.length === 0 && row.exdates.length === 0 && row.overrides.length === 0;

/** The row's occurrences overlapping [from, to), floating and all-day ones placed in `zone`. Throws what expand throws. */
export function expandRow(row: RowTimes, window: { from: number; to: number; zone: string }, maxOccurrences: number): { occurrences: Occurrence<OccurrenceData>[]; truncated: boolean } {
  if (isSingle(row)) return { occurrences: singleOccurrence(row, window), truncated: false };
  return expand(seriesOf(row), { from: window.from, to: window.to }, { floatingZone: window.zone, maxOccurrences });
}
