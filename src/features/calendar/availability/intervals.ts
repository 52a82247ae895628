// Time as lists of [start, end) intervals in UTC ms, sorted and disjoint: working hours placed day by day in a
// person's zone (so 09:00 stays 09:00 across DST changes), then intersected and cut by busy time. Pure, and
// tested without a database (intervals.test.ts).
import { DAY_MS, parseLocalDate, placeWallClock, wallClockAt, weekdayOf, formatLocalDate } from "../recurrence";
import { WEEKDAY_KEYS, type WorkingHours } from "../schema";

export interface Interval {
  startMs: number;
  endMs: number;
}

/** Monday to Friday, 09:00–17:00: what a person who set nothing works. */
export const DEFAULT_WORKING_HOURS: WorkingHours = { mo: [["09:00", "17:00"]], tu: [["09:00", "17:00"]], we: [["09:00", "17:00"]], th: [["09:00", "17:00"]], fr: [["09:00", "17:00"]], sa: [], su: [] };

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Sorted, merged: overlapping or touching intervals become one; empty ones go. */
export function normalize(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((i) => i.endMs > i.startMs).sort((a, b) => a.startMs - b.startMs);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.startMs <= last.endMs) last.endMs = Math.max(last.endMs, i.endMs);
    else out.push({ startMs: i.startMs, endMs: i.endMs });
  }
  return out;
}

/** The working periods in [from, to), each day's local times placed in `zone` ("24:00" is the day's end). */
export function workingIntervals(hours: WorkingHours, zone: string, from: number, to: number): Interval[] {
  const out: Interval[] = [];
  // From the local day before `from` to the one after `to`: a zone far from UTC shifts days either way.
  const firstDay = parseLocalDate(formatLocalDate(wallClockAt(from, zone)))! - DAY_MS;
  const lastDay = parseLocalDate(formatLocalDate(wallClockAt(to, zone)))! + DAY_MS;
  for (let day = firstDay; day <= lastDay; day += DAY_MS) {
    // weekdayOf: 0 = Monday, as WEEKDAY_KEYS.
    for (const [start, end] of hours[WEEKDAY_KEYS[weekdayOf(day)]!]) {
      const startMs = placeWallClock(day + minutesOf(start) * 60_000, zone);
      const endMs = placeWallClock(day + minutesOf(end) * 60_000, zone);
      out.push({ startMs: Math.max(startMs, from), endMs: Math.min(endMs, to) });
    }
  }
  return normalize(out);
}

/** What both lists cover. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const startMs = Math.max(a[i]!.startMs, b[j]!.startMs);
    const endMs = Math.min(a[i]!.endMs, b[j]!.endMs);
    if (endMs > startMs) out.push({ startMs, endMs });
    if (a[i]!.endMs < b[j]!.endMs) i++;
    else j++;
  }
  return out;
}

/** `list` with every `cut` taken out. */
export function subtract(list: readonly Interval[], cut: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  const cuts = normalize(cut);
  let j = 0;
  for (const item of list) {
    let start = item.startMs;
    while (j < cuts.length && cuts[j]!.endMs <= start) j++;
    for (let k = j; k < cuts.length && cuts[k]!.startMs < item.endMs; k++) {
      if (cuts[k]!.startMs > start) out.push({ startMs: start, endMs: cuts[k]!.startMs });
      start = Math.max(start, cuts[k]!.endMs);
    }
    if (start < item.endMs) out.push({ startMs: start, endMs: item.endMs });
  }
  return out;
}

/** Starts every `stepMs` (on the step's grid in UTC, so quarter hours stay quarter hours) where `durationMs` fits in a free interval. */
export function slotsIn(free: readonly Interval[], durationMs: number, stepMs: number, max: number): { slots: Interval[]; truncated: boolean } {
  const slots: Interval[] = [];
  for (const f of free) {
    for (let start = Math.ceil(f.startMs / stepMs) * stepMs; start + durationMs <= f.endMs; start += stepMs) {
      if (slots.length === max) return { slots, truncated: true };
      slots.push({ startMs: start, endMs: start + durationMs });
    }
  }
  return { slots, truncated: false };
}
