// Pure edits of a series for the three scopes of the editor: "this occurrence" (an override or an EXDATE),
// "this and following" (a split: the old series ends just before the occurrence, the new one starts there, and
// every exception goes to the half it belongs to) and "all" (moving the series moves its exceptions with it).
// Values come back in canonical form on the series' clock ("2026-03-08T09:00", "2026-03-08").
import { parseDateForm, toSeriesClock } from "./date-forms";
import { RecurrenceError } from "./errors";
import { DEFAULT_LIMITS, instancesIn, isInstance } from "./expand";
import { expandFloating } from "./iterate";
import { formatRRule, WEEKDAYS, type Rule, type Until } from "./rrule-parse";
import { formatSeriesTime, parseSeriesTime, prepareSeries, type ClockKey, type Override, type PreparedSeries, type Series } from "./series";
import { DAY_MS, formatLocalDate, startOfDay, type LocalDate, type LocalDateTime, type Zone } from "./wall-clock";
import { isTimeZone, placeWallClock, wallClockAt } from "./zone";

const keyText = (k: ClockKey, allDay: boolean) => ("date" in k ? formatLocalDate(k.date) : formatSeriesTime(k.wall, allDay));

function clockKey(p: PreparedSeries<unknown>, value: string, field: string): ClockKey {
  const form = typeof value === "string" ? parseDateForm(value) : null;
  if (!form) throw new RecurrenceError(field, `"${String(value)}" is not a date, a date-time or a UTC time.`);
  return toSeriesClock(form, p.zone, p.allDay);
}

/** The occurrence an id names, as a wall time: the exact instance, or for a date on a timed series its first one. */
function occurrenceWall(p: PreparedSeries<unknown>, id: string, field = "occurrence"): number {
  const key = clockKey(p, id, field);
  if ("wall" in key) {
    if (isInstance(p, key.wall)) return key.wall;
  } else {
    const [first] = instancesIn(p, key.date, key.date + DAY_MS - 1, { maxOccurrences: 1, maxWork: DEFAULT_LIMITS.maxWork }).walls;
    if (first !== undefined) return first;
  }
  throw new RecurrenceError(field, `${id} is not an occurrence of this event.`);
}

function serialize<T>(series: Series<T>, p: PreparedSeries<T>, parts: { exdates: ClockKey[]; rdates: number[]; overrides: Override<T>[] }): Series<T> {
  return {
    ...series,
    exdates: parts.exdates.map((k) => keyText(k, p.allDay)),
    rdates: parts.rdates.map((w) => formatSeriesTime(w, p.allDay)),
    overrides: parts.overrides,
  };
}

const exKeys = (p: PreparedSeries<unknown>): ClockKey[] => [...[...p.exWalls].map((wall) => ({ wall })), ...[...p.exDates].map((date) => ({ date }))];

/** The UNTIL that ends a series just before `wall`: the previous day for dates, a second before otherwise. */
function untilBefore(p: PreparedSeries<unknown>, wall: number): Until {
  if (p.allDay) return { form: "date", wall: wall - DAY_MS };
  if (p.zone === null) return { form: "floating", wall: wall - 1000 };
  return { form: "utc", wall: placeWallClock(wall, p.zone) - 1000 };
}

/**
 * "This and following" at the occurrence `at` (its original start, any form): `before` ends with an UNTIL just
 * before it (a COUNT becomes that UNTIL, and the new half gets the remaining count), `after` starts at it with the
 * same rule. EXDATEs, RDATEs and overrides go to the half their date belongs to. `before` is null when `at` is the
 * first occurrence (the edit is then "all").
 */
