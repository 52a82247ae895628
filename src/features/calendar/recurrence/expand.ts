// Occurrences of a series in a window: the rule is expanded in wall-clock time (iterate.ts), RDATEs added, EXDATEs
// and cancelled overrides removed, moved overrides applied, and only then is each start and end placed in the
// series' zone (all-day and floating ones in the viewer's zone). Everything is bounded: the window's span, the
// number of occurrences, and the work the expansion may do.
import { RecurrenceError } from "./errors";
import { expandFloating } from "./iterate";
import { formatSeriesTime, prepareSeries, untilBounds, type ClockKey, type Override, type PreparedOverride, type PreparedSeries, type Series } from "./series";
import { DAY_MS, startOfDay } from "./wall-clock";
import { isTimeZone, placeWallClock } from "./zone";

/** [from, to) in UTC epoch ms. */
export type ExpandWindow = { from: number; to: number };

export type ExpandLimits = {
  /** Longest window accepted (a RecurrenceError on "window" beyond it). */
  maxWindowDays: number;
  /** Occurrences returned at most; more sets `truncated`. */
  maxOccurrences: number;
  /** Expansion steps allowed (see iterate.ts); spent, the result is `truncated`. */
  maxWork: number;
  /** The zone floating times and all-day dates are placed in (the viewer's). */
  floatingZone: string;
};

export const DEFAULT_LIMITS: ExpandLimits = { maxWindowDays: 400, maxOccurrences: 5000, maxWork: 500_000, floatingZone: "UTC" };

export type Occurrence<T = unknown> = {
  /** The occurrence's original start on the series' clock ("2026-03-08T09:00" or "2026-03-08"). */
  recurrenceId: string;
  /** Start and end on the series' clock after any override (dates for all-day: end exclusive). */
  start: string;
  end: string;
  startUtcMs: number;
  endUtcMs: number;
  allDay: boolean;
  override: Override<T> | null;
};

export type Expansion<T = unknown> = { occurrences: Occurrence<T>[]; truncated: boolean };

// Wall clocks and instants differ by at most 26 hours (UTC-12 … UTC+14).
const CLOCK_SLACK = 2 * DAY_MS;

const matches = (key: ClockKey, wall: number) => ("date" in key ? startOfDay(wall) === key.date : key.wall === wall);

/** Occurrences overlapping [from, to), sorted by start; throws RecurrenceError for bad input. */
export function expand<T>(series: Series<T>, window: ExpandWindow, limits: Partial<ExpandLimits> = {}): Expansion<T> {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  if (!Number.isFinite(window.from) || !Number.isFinite(window.to) || window.to < window.from) throw new RecurrenceError("window", "The window's end must not be before its start.");
  if (window.to - window.from > lim.maxWindowDays * DAY_MS) throw new RecurrenceError("window", `The window may span at most ${lim.maxWindowDays} days.`);
  if (!isTimeZone(lim.floatingZone)) throw new RecurrenceError("timeZone", `"${lim.floatingZone}" is not a known IANA time zone.`);
  return expandPrepared(prepareSeries(series), window, lim);
}

/** Instances of the rule (and RDATEs) in a wall-clock horizon, before EXDATEs and overrides. */
export function instancesIn(p: PreparedSeries<unknown>, horizonStart: number, horizonEnd: number, lim: Pick<ExpandLimits, "maxOccurrences" | "maxWork">): { walls: number[]; truncated: boolean } {
  let walls: number[] = [];
  let truncated = false;
  if (p.rule) {
    const { loopUntil, instantLimit } = untilBounds(p);
    const r = expandFloating(p.rule, { dtstart: p.start, allDay: p.allDay, until: loopUntil, horizonStart, horizonEnd, maxResults: lim.maxOccurrences * 2 + 10, maxWork: lim.maxWork });
    walls = instantLimit === null ? r.walls : r.walls.filter((w) => placeWallClock(w, p.zone) <= instantLimit);
    truncated = r.truncated;
  } else if (p.start >= horizonStart && p.start <= horizonEnd) {
    walls = [p.start];
  }
  const extra = p.rdates.filter((w) => w >= horizonStart && w <= horizonEnd);
  if (extra.length > 0) walls = [...new Set([...walls, ...extra])].sort((a, b) => a - b);
  return { walls, truncated };
}

