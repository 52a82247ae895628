// Rule parsing and validation (rrule-parse.ts): every RFC 5545 part is read, every error names its part, and a
// parsed rule writes back to an equivalent text.
import { describe, expect, test } from "bun:test";
import { formatRRule, parseRRule } from "./rrule-parse";
import { parseLocalDateTime } from "./wall-clock";

const ok = (text: string) => {
  const r = parseRRule(text);
  if (r.error) throw new Error(`${text}: ${r.error.part}: ${r.error.message}`);
  return r.rule;
};
const partOf = (text: string) => parseRRule(text).error?.part ?? null;

describe("parseRRule", () => {
  test("reads every part", () => {
    const rule = ok("FREQ=YEARLY;INTERVAL=2;UNTIL=20270630T235959Z;BYSECOND=0,30;BYMINUTE=0,15;BYHOUR=9,17;BYDAY=MO,-1FR,2TU;BYMONTHDAY=1,-1;BYYEARDAY=100,-5;BYMONTH=3,6;BYSETPOS=1,-1;WKST=SU");
    expect(rule).toEqual({
      freq: "YEARLY", interval: 2, count: null, until: { form: "utc", wall: parseLocalDateTime("2027-06-30T23:59:59")! },
      bySecond: [0, 30], byMinute: [0, 15], byHour: [9, 17],
      byDay: [{ weekday: "MO", ordinal: null }, { weekday: "FR", ordinal: -1 }, { weekday: "TU", ordinal: 2 }],
      byMonthDay: [1, -1], byYearDay: [100, -5], byWeekNo: [], byMonth: [3, 6], bySetPos: [1, -1], wkst: "SU",
    });
    expect(ok("FREQ=YEARLY;BYWEEKNO=1,-1,53;BYDAY=MO").byWeekNo).toEqual([1, -1, 53]);
    expect(ok("FREQ=DAILY;COUNT=10").count).toBe(10);
  });

  test("reads UNTIL as a date, a floating date-time or UTC", () => {
    expect(ok("FREQ=DAILY;UNTIL=20270630").until?.form).toBe("date");
    expect(ok("FREQ=DAILY;UNTIL=20270630T090000").until?.form).toBe("floating");
    expect(ok("FREQ=DAILY;UNTIL=20270630T090000Z").until?.form).toBe("utc");
  });

  test("is case-insensitive, takes a trailing semicolon and drops repeated values", () => {
    expect(ok("freq=weekly;byday=mo,mo,tu;").byDay).toEqual([{ weekday: "MO", ordinal: null }, { weekday: "TU", ordinal: null }]);
  });

  test("names the part that is wrong", () => {
    const bad: [string, string][] = [
      ["", "FREQ"],
      ["INTERVAL=2", "FREQ"],
      ["FREQ=FORTNIGHTLY", "FREQ"],
      ["RRULE:FREQ=DAILY", "RRULE"],
      ["FREQ=DAILY;COUNT=5;UNTIL=20270101", "COUNT"],
      ["FREQ=DAILY;COUNT=0", "COUNT"],
      ["FREQ=DAILY;COUNT=ten", "COUNT"],
      ["FREQ=DAILY;INTERVAL=0", "INTERVAL"],
      ["FREQ=DAILY;INTERVAL=-1", "INTERVAL"],
      ["FREQ=DAILY;UNTIL=2027-01-01", "UNTIL"],
      ["FREQ=DAILY;UNTIL=20270230", "UNTIL"],
      ["FREQ=DAILY;BYSECOND=61", "BYSECOND"],
      ["FREQ=DAILY;BYSECOND=60", "BYSECOND"],
      ["FREQ=DAILY;BYMINUTE=60", "BYMINUTE"],
      ["FREQ=DAILY;BYHOUR=24", "BYHOUR"],
      ["FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY"],
      ["FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY"],
      ["FREQ=YEARLY;BYYEARDAY=367", "BYYEARDAY"],
      ["FREQ=YEARLY;BYWEEKNO=54", "BYWEEKNO"],
      ["FREQ=YEARLY;BYMONTH=13", "BYMONTH"],
      ["FREQ=YEARLY;BYMONTH=0", "BYMONTH"],
      ["FREQ=MONTHLY;BYDAY=MO;BYSETPOS=367", "BYSETPOS"],
      ["FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "BYSETPOS"],
      ["FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS"],
      ["FREQ=WEEKLY;BYDAY=XX", "BYDAY"],
      ["FREQ=MONTHLY;BYDAY=0MO", "BYDAY"],
      ["FREQ=YEARLY;BYDAY=54MO", "BYDAY"],
      ["FREQ=WEEKLY;BYDAY=1MO", "BYDAY"],
      ["FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", "BYDAY"],
      ["FREQ=WEEKLY;WKST=XX", "WKST"],
      ["FREQ=MONTHLY;BYWEEKNO=1", "BYWEEKNO"],
      ["FREQ=MONTHLY;BYYEARDAY=1", "BYYEARDAY"],
      ["FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY"],
      ["FREQ=DAILY;FREQ=WEEKLY", "FREQ"],
      ["FREQ=DAILY;X-NAME=1", "X-NAME"],
      ["FREQ=DAILY;RSCALE=GREGORIAN", "RSCALE"],
      ["FREQ=DAILY;BYHOUR", "BYHOUR"],
      ["FREQ=DAILY;;COUNT=2", "RRULE"],
      ["FREQ=DAILY;BYDAY=" + "MO,".repeat(800) + "MO", "RRULE"],
    ];
    for (const [text, part] of bad) expect([text, partOf(text)]).toEqual([text, part]);
    const message = parseRRule("FREQ=DAILY;BYHOUR=24").error?.message;
    expect(message).toContain("BYHOUR");
    expect(message).toContain("0 to 23");
  });

  test("writes a rule back in a fixed order, and reading it again gives the same rule", () => {
    for (const text of ["FREQ=MONTHLY;COUNT=10;BYDAY=-1FR", "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630T235959Z;BYDAY=TU,TH;WKST=SU", "FREQ=YEARLY;UNTIL=20270101;BYWEEKNO=1,-1;BYMONTH=1", "FREQ=HOURLY;BYSECOND=5;BYMINUTE=0,30;BYHOUR=9;BYSETPOS=-1"]) {
      expect(formatRRule(ok(text))).toBe(text);
      expect(ok(formatRRule(ok(text)))).toEqual(ok(text));
    }
  });
});