export function splitSeries<T>(series: Series<T>, at: string): { before: Series<T> | null; after: Series<T> } {
  const p = prepareSeries(series);
  if (!p.rule) throw new RecurrenceError("occurrence", "The event does not repeat: edit it as a whole.");
  const w = occurrenceWall(p, at);
  const rule: Rule = p.rule;
  // Rule instances before the split (COUNT counts those, not RDATEs, and ignores EXDATEs: RFC 5545 §3.8.5.1).
  const earlier = expandFloating(rule, { dtstart: p.start, allDay: p.allDay, until: null, horizonStart: Number.POSITIVE_INFINITY, horizonEnd: w - 1, maxResults: 1, maxWork: DEFAULT_LIMITS.maxWork * 4 });
  if (earlier.truncated && rule.count !== null) throw new RecurrenceError("occurrence", "The series is too long to split at this occurrence.");
  const rdatesBefore = p.rdates.filter((d) => d < w);
  const hasBefore = earlier.seen > 0 || rdatesBefore.length > 0;
  const belongsBefore = (k: ClockKey) => ("date" in k ? k.date < startOfDay(w) : k.wall < w);
  const belongsAfter = (k: ClockKey) => ("date" in k ? k.date >= startOfDay(w) : k.wall >= w);
  const overrideKeys = p.overrides.map((o) => ({ o: o.source, k: o.key }));
  const canonical = (o: Override<T>, k: ClockKey): Override<T> => ({ ...o, recurrenceId: keyText(k, p.allDay) });

  const afterRule: Rule = { ...rule, count: rule.count === null ? null : rule.count - earlier.seen };
  const after = serialize({ ...series, start: formatSeriesTime(w, p.allDay), end: formatSeriesTime(w + p.duration, p.allDay), rrule: formatRRule(afterRule) }, p, {
    exdates: exKeys(p).filter(belongsAfter),
    rdates: p.rdates.filter((d) => d >= w),
    overrides: overrideKeys.filter(({ k }) => belongsAfter(k)).map(({ o, k }) => canonical(o, k)),
  });
  if (!hasBefore) return { before: null, after };
  const beforeRule: Rule = { ...rule, count: null, until: untilBefore(p, w) };
  const before = serialize({ ...series, rrule: formatRRule(beforeRule) }, p, {
    // A date on a timed series names every occurrence that day: it stays with both halves when the split is that day.
    exdates: exKeys(p).filter((k) => belongsBefore(k) || ("date" in k && k.date === startOfDay(w))),
    rdates: rdatesBefore,
    overrides: overrideKeys.filter(({ k }) => belongsBefore(k)).map(({ o, k }) => canonical(o, k)),
  });
  return { before, after };
}

/**
 * "All": the series starts at `change.start` (and ends at `change.end`, by default keeping its length), and every
 * EXDATE, RDATE, override (its recurrence id and any moved start/end) and the UNTIL move by the same wall-clock
 * delta, so the exceptions stay on the occurrences they belonged to. `zone` changes the zone, keeping wall-clock.
 * A WEEKLY rule's plain BYDAY weekdays move with it too; other BYxxx parts (a month-day, a numbered weekday) are
 * left as they are: the editor sends a new rule when it changes them.
 */
export function moveSeries<T>(series: Series<T>, change: { start: LocalDateTime | LocalDate; end?: LocalDateTime | LocalDate; zone?: Zone }): Series<T> {
  const p = prepareSeries(series);
  const start = parseSeriesTime(change.start, p.allDay);
  if (start === null) throw new RecurrenceError("start", p.allDay ? "start must be a date, as the event is all-day." : "start must be a local date-time, as the event has times.");
  const end = change.end === undefined ? start + p.duration : parseSeriesTime(change.end, p.allDay);
  if (end === null) throw new RecurrenceError("end", "end is not in the event's form.");
  const zone = change.zone === undefined ? p.zone : change.zone;
  if (zone !== null && !isTimeZone(zone)) throw new RecurrenceError("timeZone", `"${zone}" is not a known IANA time zone.`);
  const delta = start - p.start;
  const dayDelta = startOfDay(start) - startOfDay(p.start);
  const shift = (k: ClockKey): ClockKey => ("date" in k ? { date: k.date + dayDelta } : { wall: k.wall + delta });
  let rrule = series.rrule;
  if (p.rule) {
    let rule: Rule = p.rule;
    const u = rule.until;
    if (u) {
      const until: Until =
        u.form === "date" ? { form: "date", wall: u.wall + dayDelta }
        : u.form === "utc" && p.zone !== null ? { form: "utc", wall: placeWallClock(wallClockAt(u.wall, p.zone) + delta, zone) }
        : { form: u.form, wall: u.wall + delta };
      rule = { ...rule, until };
    }
    // A weekly rule's plain weekdays move with the start (Mondays moved a day later are Tuesdays).
    const days = Math.round(dayDelta / DAY_MS);
    if (rule.freq === "WEEKLY" && days % 7 !== 0 && rule.byDay.length > 0 && rule.byDay.every((d) => d.ordinal === null)) {
      rule = { ...rule, byDay: rule.byDay.map((d) => ({ weekday: WEEKDAYS[(((WEEKDAYS.indexOf(d.weekday) + days) % 7) + 7) % 7]!, ordinal: null })) };
    }
    if (rule !== p.rule) rrule = formatRRule(rule);
  }
  const moved = { ...series, start: formatSeriesTime(start, p.allDay), end: formatSeriesTime(end, p.allDay), zone: p.allDay ? series.zone : zone, rrule };
  prepareSeries(moved); // the moved series must itself be valid (end after start)
  return serialize(moved, p, {
    exdates: exKeys(p).map(shift),
    rdates: p.rdates.map((w) => w + delta),
    overrides: p.overrides.map((o) => ({
      ...o.source,
      recurrenceId: keyText(shift(o.key), p.allDay),
      ...(o.start !== null ? { start: formatSeriesTime(o.start + delta, p.allDay) } : {}),
      ...(o.end !== null ? { end: formatSeriesTime(o.end + delta, p.allDay) } : {}),
    })),
  });
}

