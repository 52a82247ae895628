// The drawer's recurrence editor as plain form fields, and the RRULE they stand for (both ways). A rule the editor
// cannot show (BYSETPOS, several month days…) is kept as it is under "custom", so editing an event never loses it.
import { z } from "zod";
import { DAY_MS, formatLocalDate, parseLocalDate, parseLocalDateTime, parseRRule, placeWallClock, wallClockAt, weekdayOf, type Weekday } from "./recurrence";

export const REPEATS = ["none", "daily", "weekly", "monthly", "yearly", "custom"] as const;
export type Repeat = (typeof REPEATS)[number];
export const WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const satisfies readonly Weekday[];

export interface RecurrenceFields {
  repeat: Repeat;
  interval: number;
  days: Weekday[];
  monthly: "date" | "weekday";
  ends: "never" | "on" | "after";
  until: string;
  count: number;
  /** The rule itself, for "custom". */
  rrule: string;
}

export const recurrenceFields = z.object({
  repeat: z.enum(REPEATS).default("none"),
  interval: z.coerce.number().int("Repeat every whole number of periods.").min(1, "At least every 1.").max(999).default(1),
  days: z
    .union([z.enum(WEEKDAY_CODES), z.array(z.enum(WEEKDAY_CODES))])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
  monthly: z.enum(["date", "weekday"]).default("date"),
  ends: z.enum(["never", "on", "after"]).default("never"),
  until: z.string().max(10).default(""),
  count: z.coerce.number().int("A whole number of times.").min(1, "At least once.").max(1000, "At most 1,000 times.").default(10),
  rrule: z.string().max(2000).default(""),
});

const NTH = ["1", "2", "3", "4"];

/** The position of a date's weekday in its month: 1–4, or -1 for the last one. */
function weekdayPosition(wall: number): string {
  const day = new Date(wall).getUTCDate();
  const last = day + 7 > new Date(Date.UTC(new Date(wall).getUTCFullYear(), new Date(wall).getUTCMonth() + 1, 0)).getUTCDate();
  return last && day > 28 ? "-1" : NTH[Math.floor((day - 1) / 7)] ?? "-1";
}

const pad = (n: number) => String(n).padStart(2, "0");
const basicDate = (date: string) => date.replaceAll("-", "");
function basicUtc(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

/** The RRULE for the fields (null: does not repeat), or the field that is wrong. `start` is the event's start in its form. */
export function toRRule(fields: RecurrenceFields, start: string, zone: string | null): { rrule: string | null } | { field: keyof RecurrenceFields; message: string } {
  if (fields.repeat === "none") return { rrule: null };
  if (fields.repeat === "custom") {
    const text = fields.rrule.trim();
    if (!text) return { field: "rrule", message: "Write the rule, such as FREQ=WEEKLY;BYDAY=MO." };
    return { rrule: text };
  }
  const allDay = !start.includes("T");
  const startWall = allDay ? parseLocalDate(start) : parseLocalDateTime(start);
  if (startWall === null) return { rrule: null };
  const parts = [`FREQ=${fields.repeat.toUpperCase()}`];
  if (fields.interval > 1) parts.push(`INTERVAL=${fields.interval}`);
  if (fields.ends === "after") parts.push(`COUNT=${fields.count}`);
  if (fields.ends === "on") {
    const until = parseLocalDate(fields.until);
    if (until === null) return { field: "until", message: "Choose the last date, such as 2027-06-30." };
    if (until < startWall - (startWall % DAY_MS)) return { field: "until", message: "The last date must not be before the start." };
    // The whole last day counts: for a timed event in a zone, the end of that day there, in UTC (RFC 5545 §3.3.10).
    parts.push(`UNTIL=${allDay ? basicDate(fields.until) : zone ? basicUtc(placeWallClock(until + DAY_MS - 1000, zone)) : `${basicDate(fields.until)}T235959`}`);
  }
  if (fields.repeat === "weekly") {
    const days = fields.days.length ? WEEKDAY_CODES.filter((d) => fields.days.includes(d)) : [WEEKDAY_CODES[weekdayOf(startWall)]!];
    parts.push(`BYDAY=${days.join(",")}`);
  }
  if (fields.repeat === "monthly") {
    if (fields.monthly === "weekday") parts.push(`BYDAY=${weekdayPosition(startWall)}${WEEKDAY_CODES[weekdayOf(startWall)]}`);
    else parts.push(`BYMONTHDAY=${new Date(startWall).getUTCDate()}`);
  }
  return { rrule: parts.join(";") };
}

export const DEFAULT_FIELDS: RecurrenceFields = { repeat: "none", interval: 1, days: [], monthly: "date", ends: "never", until: "", count: 10, rrule: "" };

/** The fields that show a stored rule; "custom" when the editor cannot show it exactly. */
export function fromRRule(rrule: string | null, start: string, zone: string | null): RecurrenceFields {
  if (!rrule) return DEFAULT_FIELDS;
  const custom: RecurrenceFields = { ...DEFAULT_FIELDS, repeat: "custom", rrule };
  const { rule } = parseRRule(rrule);
  if (!rule || rule.freq === "SECONDLY" || rule.freq === "MINUTELY" || rule.freq === "HOURLY") return custom;
  if (rule.bySetPos.length || rule.byHour.length || rule.byMinute.length || rule.bySecond.length || rule.byYearDay.length || rule.byWeekNo.length) return custom;
  const allDay = !start.includes("T");
  const startWall = allDay ? parseLocalDate(start) : parseLocalDateTime(start);
  if (startWall === null) return custom;
  const fields: RecurrenceFields = { ...DEFAULT_FIELDS, repeat: rule.freq.toLowerCase() as Repeat, interval: rule.interval };
  if (rule.count !== null) Object.assign(fields, { ends: "after", count: rule.count });
  if (rule.until) {
    const wall = rule.until.form === "utc" && zone ? wallClockAt(rule.until.wall, zone) : rule.until.wall;
    Object.assign(fields, { ends: "on", until: formatLocalDate(wall) });
  }
  if (rule.freq === "DAILY" && (rule.byDay.length || rule.byMonthDay.length || rule.byMonth.length)) return custom;
  if (rule.freq === "WEEKLY") {
    if (rule.byDay.some((d) => d.ordinal !== null) || rule.byMonthDay.length || rule.byMonth.length) return custom;
    fields.days = rule.byDay.map((d) => d.weekday);
  }
  if (rule.freq === "MONTHLY") {
    if (rule.byMonth.length) return custom;
    const day = new Date(startWall).getUTCDate();
    if (rule.byDay.length === 0 && (rule.byMonthDay.length === 0 || (rule.byMonthDay.length === 1 && rule.byMonthDay[0] === day))) fields.monthly = "date";
    else if (rule.byMonthDay.length === 0 && rule.byDay.length === 1 && `${rule.byDay[0]!.ordinal}` === weekdayPosition(startWall) && rule.byDay[0]!.weekday === WEEKDAY_CODES[weekdayOf(startWall)]) fields.monthly = "weekday";
    else return custom;
  }
  if (rule.freq === "YEARLY") {
    const d = new Date(startWall);
    const plain = rule.byDay.length === 0 && (rule.byMonth.length === 0 || (rule.byMonth.length === 1 && rule.byMonth[0] === d.getUTCMonth() + 1)) && (rule.byMonthDay.length === 0 || (rule.byMonthDay.length === 1 && rule.byMonthDay[0] === d.getUTCDate()));
    if (!plain) return custom;
  }
  return fields;
}