/** Whether `wall` is an instance of the series (rule, DTSTART or RDATE), EXDATEs aside. */
export function isInstance(p: PreparedSeries<unknown>, wall: number, maxWork = DEFAULT_LIMITS.maxWork): boolean {
  return instancesIn(p, wall, wall, { maxOccurrences: 1, maxWork }).walls.includes(wall);
}

export function expandPrepared<T>(p: PreparedSeries<T>, window: ExpandWindow, lim: ExpandLimits): Expansion<T> {
  const place = (wall: number) => placeWallClock(wall, p.allDay || p.zone === null ? lim.floatingZone : p.zone);
  const horizonStart = window.from - CLOCK_SLACK - Math.max(p.duration, 0);
  const horizonEnd = window.to + CLOCK_SLACK;
  const { walls, truncated } = instancesIn(p, horizonStart, horizonEnd, lim);
  const excluded = (wall: number) => p.exWalls.has(wall) || (p.exDates.size > 0 && p.exDates.has(startOfDay(wall)));
  const byWall = new Map<number, PreparedOverride<T>>();
  const byDate: PreparedOverride<T>[] = [];
  for (const o of p.overrides) {
    if ("date" in o.key) byDate.push(o);
    else if (!byWall.has(o.key.wall)) byWall.set(o.key.wall, o);
  }
  const overrideFor = (wall: number): PreparedOverride<T> | undefined => byWall.get(wall) ?? (byDate.length > 0 ? byDate.find((o) => matches(o.key, wall)) : undefined);
  const out: Occurrence<T>[] = [];
  const emit = (wall: number, o: PreparedOverride<T> | undefined) => {
    if (o?.source.cancelled) return;
    const startWall = o?.start ?? wall;
    const endWall = o?.end ?? startWall + p.duration;
    const startUtcMs = place(startWall);
    const endUtcMs = Math.max(place(endWall), startUtcMs);
    const overlaps = startUtcMs < window.to && (endUtcMs > window.from || (endUtcMs === startUtcMs && startUtcMs >= window.from));
    if (!overlaps) return;
    const recurrenceId = formatSeriesTime(wall, p.allDay);
    const start = startWall === wall ? recurrenceId : formatSeriesTime(startWall, p.allDay);
    out.push({ recurrenceId, start, end: formatSeriesTime(endWall, p.allDay), startUtcMs, endUtcMs, allDay: p.allDay, override: o?.source ?? null });
  };
  const used = new Set<PreparedOverride<T>>();
  for (const wall of walls) {
    if (excluded(wall)) continue;
    const o = p.overrides.length > 0 ? overrideFor(wall) : undefined;
    if (o) used.add(o);
    emit(wall, o);
  }
  // Overrides moved into the window from an original start outside the horizon.
  for (const o of p.overrides) {
    if (used.has(o) || o.source.cancelled || o.start === null || !("wall" in o.key)) continue;
    const wall = o.key.wall;
    if ((wall >= horizonStart && wall <= horizonEnd) || excluded(wall) || !isInstance(p, wall, lim.maxWork)) continue;
    emit(wall, o);
  }
  out.sort((a, b) => a.startUtcMs - b.startUtcMs || (a.recurrenceId < b.recurrenceId ? -1 : a.recurrenceId > b.recurrenceId ? 1 : 0));
  const capped = out.length > lim.maxOccurrences;
  return { occurrences: capped ? out.slice(0, lim.maxOccurrences) : out, truncated: truncated || capped };
}
