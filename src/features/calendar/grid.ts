// The grids as data, from the occurrences of a window: which days a view shows, which events fall on each day in
// the viewer's zone, and where a timed event sits in the week and day views (its 5-minute row, its length, and
// its lane among the events it overlaps, side by side). Pure: views draw it, grid.test.ts checks it.
import { DAY_MS, formatLocalDate, MINUTE_MS, parseLocalDate, placeWallClock, wallClockAt, weekdayOf } from "./recurrence";
import type { OccurrenceItem } from "./occurrences";

export const VIEWS = ["month", "week", "day", "agenda"] as const;
export type CalendarViewName = (typeof VIEWS)[number];

/** Rows of the time grid: 5 minutes each, 288 a day. */
export const SLOT_MINUTES = 5;
export const SLOTS_PER_DAY = (24 * 60) / SLOT_MINUTES;
/** Lanes drawn side by side at most; a busier cluster shares the last one. */
export const MAX_LANES = 8;
export const AGENDA_DAYS = 30;
export const MONTH_CHIPS = 3;

export interface ViewRange {
  view: CalendarViewName;
  /** The day the view is anchored on ("2026-03-09"). */
  date: string;
  /** The days shown, in order. */
  days: string[];
  /** The window to ask occurrences for, in UTC ms. */
  from: number;
  to: number;
  /** The anchor of the previous and next page, and of today. */
  prev: string;
  next: string;
}

