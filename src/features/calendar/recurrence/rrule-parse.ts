// RFC 5545 §3.3.10 RECUR values without the "RRULE:" prefix ("FREQ=WEEKLY;BYDAY=MO"): parsed into our own Rule,
// validated part by part (the error names the part, for a 400 with the field named), and written back.
import { formatBasic, wallFromFields } from "./wall-clock";

export type Frequency = "SECONDLY" | "MINUTELY" | "HOURLY" | "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";
export type Weekday = "MO" | "TU" | "WE" | "TH" | "FR" | "SA" | "SU";
export const WEEKDAYS: readonly Weekday[] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
export const FREQUENCIES: readonly Frequency[] = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"];

/** A BYDAY entry: a weekday, with an ordinal (1 = first, -1 = last) or null for every such weekday. */
export type ByDay = { weekday: Weekday; ordinal: number | null };
/** UNTIL as written: a UTC instant ("…Z"), a floating date-time, or a date; `wall` is its value in wall ms. */
export type Until = { form: "utc" | "floating" | "date"; wall: number };

export type Rule = {
  freq: Frequency;
  interval: number;
  count: number | null;
  until: Until | null;
  bySecond: number[];
  byMinute: number[];
  byHour: number[];
  byDay: ByDay[];
  byMonthDay: number[];
  byYearDay: number[];
  byWeekNo: number[];
  byMonth: number[];
  bySetPos: number[];
  wkst: Weekday | null;
};

export type RuleError = { part: string; message: string };
export type ParseResult = { rule: Rule; error: null } | { rule: null; error: RuleError };

export const RULE_LIMITS = { maxLength: 2000, maxInterval: 100_000, maxCount: 1_000_000 } as const;

type ListPart = "BYSECOND" | "BYMINUTE" | "BYHOUR" | "BYMONTHDAY" | "BYYEARDAY" | "BYWEEKNO" | "BYMONTH" | "BYSETPOS";
// [min, max, zero allowed, negatives allowed]: RFC 5545 ranges. BYSECOND 60 (a leap second) is refused: no clock
// we place in shows it, so a rule needing it would never match.
const RANGES: Record<ListPart, [number, number, boolean]> = {
  BYSECOND: [0, 59, true],
  BYMINUTE: [0, 59, true],
  BYHOUR: [0, 23, true],
  BYMONTHDAY: [-31, 31, false],
  BYYEARDAY: [-366, 366, false],
  BYWEEKNO: [-53, 53, false],
  BYMONTH: [1, 12, false],
  BYSETPOS: [-366, 366, false],
};
const KEYS: Record<ListPart, "bySecond" | "byMinute" | "byHour" | "byMonthDay" | "byYearDay" | "byWeekNo" | "byMonth" | "bySetPos"> = {
  BYSECOND: "bySecond", BYMINUTE: "byMinute", BYHOUR: "byHour", BYMONTHDAY: "byMonthDay",
  BYYEARDAY: "byYearDay", BYWEEKNO: "byWeekNo", BYMONTH: "byMonth", BYSETPOS: "bySetPos",
};

const fail = (part: string, message: string): ParseResult => ({ rule: null, error: { part, message } });

function parseUntil(value: string): Until | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value);
  if (!m) return null;
  const wall = wallFromFields(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  if (wall === null) return null;
  return { form: m[4] === undefined ? "date" : m[7] ? "utc" : "floating", wall };
}

