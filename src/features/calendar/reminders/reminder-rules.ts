// When a reminder fires, without a database: a timed occurrence `minutes` before its start; an all-day one at 09:00
// in the person's zone, on its date for leads under a day, else that many whole days before. And what to call it.
import { DAY_MS, HOUR_MS, MINUTE_MS, parseLocalDate, placeWallClock } from "../recurrence";

export const ALL_DAY_HOUR = 9;
/** The longest lead a reminder may have (four weeks), which bounds how far ahead the job looks. */
export const MAX_LEAD_MINUTES = 40320;

export function fireAt(occurrence: { startUtcMs: number; allDay: boolean; start: string }, minutes: number, personZone: string): number {
  if (!occurrence.allDay) return occurrence.startUtcMs - minutes * MINUTE_MS;
  const date = parseLocalDate(occurrence.start.slice(0, 10))!;
  const days = Math.floor(minutes / (24 * 60));
  return placeWallClock(date - days * DAY_MS + ALL_DAY_HOUR * HOUR_MS, personZone);
}

/** "at the start", "10 minutes before", "1 hour before", "2 days before", "1 week before". */
export function leadText(minutes: number): string {
  if (minutes === 0) return "at the start";
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"} before`;
  if (minutes % 10080 === 0) return unit(minutes / 10080, "week");
  if (minutes % 1440 === 0) return unit(minutes / 1440, "day");
  if (minutes % 60 === 0) return unit(minutes / 60, "hour");
  return unit(minutes, "minute");
}