const addDays = (date: string, n: number) => formatLocalDate(parseLocalDate(date)! + n * DAY_MS);
const addMonths = (date: string, n: number) => {
  const [y, m] = date.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}-01`;
};
/** The Monday on or before a date. */
export const weekStart = (date: string) => addDays(date, -weekdayOf(parseLocalDate(date)!));
const midnight = (date: string, zone: string) => placeWallClock(parseLocalDate(date)!, zone);

export function viewRange(view: CalendarViewName, date: string, zone: string): ViewRange {
  let days: string[];
  let prev: string;
  let next: string;
  if (view === "month") {
    const first = `${date.slice(0, 7)}-01`;
    const start = weekStart(first);
    const nextMonth = addMonths(first, 1);
    const count = Math.ceil((parseLocalDate(nextMonth)! - parseLocalDate(start)!) / DAY_MS / 7) * 7;
    days = Array.from({ length: count }, (_, i) => addDays(start, i));
    prev = addMonths(first, -1);
    next = nextMonth;
  } else if (view === "week") {
    const start = weekStart(date);
    days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
    prev = addDays(start, -7);
    next = addDays(start, 7);
  } else if (view === "day") {
    days = [date];
    prev = addDays(date, -1);
    next = addDays(date, 1);
  } else {
    days = Array.from({ length: AGENDA_DAYS }, (_, i) => addDays(date, i));
    prev = addDays(date, -AGENDA_DAYS);
    next = addDays(date, AGENDA_DAYS);
  }
  return { view, date, days, from: midnight(days[0]!, zone), to: midnight(addDays(days.at(-1)!, 1), zone), prev, next };
}

/** The local dates an occurrence covers in the viewer's zone (all-day: its own dates, end exclusive). */
export function datesOf(o: Pick<OccurrenceItem, "allDay" | "start" | "end" | "startMs" | "endMs">, zone: string): [string, string] {
  if (o.allDay) return [o.start, addDays(o.end, -1) < o.start ? o.start : addDays(o.end, -1)];
  const first = formatLocalDate(wallClockAt(o.startMs, zone));
  // An event ending exactly at midnight does not reach into the next day.
  const last = formatLocalDate(wallClockAt(Math.max(o.startMs, o.endMs - 1), zone));
  return [first, last];
}

/** All-day events and timed ones of a day or more go in the all-day row; the rest in the time grid. */
export const isAllDayRow = (o: Pick<OccurrenceItem, "allDay" | "startMs" | "endMs">) => o.allDay || o.endMs - o.startMs >= DAY_MS;

export interface DayCell {
  date: string;
  /** Every occurrence on this date, all-day row first, then by start. */
  items: OccurrenceItem[];
}

/** Each shown day with the occurrences on it (an event over several days is on each of them). */
export function byDay(range: Pick<ViewRange, "days">, occurrences: readonly OccurrenceItem[], zone: string): DayCell[] {
  const cells = new Map(range.days.map((date) => [date, [] as OccurrenceItem[]]));
  for (const o of occurrences) {
    const [first, last] = datesOf(o, zone);
    for (let d = first < range.days[0]! ? range.days[0]! : first; d <= last && cells.has(d); d = addDays(d, 1)) cells.get(d)!.push(o);
  }
  return range.days.map((date) => ({
    date,
    items: cells.get(date)!.sort((a, b) => Number(isAllDayRow(b)) - Number(isAllDayRow(a)) || a.startMs - b.startMs || b.endMs - a.endMs),
  }));
}

export interface PlacedEvent {
  item: OccurrenceItem;
  /** First 5-minute row (0–287) and how many rows (at least 3, so a short event stays readable). */
  slot: number;
  span: number;
  lane: number;
  lanes: number;
  /** The event goes on before this day or after it (drawn with a cut edge). */
  continuesBefore: boolean;
  continuesAfter: boolean;
}

/** Timed events of one day placed in the time grid, overlapping ones side by side. */
export function placeDay(date: string, items: readonly OccurrenceItem[], zone: string): PlacedEvent[] {
  const dayStart = parseLocalDate(date)!;
  const timed = items.filter((o) => !isAllDayRow(o)).sort((a, b) => a.startMs - b.startMs || b.endMs - a.endMs);
  const placed: PlacedEvent[] = timed.map((item) => {
    const startWall = wallClockAt(item.startMs, zone) - dayStart;
    const endWall = wallClockAt(item.endMs, zone) - dayStart;
    const startMin = Math.max(0, Math.floor(startWall / MINUTE_MS));
    const endMin = Math.min(24 * 60, Math.ceil(endWall / MINUTE_MS));
    const slot = Math.min(SLOTS_PER_DAY - 1, Math.floor(startMin / SLOT_MINUTES));
    const span = Math.max(3, Math.min(SLOTS_PER_DAY - slot, Math.ceil((endMin - slot * SLOT_MINUTES) / SLOT_MINUTES)));
    return { item, slot, span, lane: 0, lanes: 1, continuesBefore: startWall < 0, continuesAfter: endWall > DAY_MS };
  });
  // Clusters of events that overlap (directly or through others) share a lane count; each takes the first free lane.
  let cluster: PlacedEvent[] = [];
  let clusterEnd = -1;
  const laneEnds: number[] = [];
  const close = () => {
    const lanes = Math.min(MAX_LANES, Math.max(1, ...cluster.map((p) => p.lane + 1)));
    for (const p of cluster) {
      p.lanes = lanes;
      p.lane = Math.min(p.lane, lanes - 1);
    }
    cluster = [];
    laneEnds.length = 0;
  };
  for (const p of placed) {
    if (cluster.length && p.slot >= clusterEnd) close();
    let lane = laneEnds.findIndex((end) => end <= p.slot);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = p.slot + p.span;
    p.lane = lane;
    cluster.push(p);
    clusterEnd = Math.max(cluster.length === 1 ? 0 : clusterEnd, p.slot + p.span);
  }
  if (cluster.length) close();
  return placed;
}

/** The current-time line's row in a day, or null when `now` is not on that day in the zone. */
export function nowSlot(date: string, now: number, zone: string): number | null {
  const minutes = (wallClockAt(now, zone) - parseLocalDate(date)!) / MINUTE_MS;
  return minutes >= 0 && minutes < 24 * 60 ? Math.floor(minutes / SLOT_MINUTES) : null;
}

/** Today's date in the zone. */
export const todayIn = (now: number, zone: string) => formatLocalDate(wallClockAt(now, zone));
