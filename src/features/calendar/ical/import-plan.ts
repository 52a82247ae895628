// What an import writes, worked out from the parsed events without a database: each series with its changed and
// cancelled occurrences folded in (RECURRENCE-ID → overrides on the series' own clock), occurrences whose series
// is not in the file kept as events of their own, cancelled series to remove, and duplicates reported.
import type { EventSeries } from "../event-series";
import { DAY_MS, formatLocalDate, formatLocalDateTime, parseDateForm, toSeriesClock, type Override, type Zone } from "../recurrence";
import type { OccurrenceData } from "../schema";
import type { Clock, EventFields, ParsedEvent, Skipped } from "./parse";

export interface PlannedEvent {
  uid: string;
  /** Set for an occurrence whose series is not in the file: its RECURRENCE-ID (a value date-forms.ts reads). */
  recurrenceId: string | null;
  series: EventSeries;
  fields: EventFields;
  /** For a lone occurrence: what to fold into its series when the calendar already has that series. */
  source: ParsedEvent | null;
}

export interface Removal {
  uid: string;
  recurrenceId: string | null;
  /** A cancelled occurrence: folded into its series as a cancellation when the calendar has the series. */
  source: ParsedEvent | null;
}

export interface ImportPlan {
  upserts: PlannedEvent[];
  removals: Removal[];
  skipped: Skipped[];
}

/** A clock as text date-forms.ts reads: "2026-03-08", "2026-03-08T09:00" (floating), "…Z", "…[Europe/Berlin]". */
export function clockText(clock: Clock): string {
  if ("date" in clock) return formatLocalDate(clock.date);
  const local = formatLocalDateTime(clock.wall);
  return clock.zone === null ? local : clock.zone === "UTC" ? `${local}Z` : `${local}[${clock.zone}]`;
}

/** A clock on a series' clock: its date (all-day), or its wall-clock time in the series' zone. */
function onSeriesClock(clock: Clock, allDay: boolean, zone: Zone): number {
  const form = parseDateForm(clockText(clock));
  if (!form) throw new Error(`${clockText(clock)} is not a time we can place.`);
  const key = toSeriesClock(form, zone, allDay);
  return "date" in key ? key.date : key.wall;
}

function seriesText(wall: number, allDay: boolean): string {
  return allDay ? formatLocalDate(wall) : formatLocalDateTime(wall);
}

interface SeriesShape {
  allDay: boolean;
  zone: Zone;
  fields: EventFields;
}

/** The series one parsed event describes (without overrides). */
export function seriesOfParsed(event: ParsedEvent): EventSeries {
  const allDay = "date" in event.start;
  const zone: Zone = "date" in event.start ? null : event.start.zone;
  const start = onSeriesClock(event.start, allDay, zone);
  let end = onSeriesClock(event.end, allDay, zone);
  if (allDay ? end <= start : end < start) end = allDay ? start + DAY_MS : start;
  return {
    start: seriesText(start, allDay),
    end: seriesText(end, allDay),
    zone,
    rrule: event.rrule,
    exdates: event.exdates.map((c) => seriesText(onSeriesClock(c, allDay, zone), allDay)),
    rdates: event.rdates.map((c) => seriesText(onSeriesClock(c, allDay, zone), allDay)),
    overrides: [],
  };
}

/** A changed (or cancelled) occurrence as an override of a series of the given shape. */
export function overrideOf(event: ParsedEvent, series: SeriesShape): Override<OccurrenceData> {
  const recurrenceId = seriesText(onSeriesClock(event.recurrenceId!, series.allDay, series.zone), series.allDay);
  if (event.cancelled) return { recurrenceId, cancelled: true };
  const start = onSeriesClock(event.start, series.allDay, series.zone);
  let end = onSeriesClock(event.end, series.allDay, series.zone);
  if (series.allDay ? end <= start : end < start) end = series.allDay ? start + DAY_MS : start;
  const data: OccurrenceData = {};
  for (const key of ["title", "description", "location", "url", "visibility", "transparency"] as const) {
    if (event.fields[key] !== series.fields[key]) Object.assign(data, { [key]: event.fields[key] });
  }
  return { recurrenceId, start: seriesText(start, series.allDay), end: seriesText(end, series.allDay), ...(Object.keys(data).length ? { data } : {}) };
}

export const shapeOf = (series: EventSeries, fields: EventFields): SeriesShape => ({ allDay: !series.start.includes("T"), zone: series.zone, fields });

const keyOf = (uid: string, recurrenceId: string | null) => `${uid}\n${recurrenceId ?? ""}`;

export function planImport(events: readonly ParsedEvent[]): ImportPlan {
  const skipped: Skipped[] = [];
  // The later of two VEVENTs with one UID and RECURRENCE-ID wins, as a re-sent invitation would.
  const latest = new Map<string, ParsedEvent>();
  for (const event of events) {
    const key = keyOf(event.uid, event.recurrenceId ? clockText(event.recurrenceId) : null);
    const earlier = latest.get(key);
    if (earlier) skipped.push({ uid: earlier.uid, title: earlier.fields.title, reason: "The file has this event twice (same UID and RECURRENCE-ID): the later one was imported." });
    latest.set(key, event);
  }
  const byUid = new Map<string, { master: ParsedEvent | null; occurrences: ParsedEvent[] }>();
  for (const event of latest.values()) {
    const group = byUid.get(event.uid) ?? { master: null, occurrences: [] };
    if (event.recurrenceId) group.occurrences.push(event);
    else group.master = event;
    byUid.set(event.uid, group);
  }

  const upserts: PlannedEvent[] = [];
  const removals: Removal[] = [];
  for (const [uid, { master, occurrences }] of byUid) {
    try {
      if (master?.cancelled) {
        removals.push({ uid, recurrenceId: null, source: null });
        continue;
      }
      if (master) {
        const series = seriesOfParsed(master);
        const shape = shapeOf(series, master.fields);
        const overrides: Override<OccurrenceData>[] = [];
        for (const occurrence of occurrences) {
          try {
            overrides.push(overrideOf(occurrence, shape));
          } catch (error) {
            skipped.push({ uid, title: occurrence.fields.title, reason: `A changed occurrence could not be placed: ${(error as Error).message}` });
          }
        }
        upserts.push({ uid, recurrenceId: null, series: { ...series, overrides }, fields: master.fields, source: null });
        continue;
      }
      for (const occurrence of occurrences) {
        const recurrenceId = clockText(occurrence.recurrenceId!);
        if (occurrence.cancelled) removals.push({ uid, recurrenceId, source: occurrence });
        else upserts.push({ uid, recurrenceId, series: seriesOfParsed({ ...occurrence, rrule: null, exdates: [], rdates: [] }), fields: occurrence.fields, source: occurrence });
      }
    } catch (error) {
      skipped.push({ uid, title: master?.fields.title ?? null, reason: `It could not be placed: ${(error as Error).message}` });
    }
  }
  return { upserts, removals, skipped };
}
