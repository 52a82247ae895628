// Floating expansion of a rule: rrule.js's period machinery (its year/month masks, day sets, time sets and
// BYSETPOS lists) driven by our own loop, which rrule's `iter` cannot give us: the loop is bounded (a work budget,
// a horizon, a result cap), counts COUNT itself, drops the duplicates rrule emits for repeated BYSETPOS positions,
// and applies the libical conventions below. Everything here is wall-clock time (wall ms); zones come later.
import { Weekday as RWeekday } from "rrule";
import { DateTime } from "rrule/dist/esm/datetime";
import type { Time } from "rrule/dist/esm/datetime";
import Iterinfo from "rrule/dist/esm/iterinfo/index";
import { buildTimeset, parseOptions } from "rrule/dist/esm/parseoptions";
import type { ParsedOptions } from "rrule/dist/esm/types";
import { reachable } from "./reachable";
import { FREQUENCIES, WEEKDAYS, type Rule } from "./rrule-parse";
import { DAY_MS, HOUR_MS, MINUTE_MS, weekdayOf } from "./wall-clock";

export type FloatingBounds = {
  /** DTSTART in wall ms. */
  dtstart: number;
  /** All-day: BYHOUR/BYMINUTE/BYSECOND are ignored (libical; RFC 5545 leaves them meaningless for dates). */
  allDay: boolean;
  /** Last allowed start (wall ms, inclusive), from UNTIL already brought into wall-clock; null: none. */
  until: number | null;
  /** Instances in [horizonStart, horizonEnd] are returned; the loop stops past horizonEnd. */
  horizonStart: number;
  horizonEnd: number;
  maxResults: number;
  /** Budget of loop steps (periods, candidate days and times); spent, the expansion stops with `truncated`. */
  maxWork: number;
};

export type FloatingResult = {
  /** Instances in the horizon, ascending, in wall ms. */
  walls: number[];
  /** How many instances (from DTSTART on) were met up to the point the loop stopped. */
  seen: number;
  /** The result cap or the work budget stopped the loop before the horizon's end. */
  truncated: boolean;
};

// rrule's Frequency enum: YEARLY = 0 … SECONDLY = 6.
const RFREQ = (f: Rule["freq"]) => 6 - FREQUENCIES.indexOf(f);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

function toOptions(rule: Rule, dtstart: number, allDay: boolean): ParsedOptions {
  const start = weekdayOf(dtstart);
  const monthOf = (wall: number) => new Date(wall).getUTCMonth() + 1;
  let byMonth = rule.byMonth;
  let byDay = rule.byDay;
  // libical: YEARLY;BYMONTHDAY without BYMONTH takes DTSTART's month (RFC 5545: what the rule leaves out comes
  // from DTSTART); python-dateutil and rrule.js would expand the month-day in every month.
  if (rule.freq === "YEARLY" && rule.byMonthDay.length > 0 && byMonth.length === 0 && rule.byWeekNo.length === 0 && rule.byYearDay.length === 0 && byDay.length === 0) {
    byMonth = [monthOf(dtstart)];
  }
  // libical: BYWEEKNO without a day part means DTSTART's weekday in those weeks, not all seven days.
  if (rule.byWeekNo.length > 0 && byDay.length === 0 && rule.byMonthDay.length === 0 && rule.byYearDay.length === 0) {
    byDay = [{ weekday: WEEKDAYS[start]!, ordinal: null }];
  }
  const options: Record<string, unknown> = {
    freq: RFREQ(rule.freq),
    dtstart: new Date(dtstart),
    interval: rule.interval,
    wkst: WEEKDAYS.indexOf(rule.wkst ?? "MO"),
  };
  if (byMonth.length) options.bymonth = sorted(byMonth);
  if (byDay.length) options.byweekday = byDay.map((d) => new RWeekday(WEEKDAYS.indexOf(d.weekday), d.ordinal ?? undefined));
  if (rule.byMonthDay.length) options.bymonthday = sorted(rule.byMonthDay);
  if (rule.byYearDay.length) options.byyearday = sorted(rule.byYearDay);
  if (rule.byWeekNo.length) options.byweekno = sorted(rule.byWeekNo);
  if (rule.bySetPos.length) options.bysetpos = sorted(rule.bySetPos);
  if (allDay) {
    options.byhour = [0];
    options.byminute = [0];
    options.bysecond = [0];
  } else {
    if (rule.byHour.length) options.byhour = sorted(rule.byHour);
    if (rule.byMinute.length) options.byminute = sorted(rule.byMinute);
    if (rule.bySecond.length) options.bysecond = sorted(rule.bySecond);
  }
  return parseOptions(options as never).parsedOptions;
}

