// Wall-clock values: what a clock on the wall shows, with no zone attached. Internally a wall-clock time is a
// number of milliseconds laid out like a UTC epoch ("wall ms"), so date arithmetic on it is plain arithmetic and
// never depends on the process zone; it becomes a real instant only when placed in a zone (zone.ts).

/** A local date-time such as "2026-03-08T09:00" or "2026-03-08T09:00:30". */
export type LocalDateTime = string;
/** A date such as "2026-03-08": an all-day value, the same date in every zone. */
export type LocalDate = string;
/** An IANA zone such as "Europe/London", or null for floating (the viewer's own clock). */
export type Zone = string | null;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Wall ms for fields, or null when they are not a real calendar date/time (2026-02-30, 24:00). */
export function wallFromFields(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number | null {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (day > daysInMonth(year, month)) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** "2026-03-08T09:00[:ss]" → wall ms; null when malformed or not a real time. */
export function parseLocalDateTime(text: string): number | null {
  const m = DATE_TIME.exec(text);
  return m ? wallFromFields(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0)) : null;
}

/** "2026-03-08" → wall ms of its midnight; null when malformed or not a real date. */
export function parseLocalDate(text: string): number | null {
  const m = DATE.exec(text);
  return m ? wallFromFields(+m[1]!, +m[2]!, +m[3]!) : null;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Wall ms → "2026-03-08T09:00" (seconds only when not zero). */
export function formatLocalDateTime(wall: number): LocalDateTime {
  const d = new Date(wall);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return d.getUTCSeconds() === 0 ? base : `${base}:${pad(d.getUTCSeconds())}`;
}

/** Wall ms → "2026-03-08" (the date part). */
export function formatLocalDate(wall: number): LocalDate {
  const d = new Date(wall);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Wall ms → RFC 5545 basic form: "20260308T090000", or "20260308" with `date`. */
export function formatBasic(wall: number, form: "date" | "date-time"): string {
  const d = new Date(wall);
  const date = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  return form === "date" ? date : `${date}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** Midnight of the wall ms's date. */
export const startOfDay = (wall: number) => Math.floor(wall / DAY_MS) * DAY_MS;

/** 0 = Monday … 6 = Sunday (RFC 5545 and rrule's order). */
export const weekdayOf = (wall: number) => (new Date(wall).getUTCDay() + 6) % 7;
