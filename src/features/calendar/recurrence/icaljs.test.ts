// Cross-check of zoned expansion against ical.js (a dev dependency) on generated rules in several zones. ical.js
// keeps wall-clock time across DST only with a VTIMEZONE, so each zone gets one built from Intl's data
// (vtimezone.fixture.ts). Rules are the editor's kinds with random intervals, days, times and ends, each DTSTART
// on the rule (ical.js always counts DTSTART as the first instance; libical and we only when it matches).
// Two known differences are checked as such rather than skipped, both where RFC 5545 §3.3.5 is explicit and
// ical.js departs from it: a start in the spring gap (RFC: moved forward by the gap, 02:30 → 03:30; ical.js reads it
// with the offset after the change, 02:30 → 01:30, one gap earlier), and a start in the autumn fold (RFC: the
// first of the two; ical.js takes the second, one fold later). Every other instant must be identical.
import { describe, expect, test } from "bun:test";
import ICAL from "ical.js";
import { expand } from "./expand";
import { formatRRule, parseRRule, WEEKDAYS } from "./rrule-parse";
import { daysInMonth, parseLocalDateTime, weekdayOf } from "./wall-clock";
import { vtimezone } from "../ical/vtimezone";
import { wallClockAt } from "./zone";

const ZONES = ["America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Australia/Sydney", "Pacific/Auckland", "Australia/Lord_Howe", "America/Sao_Paulo", "Asia/Kolkata"];
const FROM = Date.UTC(2026, 0, 1), TO = Date.UTC(2027, 1, 1);
const RULES_PER_ZONE = 40;

let seed = 20261205;
const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), Math.floor((seed / 2147483648) * n));
const pad = (n: number) => String(n).padStart(2, "0");

function generate(): { start: string; rrule: string } {
  const month = 1 + rand(12), day = 1 + rand(28), year = rand(3) === 0 ? 2025 : 2026;
  const hour = rand(24), minute = [0, 15, 30, 45][rand(4)]!;
  const start = `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}`;
  const wall = parseLocalDateTime(start)!;
  const wd = WEEKDAYS[weekdayOf(wall)]!;
  const nth = day + 7 > daysInMonth(year, month) ? -1 : Math.ceil(day / 7);
  const interval = [1, 1, 1, 2, 3][rand(5)]!;
  let rule: string;
  switch (rand(6)) {
    case 0: rule = `FREQ=DAILY;INTERVAL=${interval}`; break;
    case 1: {
      const days = new Set([wd, WEEKDAYS[rand(7)]!, WEEKDAYS[rand(7)]!]);
      rule = `FREQ=WEEKLY;INTERVAL=${interval};BYDAY=${[...days].join(",")}`;
      break;
    }
    case 2: rule = `FREQ=MONTHLY;INTERVAL=${interval};BYMONTHDAY=${day}`; break;
    case 3: rule = `FREQ=MONTHLY;BYDAY=${nth}${wd}`; break;
    case 4: rule = "FREQ=YEARLY"; break;
    default: rule = `FREQ=YEARLY;BYMONTH=${month};BYDAY=${nth}${wd}`;
  }
  const end = rand(3);
  if (end === 1) rule += `;COUNT=${5 + rand(60)}`;
  if (end === 2) rule += `;UNTIL=2026${pad(1 + rand(12))}${pad(1 + rand(28))}T${pad(rand(24))}0000Z`;
  return { start, rrule: formatRRule(parseRRule(rule).rule!) };
}

function icalInstants(zone: string, start: string, rrule: string): number[] {
  const dt = start.replace(/[-:]/g, "") + "00";
  const text = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//blockonblock//test//EN", "BEGIN:VEVENT", "UID:x", "DTSTAMP:20260101T000000Z", `DTSTART;TZID=${zone}:${dt}`, `DTEND;TZID=${zone}:${dt}`, `RRULE:${rrule}`, "END:VEVENT", "END:VCALENDAR"].join("\r\n");
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent("vevent")!);
  const it = event.iterator();
  const out: number[] = [];
  for (let t = it.next(), guard = 0; t && guard < 5000; t = it.next(), guard++) {
    const ms = t.toUnixTime() * 1000;
    if (ms >= TO) break;
    if (ms >= FROM) out.push(ms);
  }
  return out;
}

describe("cross-check with ical.js", () => {
  for (const zone of ZONES) {
    test(`${zone}: ${RULES_PER_ZONE} generated rules give the same instants`, () => {
      ICAL.TimezoneService.register(new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${vtimezone(zone, 2024, 2029)}END:VCALENDAR`)).getFirstSubcomponent("vtimezone")!);
      let compared = 0, gapStarts = 0, foldStarts = 0;
      for (let i = 0; i < RULES_PER_ZONE; i++) {
        const { start, rrule } = generate();
        const ours = expand({ start, end: start, zone, rrule }, { from: FROM, to: TO }, { maxWindowDays: 400 }).occurrences;
        const theirs = icalInstants(zone, start, rrule);
        expect([start, rrule, theirs.length]).toEqual([start, rrule, ours.length]);
        for (const [j, o] of ours.entries()) {
          const wall = parseLocalDateTime(o.recurrenceId)!;
          const shown = wallClockAt(o.startUtcMs, zone);
          const fold = [30, 60].map((m) => m * 60_000).find((d) => wallClockAt(o.startUtcMs + d, zone) === wall);
          let expected = o.startUtcMs;
          if (shown !== wall) {
            expected = o.startUtcMs - (shown - wall); // gap: ical.js lands one gap earlier
            gapStarts++;
          } else if (fold !== undefined) {
            expected = o.startUtcMs + fold; // fold: ical.js takes the second
            foldStarts++;
          } else compared++;
          expect([start, rrule, o.recurrenceId, new Date(theirs[j]!).toISOString()]).toEqual([start, rrule, o.recurrenceId, new Date(expected).toISOString()]);
        }
      }
      if (process.env.CROSSCHECK_VERBOSE) console.log(zone, { compared, gapStarts, foldStarts });
      expect(compared).toBeGreaterThan(RULES_PER_ZONE * 5);
      expect(gapStarts + foldStarts).toBeLessThan(compared / 20);
    });
  }
});