/** Parses and validates a rule such as "FREQ=MONTHLY;BYDAY=-1FR;COUNT=10" (no "RRULE:" prefix). */
export function parseRRule(text: string): ParseResult {
  if (typeof text !== "string" || text.trim() === "") return fail("FREQ", "The rule is empty.");
  if (text.length > RULE_LIMITS.maxLength) return fail("RRULE", `The rule is longer than ${RULE_LIMITS.maxLength} characters.`);
  if (/^RRULE:/i.test(text.trim())) return fail("RRULE", 'Leave out the "RRULE:" prefix.');
  const segments = text.trim().replace(/;$/, "").split(";");
  const seen = new Set<string>();
  const rule: Rule = {
    freq: "DAILY", interval: 1, count: null, until: null, bySecond: [], byMinute: [], byHour: [], byDay: [],
    byMonthDay: [], byYearDay: [], byWeekNo: [], byMonth: [], bySetPos: [], wkst: null,
  };
  for (const segment of segments) {
    const eq = segment.indexOf("=");
    const name = (eq < 0 ? segment : segment.slice(0, eq)).trim().toUpperCase();
    const value = eq < 0 ? "" : segment.slice(eq + 1).trim().toUpperCase();
    if (name === "") return fail("RRULE", "The rule has an empty part (two semicolons in a row).");
    if (seen.has(name)) return fail(name, `${name} is given more than once.`);
    seen.add(name);
    if (eq < 0 || value === "") return fail(name, `${name} has no value.`);
    switch (name) {
      case "FREQ":
        if (!(FREQUENCIES as string[]).includes(value)) return fail("FREQ", `FREQ must be one of ${FREQUENCIES.join(", ")}.`);
        rule.freq = value as Frequency;
        break;
      case "INTERVAL":
      case "COUNT": {
        const max = name === "INTERVAL" ? RULE_LIMITS.maxInterval : RULE_LIMITS.maxCount;
        if (!/^\d{1,7}$/.test(value) || +value < 1 || +value > max) return fail(name, `${name} must be a whole number from 1 to ${max}.`);
        if (name === "INTERVAL") rule.interval = +value;
        else rule.count = +value;
        break;
      }
      case "UNTIL": {
        const until = parseUntil(value);
        if (!until) return fail("UNTIL", "UNTIL must be a date (20270630) or a date-time (20270630T235959Z).");
        rule.until = until;
        break;
      }
      case "WKST":
        if (!(WEEKDAYS as string[]).includes(value)) return fail("WKST", `WKST must be one of ${WEEKDAYS.join(", ")}.`);
        rule.wkst = value as Weekday;
        break;
      case "BYDAY": {
        const days: ByDay[] = [];
        for (const item of value.split(",")) {
          const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item.trim());
          if (!m) return fail("BYDAY", `"${item}" is not a weekday such as MO, 2TU or -1FR.`);
          const ordinal = m[1] === undefined ? null : Number(m[1]);
          if (ordinal !== null && (ordinal === 0 || Math.abs(ordinal) > 53)) return fail("BYDAY", `The ordinal in "${item}" must be from 1 to 53 or -53 to -1.`);
          if (!days.some((d) => d.weekday === m[2] && d.ordinal === ordinal)) days.push({ weekday: m[2] as Weekday, ordinal });
        }
        rule.byDay = days;
        break;
      }
      default: {
        if (!(name in RANGES)) return fail(name, `${name} is not a part of an RFC 5545 rule.`);
        const part = name as ListPart;
        const [min, max] = RANGES[part];
        const values: number[] = [];
        for (const item of value.split(",")) {
          const n = /^[+-]?\d{1,3}$/.test(item.trim()) ? Number(item) : NaN;
          if (!Number.isInteger(n) || n < min || n > max || (min < 0 && n === 0)) {
            const range = min < 0 ? `1 to ${max} or ${min} to -1` : `${min} to ${max}`;
            return fail(part, `"${item}" is out of range: ${part} takes ${range}.`);
          }
          if (!values.includes(n)) values.push(n);
        }
        rule[KEYS[part]] = values;
      }
    }
  }
  if (!seen.has("FREQ")) return fail("FREQ", "FREQ is required.");
  if (rule.count !== null && rule.until !== null) return fail("COUNT", "COUNT and UNTIL cannot both be given.");
  // RFC 5545's table of which BYxxx parts each FREQ allows.
  if (rule.byWeekNo.length > 0 && rule.freq !== "YEARLY") return fail("BYWEEKNO", "BYWEEKNO is only allowed with FREQ=YEARLY.");
  if (rule.byYearDay.length > 0 && ["DAILY", "WEEKLY", "MONTHLY"].includes(rule.freq)) return fail("BYYEARDAY", `BYYEARDAY is not allowed with FREQ=${rule.freq}.`);
  if (rule.byMonthDay.length > 0 && rule.freq === "WEEKLY") return fail("BYMONTHDAY", "BYMONTHDAY is not allowed with FREQ=WEEKLY.");
  if (rule.byDay.some((d) => d.ordinal !== null)) {
    if (rule.freq !== "MONTHLY" && rule.freq !== "YEARLY") return fail("BYDAY", "A numbered weekday (such as 2TU) needs FREQ=MONTHLY or FREQ=YEARLY.");
    if (rule.freq === "YEARLY" && rule.byWeekNo.length > 0) return fail("BYDAY", "A numbered weekday cannot be combined with BYWEEKNO.");
  }
  if (rule.bySetPos.length > 0 && rule.bySecond.length + rule.byMinute.length + rule.byHour.length + rule.byDay.length + rule.byMonthDay.length + rule.byYearDay.length + rule.byWeekNo.length + rule.byMonth.length === 0) {
    return fail("BYSETPOS", "BYSETPOS needs another BYxxx part to choose from.");
  }
  return { rule, error: null };
}

/** A rule written back in RFC 5545 form, parts in a fixed order (no "RRULE:" prefix). */
export function formatRRule(rule: Rule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.count !== null) parts.push(`COUNT=${rule.count}`);
  if (rule.until) parts.push(`UNTIL=${formatBasic(rule.until.wall, rule.until.form === "date" ? "date" : "date-time")}${rule.until.form === "utc" ? "Z" : ""}`);
  const list = (name: string, values: number[]) => values.length > 0 && parts.push(`${name}=${values.join(",")}`);
  list("BYSECOND", rule.bySecond);
  list("BYMINUTE", rule.byMinute);
  list("BYHOUR", rule.byHour);
  if (rule.byDay.length > 0) parts.push(`BYDAY=${rule.byDay.map((d) => `${d.ordinal ?? ""}${d.weekday}`).join(",")}`);
  list("BYMONTHDAY", rule.byMonthDay);
  list("BYYEARDAY", rule.byYearDay);
  list("BYWEEKNO", rule.byWeekNo);
  list("BYMONTH", rule.byMonth);
  list("BYSETPOS", rule.bySetPos);
  if (rule.wkst) parts.push(`WKST=${rule.wkst}`);
  return parts.join(";");
}
