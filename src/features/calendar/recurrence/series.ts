// A recurring series as stored (strings in the API's forms) and its prepared form (numbers, parsed rule), checked
// field by field: every bad value is a RecurrenceError naming the field.
import { parseDateForm, toSeriesClock } from "./date-forms";
import { RecurrenceError } from "./errors";
import { parseRRule, type Rule } from "./rrule-parse";
import { isTimeZone, placeWallClock, wallClockAt } from "./zone";
import { DAY_MS, formatLocalDate, formatLocalDateTime, parseLocalDate, parseLocalDateTime, type LocalDate, type LocalDateTime, type Zone } from "./wall-clock";

/** An occurrence changed on its own (RECURRENCE-ID): moved (start/end), cancelled, or carrying other data (a title). */
export type Override<T = unknown> = {
  /** The occurrence's original start, in any form (see date-forms.ts). */
  recurrenceId: string;
  cancelled?: boolean;
  /** New start/end in the series' form (wall-clock in its zone, or dates); null or absent: unchanged. */
  start?: LocalDateTime | LocalDate | null;
  end?: LocalDateTime | LocalDate | null;
  data?: T;
};

export type Series<T = unknown> = {
  /** "2026-03-08T09:00" (wall-clock in `zone`) or "2026-03-08" (all-day, floating). */
  start: LocalDateTime | LocalDate;
  /** Same form as start; for dates exclusive (a one-day event ends the next day). */
  end: LocalDateTime | LocalDate;
  /** IANA zone, or null for floating; ignored for all-day series. */
  zone: Zone;
  /** RFC 5545 rule without "RRULE:", or null for a single event. */
  rrule: string | null;
  exdates?: readonly string[];
  rdates?: readonly string[];
  overrides?: readonly Override<T>[];
};

export const SERIES_LIMITS = { maxExdates: 1000, maxRdates: 1000, maxOverrides: 1000 } as const;

/** A value on the series' clock: an exact wall time, or (a date on a timed series) every time that day. */
export type ClockKey = { date: number } | { wall: number };

export type PreparedOverride<T> = { key: ClockKey; source: Override<T>; start: number | null; end: number | null };

export type PreparedSeries<T> = {
  allDay: boolean;
  zone: Zone;
  start: number;
  duration: number;
  rule: Rule | null;
  exWalls: Set<number>;
  exDates: Set<number>;
  rdates: number[];
  overrides: PreparedOverride<T>[];
};

/** Wall ms of a start/end value in the series' form. */
export function parseSeriesTime(text: unknown, allDay: boolean): number | null {
  if (typeof text !== "string") return null;
  return allDay ? parseLocalDate(text) : parseLocalDateTime(text);
}

export const formatSeriesTime = (wall: number, allDay: boolean): string => (allDay ? formatLocalDate(wall) : formatLocalDateTime(wall));

function keysOf(values: readonly string[] | undefined, field: string, max: number, zone: Zone, allDay: boolean): ClockKey[] {
  if (values === undefined) return [];
  if (!Array.isArray(values)) throw new RecurrenceError(field, `${field} must be a list.`);
  if (values.length > max) throw new RecurrenceError(field, `At most ${max} ${field} are allowed.`);
  return values.map((v, i) => {
    const form = typeof v === "string" ? parseDateForm(v) : null;
    if (!form) throw new RecurrenceError(`${field}[${i}]`, `"${String(v)}" is not a date, a date-time or a UTC time.`);
    return toSeriesClock(form, zone, allDay);
  });
}