/** Start of the week (by WKST) holding `wall`, same time of day. */
function weekStart(wall: number, wkst: number): number {
  return wall - ((weekdayOf(wall) - wkst + 7) % 7) * DAY_MS;
}

/** The year a day's week belongs to (weeks start on WKST; a week belongs to the year holding its 4th day). */
function weekYear(wall: number, wkst: number): number {
  return new Date(weekStart(wall, wkst) + 3 * DAY_MS).getUTCFullYear();
}

/** Whether a YEARLY;BYWEEKNO rule's DTSTART falls on one of its days (week number, weekday, month). */
function startsOnRule(o: ParsedOptions, dtstart: number): boolean {
  const wkst = o.wkst as number;
  const year = weekYear(dtstart, wkst);
  const week1 = (y: number) => weekStart(Date.UTC(y, 0, 4), wkst) - (weekStart(Date.UTC(y, 0, 4), wkst) % DAY_MS);
  const start = weekStart(dtstart, wkst) - (weekStart(dtstart, wkst) % DAY_MS);
  const week = Math.round((start - week1(year)) / (7 * DAY_MS)) + 1;
  const weeks = Math.round((week1(year + 1) - week1(year)) / (7 * DAY_MS));
  const weekOk = (o.byweekno ?? []).some((n) => n === week || n === week - weeks - 1);
  const dayOk = !o.byweekday?.length || (o.byweekday as number[]).includes(weekdayOf(dtstart));
  const monthOk = !o.bymonth?.length || o.bymonth.includes(new Date(dtstart).getUTCMonth() + 1);
  return weekOk && dayOk && monthOk;
}

// The same day filter as rrule's iter (BYMONTH, BYWEEKNO, BYDAY, BYMONTHDAY, BYYEARDAY masks).
const has = (xs: number[] | null | undefined, x: number | undefined) => xs != null && xs.length > 0 && x !== undefined && xs.includes(x);
const some = (xs: unknown[] | null | undefined) => xs != null && xs.length > 0;

function isFiltered(ii: Iterinfo, day: number, o: ParsedOptions): boolean {
  return (
    (some(o.bymonth) && !has(o.bymonth, ii.mmask[day])) ||
    (some(o.byweekno) && !ii.wnomask[day]) ||
    (some(o.byweekday) && !has(o.byweekday as number[], ii.wdaymask[day])) ||
    (some(ii.nwdaymask) && !ii.nwdaymask[day]) ||
    ((some(o.bymonthday) || some(o.bynmonthday)) && !has(o.bymonthday, ii.mdaymask[day]) && !has(o.bynmonthday, ii.nmdaymask[day])) ||
    (some(o.byyearday) &&
      ((day < ii.yearlen && !has(o.byyearday, day + 1) && !has(o.byyearday, -ii.yearlen + day)) ||
        (day >= ii.yearlen && !has(o.byyearday, day + 1 - ii.yearlen) && !has(o.byyearday, -ii.nextyearlen + day - ii.yearlen))))
  );
}

/**
 * Without COUNT nothing before the horizon matters, so whole INTERVALs of periods before it are skipped: the
 * counter moves by a multiple of INTERVAL periods (keeping its phase), to at least one period before the horizon
 * so the first period walked (possibly a partial week) lies wholly before it. A daily series from 1990 viewed in
 * 2026 then costs what one from last month does.
 */
function fastForward(freq: Rule["freq"], interval: number, start: number, horizonStart: number): number {
  if (!Number.isFinite(horizonStart) || horizonStart <= start) return start;
  const d = new Date(start);
  const h = new Date(horizonStart);
  const timeOfDay = ((start % DAY_MS) + DAY_MS) % DAY_MS;
  if (freq === "YEARLY" || freq === "MONTHLY") {
    const months = freq === "YEARLY" ? (h.getUTCFullYear() - d.getUTCFullYear()) * 12 : (h.getUTCFullYear() - d.getUTCFullYear()) * 12 + h.getUTCMonth() - d.getUTCMonth();
    const per = freq === "YEARLY" ? 12 * interval : interval;
    const k = Math.floor(months / per) - 1;
    // The day of the month does not matter to a yearly or monthly period; the 1st keeps it valid.
    return k <= 0 ? start : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k * per, 1) + timeOfDay;
  }
  const unit = freq === "WEEKLY" ? 7 * DAY_MS : freq === "DAILY" ? DAY_MS : freq === "HOURLY" ? HOUR_MS : freq === "MINUTELY" ? MINUTE_MS : 1000;
  const k = Math.floor((horizonStart - start) / (unit * interval)) - 1;
  return k <= 0 ? start : start + k * unit * interval;
}

