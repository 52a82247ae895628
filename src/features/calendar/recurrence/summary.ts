// A rule in plain English for the editor: "Every other Tuesday until 30 June 2027", "Daily, 10 times",
// "Monthly on the last Friday". Covers the editor's choices (daily, weekly on days, monthly by date or by weekday,
// yearly; ends never, on a date, after N) and falls back to a generic sentence for anything else.
import { parseRRule, WEEKDAYS, type ByDay, type Rule } from "./rrule-parse";
import { parseSeriesTime } from "./series";
import { DAY_MS, weekdayOf, type LocalDate, type LocalDateTime, type Zone } from "./wall-clock";
import { wallClockAt } from "./zone";

const DAY_NAMES: Record<string, string> = { MO: "Monday", TU: "Tuesday", WE: "Wednesday", TH: "Thursday", FR: "Friday", SA: "Saturday", SU: "Sunday" };
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const ORDINAL_WORDS: Record<number, string> = { 1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", [-1]: "last", [-2]: "second to last", [-3]: "third to last" };
const UNITS: Record<Rule["freq"], [string, string]> = {
  SECONDLY: ["second", "Every second"], MINUTELY: ["minute", "Every minute"], HOURLY: ["hour", "Hourly"],
  DAILY: ["day", "Daily"], WEEKLY: ["week", "Weekly"], MONTHLY: ["month", "Monthly"], YEARLY: ["year", "Yearly"],
};

function nth(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] ?? "th";
  return `${n}${suffix}`;
}
const ordinal = (n: number) => ORDINAL_WORDS[n] ?? (n > 0 ? nth(n) : `${nth(-n)} to last`);
function list(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
const dateText = (wall: number) => {
  const d = new Date(wall);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};
/** "Every other week", "Every 3 weeks", or the plain frequency word. */
function every(rule: Rule): string {
  const [unit, plain] = UNITS[rule.freq];
  return rule.interval === 1 ? plain : rule.interval === 2 ? `Every other ${unit}` : `Every ${rule.interval} ${unit}s`;
}
const onlyParts = (rule: Rule, allowed: (keyof Rule)[]) =>
  (["bySecond", "byMinute", "byHour", "byDay", "byMonthDay", "byYearDay", "byWeekNo", "byMonth", "bySetPos"] as const).every((k) => allowed.includes(k) || rule[k].length === 0);

/** "the last Friday" for a monthly weekday rule (BYDAY=-1FR, or BYDAY=FR;BYSETPOS=-1); null when it is not one. */
function monthlyWeekday(rule: Rule): string | null {
  const [day] = rule.byDay;
  if (rule.byDay.length !== 1 || !day) return null;
  const n = day.ordinal ?? (rule.bySetPos.length === 1 ? rule.bySetPos[0]! : null);
  if (n === null || (day.ordinal !== null && rule.bySetPos.length > 0)) return null;
  return `the ${ordinal(n)} ${DAY_NAMES[day.weekday]}`;
}

function core(rule: Rule, start: number, allDay: boolean): string | null {
  const weekdayName = (d: ByDay) => DAY_NAMES[d.weekday]!;
  switch (rule.freq) {
    case "DAILY":
      return onlyParts(rule, []) ? every(rule) : null;
    case "WEEKLY": {
      if (!onlyParts(rule, ["byDay"]) || rule.byDay.some((d) => d.ordinal !== null)) return null;
      const days = rule.byDay.length > 0 ? [...rule.byDay].sort((a, b) => WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday)).map(weekdayName) : [DAY_NAMES[WEEKDAYS[weekdayOf(start)]!]!];
      if (rule.interval === 1 && days.join() === "Monday,Tuesday,Wednesday,Thursday,Friday") return "Every weekday";
      if (rule.interval === 1 && days.length === 7) return "Daily";
      if (days.length === 1) return rule.interval === 1 ? `Weekly on ${days[0]}` : rule.interval === 2 ? `Every other ${days[0]}` : `Every ${rule.interval} weeks on ${days[0]}`;
      return `${every(rule)} on ${list(days)}`;
    }
    case "MONTHLY": {
      if (onlyParts(rule, ["byMonthDay"]) && rule.byMonthDay.length <= 1) {
        const day = rule.byMonthDay[0] ?? new Date(start).getUTCDate();
        return `${every(rule)} on the ${day === -1 ? "last day" : day < 0 ? `${ordinal(day)} day` : nth(day)}`;
      }
      const weekday = onlyParts(rule, ["byDay", "bySetPos"]) ? monthlyWeekday(rule) : null;
      return weekday ? `${every(rule)} on ${weekday}` : null;
    }
    case "YEARLY": {
      const month = rule.byMonth.length === 1 ? rule.byMonth[0]! : rule.byMonth.length === 0 ? new Date(start).getUTCMonth() + 1 : null;
      if (month === null) return null;
      if (onlyParts(rule, ["byMonth", "byMonthDay"]) && rule.byMonthDay.length <= 1 && (rule.byMonthDay[0] ?? 1) > 0) {
        const day = rule.byMonthDay[0] ?? new Date(start).getUTCDate();
        return `${every(rule)} on ${day} ${MONTHS[month - 1]}`;
      }
      const weekday = rule.byMonth.length === 1 && onlyParts(rule, ["byMonth", "byDay", "bySetPos"]) ? monthlyWeekday(rule) : null;
      return weekday ? `${every(rule)} on ${weekday} of ${MONTHS[month - 1]}` : null;
    }
    default:
      return onlyParts(rule, []) && !allDay ? every(rule) : null;
  }
}

/**
 * The rule in plain words, for a series starting at `start` (its form tells all-day from timed) in `zone` (an
 * UNTIL in UTC is shown as its date there). null or "" → "Does not repeat"; an unreadable rule → "Custom repeat".
 */
export function describeRule(rrule: string | null, start: LocalDateTime | LocalDate, zone: Zone = null): string {
  if (rrule === null || rrule.trim() === "") return "Does not repeat";
  const { rule } = parseRRule(rrule);
  const allDay = !start.includes("T");
  const startWall = parseSeriesTime(start, allDay);
  if (!rule || startWall === null) return "Custom repeat";
  const text = core(rule, startWall, allDay) ?? `${every(rule)} (custom rule)`;
  if (rule.count !== null) return `${text}, ${rule.count === 1 ? "once" : `${rule.count} times`}`;
  if (rule.until) {
    const wall = rule.until.form === "utc" && zone !== null && !allDay ? wallClockAt(rule.until.wall, zone) : rule.until.wall;
    return `${text} until ${dateText(Math.floor(wall / DAY_MS) * DAY_MS)}`;
  }
  return text;
}