/** "This occurrence", deleted: an EXDATE for it (any override of it goes). */
export function cancelOccurrence<T>(series: Series<T>, recurrenceId: string): Series<T> {
  const p = prepareSeries(series);
  const w = occurrenceWall(p, recurrenceId);
  const same = (k: ClockKey) => ("wall" in k ? k.wall === w : k.date === startOfDay(w));
  return serialize(series, p, {
    exdates: [...exKeys(p).filter((k) => !("wall" in k && k.wall === w)), { wall: w }],
    rdates: p.rdates,
    overrides: p.overrides.filter((o) => !same(o.key)).map((o) => ({ ...o.source, recurrenceId: keyText(o.key, p.allDay) })),
  });
}

/** "This occurrence", changed: an override for it (moved with start/end, and/or carrying data such as a title). */
export function overrideOccurrence<T>(series: Series<T>, recurrenceId: string, change: { start?: LocalDateTime | LocalDate | null; end?: LocalDateTime | LocalDate | null; data?: T }): Series<T> {
  const p = prepareSeries(series);
  const w = occurrenceWall(p, recurrenceId);
  const start = change.start == null ? null : parseSeriesTime(change.start, p.allDay);
  const end = change.end == null ? null : parseSeriesTime(change.end, p.allDay);
  if (change.start != null && start === null) throw new RecurrenceError("start", "start is not in the event's form.");
  if (change.end != null && end === null) throw new RecurrenceError("end", "end is not in the event's form.");
  const s = start ?? w;
  const e = end ?? s + p.duration;
  if (p.allDay ? e <= s : placeWallClock(e, p.zone) < placeWallClock(s, p.zone)) throw new RecurrenceError("end", "end must be after start.");
  const same = (k: ClockKey) => ("wall" in k ? k.wall === w : k.date === startOfDay(w));
  const previous = p.overrides.find((o) => same(o.key))?.source;
  const next: Override<T> = {
    ...previous,
    recurrenceId: formatSeriesTime(w, p.allDay),
    cancelled: false,
    start: start === null ? (previous?.start ?? null) : formatSeriesTime(start, p.allDay),
    end: end === null ? (previous?.end ?? null) : formatSeriesTime(end, p.allDay),
    ...(change.data !== undefined ? { data: change.data } : {}),
  };
  return serialize(series, p, {
    exdates: exKeys(p),
    rdates: p.rdates,
    overrides: [...p.overrides.filter((o) => !same(o.key)).map((o) => ({ ...o.source, recurrenceId: keyText(o.key, p.allDay) })), next],
  });
}

/**
 * After the rule or the start changed: the EXDATEs and overrides that no longer name an occurrence are dropped
 * (they would otherwise wait, invisible, for a rule that makes them match again).
 */
export function dropStrayExceptions<T>(series: Series<T>): Series<T> {
  const p = prepareSeries(series);
  const occurs = (k: ClockKey) => ("wall" in k ? isInstance(p, k.wall) : instancesIn(p, k.date, k.date + DAY_MS - 1, { maxOccurrences: 1, maxWork: DEFAULT_LIMITS.maxWork }).walls.length > 0);
  return serialize(series, p, {
    exdates: exKeys(p).filter(occurs),
    rdates: p.rdates,
    overrides: p.overrides.filter((o) => occurs(o.key)).map((o) => ({ ...o.source, recurrenceId: keyText(o.key, p.allDay) })),
  });
}