/**
 * BYSETPOS over a period's set (its days × its times, in order): positions past either end of the set choose
 * nothing (rrule's buildPoslist wraps a too-negative position round to the first day), duplicates go.
 */
function setPositions(bysetpos: number[], times: number[], days: (number | null | unknown)[], yearOrdinal: number): number[] {
  const present = days.filter((d): d is number => typeof d === "number");
  const size = present.length * times.length;
  const out = new Set<number>();
  for (const pos of bysetpos) {
    const index = pos > 0 ? pos - 1 : size + pos;
    if (index < 0 || index >= size) continue;
    out.add((yearOrdinal + present[Math.floor(index / times.length)]!) * DAY_MS + times[index % times.length]!);
  }
  return [...out].sort((a, b) => a - b);
}

/** The period's days as indexes into the year (rrule's mdayset, wdayset and ddayset, without their arrays). */
function periodDays(o: ParsedOptions, ii: Iterinfo, c: DateTime): [number, number] {
  if (o.freq === 1) return [ii.mrange[c.month - 1]!, ii.mrange[c.month]!];
  const first = Math.round((Date.UTC(c.year, c.month - 1, c.day) - Date.UTC(c.year, 0, 1)) / DAY_MS);
  if (o.freq !== 2) return [first, first + 1];
  let i = first;
  for (let j = 0; j < 7; j++) {
    ++i;
    if (ii.wdaymask[i] === o.wkst) break;
  }
  return [first, i];
}

/** The counter as wall ms (DateTime.getTime builds two Date objects per call). */
const counterMs = (c: DateTime) => Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);

/** rrule's Time objects as ms into the day (its ordinals count days from 1970-01-01, so day * DAY_MS + time). */
const msOfDay = (timeset: Time[]) => timeset.map((t) => t.hour * HOUR_MS + t.minute * MINUTE_MS + t.second * 1000);

// How far past the horizon a period may start and still hold a candidate before it (a year's period starts at the
// counter's date, its days run through the whole year).
function periodSlack(freq: Rule["freq"]): number {
  return freq === "YEARLY" ? 367 * DAY_MS : freq === "MONTHLY" ? 32 * DAY_MS : freq === "WEEKLY" ? 8 * DAY_MS : 2 * DAY_MS;
}