/** Checks and prepares a series; throws RecurrenceError naming the bad field. */
export function prepareSeries<T>(series: Series<T>): PreparedSeries<T> {
  const allDay = typeof series.start === "string" && !series.start.includes("T");
  const zone = allDay ? null : series.zone;
  if (zone !== null && (typeof zone !== "string" || !isTimeZone(zone))) throw new RecurrenceError("timeZone", `"${String(zone)}" is not a known IANA time zone.`);
  const start = parseSeriesTime(series.start, allDay);
  if (start === null) throw new RecurrenceError("start", allDay ? "start must be a date such as 2026-03-08." : "start must be a local date-time such as 2026-03-08T09:00.");
  const end = parseSeriesTime(series.end, allDay);
  if (end === null) throw new RecurrenceError("end", allDay ? "end must be a date (exclusive) for an all-day event." : "end must be a local date-time such as 2026-03-08T10:00.");
  if (allDay ? end <= start : placeWallClock(end, zone) < placeWallClock(start, zone)) throw new RecurrenceError("end", "end must be after start.");
  let rule: Rule | null = null;
  if (series.rrule !== null && series.rrule !== undefined) {
    const parsed = parseRRule(series.rrule);
    if (parsed.error) throw new RecurrenceError(`rrule.${parsed.error.part}`, parsed.error.message);
    rule = parsed.rule;
    if (allDay && ["HOURLY", "MINUTELY", "SECONDLY"].includes(rule.freq)) throw new RecurrenceError("rrule.FREQ", `An all-day event cannot repeat ${rule.freq}.`);
  }
  const exWalls = new Set<number>(), exDates = new Set<number>();
  for (const k of keysOf(series.exdates, "exdates", SERIES_LIMITS.maxExdates, zone, allDay)) {
    if ("date" in k) exDates.add(k.date);
    else exWalls.add(k.wall);
  }
  const timeOfDay = ((start % DAY_MS) + DAY_MS) % DAY_MS;
  const rdates = keysOf(series.rdates, "rdates", SERIES_LIMITS.maxRdates, zone, allDay).map((k) => ("date" in k ? k.date + (allDay ? 0 : timeOfDay) : k.wall));
  const overridesIn = series.overrides ?? [];
  if (!Array.isArray(overridesIn) || overridesIn.length > SERIES_LIMITS.maxOverrides) throw new RecurrenceError("overrides", `At most ${SERIES_LIMITS.maxOverrides} overrides are allowed.`);
  const overrides = overridesIn.map((o, i): PreparedOverride<T> => {
    const [key] = keysOf([o.recurrenceId], `overrides[${i}].recurrenceId`, 1, zone, allDay);
    const oStart = o.start == null ? null : parseSeriesTime(o.start, allDay);
    const oEnd = o.end == null ? null : parseSeriesTime(o.end, allDay);
    if (o.start != null && oStart === null) throw new RecurrenceError(`overrides[${i}].start`, "The override's start is not in the series' form.");
    if (o.end != null && oEnd === null) throw new RecurrenceError(`overrides[${i}].end`, "The override's end is not in the series' form.");
    return { key: key!, source: o, start: oStart, end: oEnd };
  });
  return { allDay, zone, start, duration: end - start, rule, exWalls, exDates, rdates, overrides };
}

/**
 * UNTIL on the series' clock: `loopUntil` bounds the floating expansion (inclusive); `instantLimit`, for a zoned
 * series with a UTC UNTIL, is the exact instant each placed start is checked against (RFC 5545: UNTIL is UTC when
 * DTSTART has a zone; the wall-clock bound then gets a day's slack so the fold and gap are decided on instants).
 * A floating series reads a UTC UNTIL's digits as floating (libical); a date UNTIL on a timed series covers the day.
 */
export function untilBounds(p: PreparedSeries<unknown>): { loopUntil: number | null; instantLimit: number | null } {
  const until = p.rule?.until;
  if (!until) return { loopUntil: null, instantLimit: null };
  if (p.allDay) return { loopUntil: Math.floor(until.wall / DAY_MS) * DAY_MS, instantLimit: null };
  if (until.form === "date") return { loopUntil: until.wall + DAY_MS - 1, instantLimit: null };
  if (until.form === "utc" && p.zone !== null) return { loopUntil: wallClockAt(until.wall, p.zone) + DAY_MS, instantLimit: until.wall };
  return { loopUntil: until.wall, instantLimit: null };
}
