// The first instances of a rule from a start, without a window: for the editor's "next dates" preview and for
// checking the expansion against published test vectors. Bounded like expand().
import { RecurrenceError } from "./errors";
import { DEFAULT_LIMITS, instancesIn } from "./expand";
import { formatSeriesTime, parseSeriesTime, prepareSeries } from "./series";
import { DAY_MS, type LocalDate, type LocalDateTime, type Zone } from "./wall-clock";

export type InstanceList = { instances: string[]; truncated: boolean };

/**
 * Up to `limit` instances of `rrule` for a series starting at `start` in `zone`, on the series' clock, from
 * `after` (inclusive, same form as start) on. EXDATEs and overrides are not applied.
 */
export function listInstances(rrule: string, start: LocalDateTime | LocalDate, zone: Zone, options: { limit: number; after?: string; maxWork?: number }): InstanceList {
  const allDay = !start.includes("T");
  const startWall = parseSeriesTime(start, allDay);
  const end = allDay && startWall !== null ? formatSeriesTime(startWall + DAY_MS, true) : start;
  const p = prepareSeries({ start, end, zone, rrule });
  const after = options.after === undefined ? p.start : parseSeriesTime(options.after, p.allDay);
  if (after === null) throw new RecurrenceError("after", `"${options.after}" is not in the form of the start (${p.allDay ? "a date" : "a local date-time"}).`);
  const { walls, truncated } = instancesIn({ ...p, duration: 0 }, after, 253_402_300_799_000, { maxOccurrences: options.limit, maxWork: options.maxWork ?? DEFAULT_LIMITS.maxWork });
  const capped = walls.length > options.limit;
  return { instances: walls.slice(0, options.limit).map((w) => formatSeriesTime(w, p.allDay)), truncated: truncated || capped };
}
