// Placing wall-clock times in IANA zones, with the zone rules of the runtime's Intl data (through @date-fns/tz's
// tzOffset), never a fixed offset, and independent of the process zone. RFC 5545 §3.3.5: a time in the spring gap
// is read with the offset from before the gap (so it moves forward by the gap's length); a time that happens twice
// takes the first (the earlier instant).
import { tzOffset } from "@date-fns/tz";
import { DAY_MS, MINUTE_MS, type Zone } from "./wall-clock";

const validZones = new Map<string, boolean>();

/** Whether `id` is an IANA zone the runtime knows ("Europe/London", "UTC"); offsets like "+02:00" are not zones. */
export function isTimeZone(id: string): boolean {
  let ok = validZones.get(id);
  if (ok === undefined) {
    ok = /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(id) && id.length <= 64;
    if (ok) {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: id });
      } catch {
        ok = false;
      }
    }
    validZones.set(id, ok);
  }
  return ok;
}

// Offsets per zone and UTC day: [offset at the day's start, offset at its end]. When the two agree the whole day
// has that offset (zones change at most once a day), so one Intl call answers a day's worth of lookups; measured
// in bench/recurrence.ts this is what makes placement cheap.
const dayOffsets = new Map<string, Map<number, number>>();

function rawOffsetMs(zone: string, utcMs: number): number {
  return Math.round(tzOffset(zone, new Date(utcMs)) * MINUTE_MS);
}

/** The zone's UTC offset in ms at an instant (positive east of Greenwich). */
export function offsetAt(zone: string, utcMs: number): number {
  if (zone === "UTC") return 0;
  let days = dayOffsets.get(zone);
  if (!days) dayOffsets.set(zone, (days = new Map()));
  const day = Math.floor(utcMs / DAY_MS);
  let start = days.get(day * 2);
  if (start === undefined) {
    start = rawOffsetMs(zone, day * DAY_MS);
    days.set(day * 2, start);
  }
  let end = days.get(day * 2 + 1);
  if (end === undefined) {
    end = rawOffsetMs(zone, day * DAY_MS + DAY_MS - 1);
    days.set(day * 2 + 1, end);
  }
  return start === end ? start : rawOffsetMs(zone, utcMs);
}

/** The wall-clock time (wall ms) an instant shows in a zone; floating (null) reads it as UTC. */
export function wallClockAt(utcMs: number, zone: Zone): number {
  return zone === null ? utcMs : utcMs + offsetAt(zone, utcMs);
}

/**
 * The instant a wall-clock time denotes in a zone (floating: read as UTC). In the spring gap the time moves forward
 * by the gap (02:30 on a 02:00→03:00 day is 03:30); in the autumn fold the first of the two instants is taken.
 */
export function placeWallClock(wall: number, zone: Zone): number {
  if (zone === null || zone === "UTC") return wall;
  const before = offsetAt(zone, wall - DAY_MS); // offsets a day either side: at most one change lies between
  const after = offsetAt(zone, wall + DAY_MS);
  if (before === after) {
    const t = wall - before;
    if (offsetAt(zone, t) === before) return t;
  }
  const tBefore = wall - before;
  const tAfter = wall - after;
  const okBefore = offsetAt(zone, tBefore) === before;
  const okAfter = offsetAt(zone, tAfter) === after;
  if (okBefore && okAfter) return Math.min(tBefore, tAfter); // the fold: the first of the two
  if (okBefore) return tBefore;
  if (okAfter) return tAfter;
  return tBefore; // the gap: read with the offset from before it, which lands past the gap
}