/** The rule's instances (wall ms) within the bounds, ascending, with DTSTART-based COUNT and UNTIL applied. */
export function expandFloating(rule: Rule, b: FloatingBounds): FloatingResult {
  const walls: number[] = [];
  const o = toOptions(rule, b.dtstart, b.allDay);
  if (!b.allDay && !reachable(rule, b.dtstart)) return { walls, seen: 0, truncated: false };
  const wkst = o.wkst as number;
  let iterStart = b.dtstart;
  let weekYears: ((wall: number) => boolean) | null = null;
  // libical counts a WEEKLY rule's BYSETPOS over the whole week holding DTSTART; rrule's first week starts at
  // DTSTART. Start at the week's start and drop what comes before DTSTART.
  if (rule.freq === "WEEKLY" && rule.bySetPos.length > 0) iterStart = weekStart(b.dtstart, wkst);
  // libical steps a YEARLY;BYWEEKNO rule's INTERVAL over week-numbering years: walk every year and keep the days
  // whose week-year is a multiple of INTERVAL away from the first. That first year is DTSTART's week-year when
  // DTSTART is itself an instance, else its calendar year (what libical's corpus expects in both cases).
  if (rule.freq === "YEARLY" && rule.byWeekNo.length > 0 && rule.interval > 1) {
    const first = startsOnRule(o, b.dtstart) ? weekYear(b.dtstart, wkst) : new Date(b.dtstart).getUTCFullYear();
    weekYears = (wall) => (weekYear(wall, wkst) - first) % rule.interval === 0;
    o.interval = 1;
    iterStart = Date.UTC(first, 0, 1) + (b.dtstart % DAY_MS + DAY_MS) % DAY_MS;
    if (iterStart > b.dtstart) iterStart = b.dtstart;
  }
  if (rule.count === null) iterStart = fastForward(rule.freq, o.interval, iterStart, b.horizonStart);
  const counter = DateTime.fromDate(new Date(iterStart));
  const ii = new Iterinfo(o);
  ii.rebuild(counter.year, counter.month);
  let builtYear = counter.year, builtMonth = counter.month;
  const nthWeekdays = (o.bynweekday?.length ?? 0) > 0;
  const daily = o.freq <= 3;
  let times = msOfDay(daily ? buildTimeset(o) : ii.gettimeset(o.freq as 4 | 5 | 6)(counter.hour, counter.minute, counter.second, 0));
  if (!daily && ((o.byhour?.length && !o.byhour.includes(counter.hour)) || (o.freq >= 5 && o.byminute?.length && !o.byminute.includes(counter.minute)) || (o.freq === 6 && o.bysecond?.length && !o.bysecond.includes(counter.second)))) times = [];
  // rrule builds a fresh year-long day-set array for every period (every day of a daily rule, every week of a
  // weekly one): most of the cost of an expansion. One shared array, cleared after each period, gives the same sets.
  const shared = o.freq >= 1 ? new Array<number | null>(373).fill(null) : null;
  let sharedFrom = 0, sharedTo = 0;
  const stopAfter = b.horizonEnd + periodSlack(rule.freq);
  const unitMs = o.freq === 4 ? HOUR_MS : o.freq === 5 ? MINUTE_MS : 1000;
  let remaining = rule.count ?? Number.POSITIVE_INFINITY;
  let work = 0;
  let seen = 0;
  let last = Number.NEGATIVE_INFINITY;

  // One candidate: false stops the loop.
  const take = (ms: number): boolean | "truncated" => {
    if (b.until !== null && ms > b.until) return false;
    if (!Number.isFinite(ms) || ms < b.dtstart || ms === last) return true; // before DTSTART, or a repeat
    if (weekYears && !weekYears(ms)) return true;
    last = ms;
    if (ms > b.horizonEnd) return false;
    seen++;
    if (ms >= b.horizonStart) {
      walls.push(ms);
      if (walls.length >= b.maxResults) return "truncated";
    }
    return --remaining > 0;
  };

  for (;;) {
    if (counterMs(counter) > stopAfter || counter.year > 9999) return { walls, seen, truncated: false };
    let dayset: (number | null | unknown)[], start: number, end: number;
    if (shared) {
      for (let i = sharedFrom; i < sharedTo; i++) shared[i] = null;
      [start, end] = periodDays(o, ii, counter);
      for (let i = start; i < end; i++) shared[i] = i;
      [dayset, sharedFrom, sharedTo] = [shared, start, end];
    } else {
      [dayset, start, end] = ii.getdayset(o.freq)(counter.year, counter.month, counter.day);
    }
    let filtered = false;
    for (let i = start; i < end; i++) {
      const day = dayset[i];
      filtered = isFiltered(ii, day as number, o);
      if (filtered) dayset[day as number] = null;
    }
    work += 1 + (end - start);
    if (o.bysetpos?.length) {
      work += o.bysetpos.length * (end - start + 1);
      for (const ms of setPositions(o.bysetpos, times, dayset.slice(start, end), ii.yearordinal)) {
        const r = take(ms);
        if (r !== true) return { walls, seen, truncated: r === "truncated" };
      }
    } else {
      for (let i = start; i < end; i++) {
        const day = dayset[i];
        if (day === null || day === undefined) continue;
        const dayMs = (ii.yearordinal + (day as number)) * DAY_MS;
        for (const time of times) {
          if (++work > b.maxWork) return { walls, seen, truncated: true };
          const r = take(dayMs + time);
          if (r !== true) return { walls, seen, truncated: r === "truncated" };
        }
      }
    }
    if (work > b.maxWork) return { walls, seen, truncated: true };
    const before = daily ? 0 : counterMs(counter);
    counter.add(o, filtered);
    // rrule's sub-daily add loops until BYHOUR/BYMINUTE/BYSECOND match (reachable() made sure they can): count
    // those steps too, or a sparse SECONDLY rule would cost far more than its periods.
    if (!daily) {
      work += filtered ? 1 : 1 + Math.floor((counterMs(counter) - before) / (unitMs * o.interval) / 16);
      times = msOfDay(ii.gettimeset(o.freq as 4 | 5 | 6)(counter.hour, counter.minute, counter.second, 0));
    }
    // rrule's Iterinfo.rebuild remembers the year only for rules with numbered weekdays, so it rebuilds the year's
    // masks on every call; rebuild only when the year changes (or the month, for numbered weekdays).
    if (counter.year !== builtYear || (counter.month !== builtMonth && nthWeekdays)) {
      ii.rebuild(counter.year, counter.month);
      builtYear = counter.year;
      builtMonth = counter.month;
    }
  }
}
