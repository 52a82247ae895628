// A stored event's series in the recurrence engine's form (its own file, so the iCalendar writer needs nothing else
// of events.ts).
import type { Series } from "./recurrence";
import type { CalendarEventRow, OccurrenceData } from "./schema";

export type EventSeries = Series<OccurrenceData>;

export function seriesOf(row: Pick<CalendarEventRow, "start" | "end" | "timeZone" | "allDay" | "rrule" | "exdates" | "rdates" | "overrides">): EventSeries {
  return { start: row.start, end: row.end, zone: row.allDay ? null : row.timeZone, rrule: row.rrule, exdates: row.exdates, rdates: row.rdates, overrides: row.overrides };
}
