// The UTC span every occurrence of a series lies in, for storing beside the series so a window query reads only
// the rows that can overlap it. Generous on purpose (a day either side for floating times, which every viewer
// places in their own zone; an hour for DST): a bound may be loose, never wrong.
import { DEFAULT_LIMITS, instancesIn } from "./expand";
import { prepareSeries, untilBounds, type Series } from "./series";
import { DAY_MS, HOUR_MS } from "./wall-clock";
import { placeWallClock } from "./zone";

export type SeriesBounds = { firstStartMs: number; lastEndMs: number | null };

/** How many instances of a COUNT rule are walked to find its last; a longer one is stored as open-ended. */
const MAX_COUNTED = 5000;

export function seriesBounds(series: Series<unknown>): SeriesBounds {
  const p = prepareSeries(series);
  const floating = p.allDay || p.zone === null;
  const slack = floating ? DAY_MS + HOUR_MS : HOUR_MS;
  const place = (wall: number) => (floating ? wall : placeWallClock(wall, p.zone));
  const starts = [p.start, ...p.rdates, ...p.overrides.flatMap((o) => (o.start === null ? [] : [o.start]))];
  const ends = [
    ...p.rdates.map((w) => w + p.duration),
    ...p.overrides.flatMap((o) => (o.end !== null ? [o.end] : o.start !== null ? [o.start + p.duration] : [])),
  ];
  const firstStartMs = Math.min(...starts.map(place)) - slack;
  let lastStart: number | null;
  if (!p.rule) lastStart = p.start;
  else if (p.rule.until) {
    const { loopUntil, instantLimit } = untilBounds(p);
    lastStart = instantLimit !== null ? null : loopUntil;
    if (instantLimit !== null) return { firstStartMs, lastEndMs: Math.max(instantLimit + p.duration, ...ends.map(place)) + slack + DAY_MS };
  } else if (p.rule.count !== null && p.rule.count <= MAX_COUNTED) {
    const walked = instancesIn(p, p.start, Number.MAX_SAFE_INTEGER, { maxOccurrences: p.rule.count, maxWork: DEFAULT_LIMITS.maxWork });
    lastStart = walked.truncated ? null : (walked.walls.at(-1) ?? p.start);
  } else lastStart = null;
  if (lastStart === null) return { firstStartMs, lastEndMs: null };
  return { firstStartMs, lastEndMs: Math.max(place(lastStart + p.duration), ...ends.map(place)) + slack };
}
