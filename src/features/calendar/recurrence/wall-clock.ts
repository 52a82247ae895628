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
const TWO = Array.from({ length: 60 }, (_, i) => pad(i));

/** Year, month, day of a day count since 1970-01-01 (H. Hinnant's civil_from_days), without a Date object. */
function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Wall ms → "2026-03-08" (the date part). Formatting is a large share of expand()'s cost, hence no Date here. */
export function formatLocalDate(wall: number): LocalDate {
  const [y, m, d] = civil(Math.floor(wall / DAY_MS));
  return `${y < 1000 ? pad(y, 4) : y}-${TWO[m]}-${TWO[d]}`;
}

/** Wall ms → "2026-03-08T09:00" (seconds only when not zero). */
export function formatLocalDateTime(wall: number): LocalDateTime {
  const ms = ((wall % DAY_MS) + DAY_MS) % DAY_MS;
  const seconds = Math.floor(ms / 1000) % 60;
  const base = `${formatLocalDate(wall)}T${TWO[Math.floor(ms / HOUR_MS)]}:${TWO[Math.floor(ms / MINUTE_MS) % 60]}`;
  return seconds === 0 ? base : `${base}:${TWO[seconds]}`;
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
