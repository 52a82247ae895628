// The hang guards: rules that would make rrule.js's own loop run for minutes (or forever) return, with
// `truncated` where the budget stopped them. The test timeout is the only clock: nothing here asserts on time.
import { describe, expect, test } from "bun:test";
import { expand } from "./expand";
import { listInstances } from "./instances";
import type { Series } from "./series";

const year = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2027, 0, 1) };
const series = (rrule: string, start = "2026-01-01T03:00"): Series => ({ start, end: start, zone: "Europe/London", rrule });

describe("bounded expansion", () => {
  test("FREQ=SECONDLY over a year stops at the occurrence cap", () => {
    const r = expand(series("FREQ=SECONDLY"), year);
    expect(r.truncated).toBe(true);
    expect(r.occurrences.length).toBe(5000);
  });

  test("FREQ=SECONDLY with COUNT=1000000 stops too", () => {
    expect(listInstances("FREQ=SECONDLY;COUNT=1000000", "2026-01-01T00:00", null, { limit: 1_000_000 }).truncated).toBe(true);
  });

  test("an absurd BYSETPOS (past either end of every set) gives nothing", () => {
    expect(expand(series("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=366,-366"), year).occurrences).toEqual([]);
    expect(listInstances("FREQ=YEARLY;BYMONTHDAY=1;BYSETPOS=200;COUNT=3", "2026-01-01T09:00", null, { limit: 3 }).instances).toEqual([]);
  });

  test("a BYSETPOS over a huge set (every second of every day of a month) returns", () => {
    const all = (n: number) => Array.from({ length: n }, (_, i) => i).join(",");
    const r = expand(series(`FREQ=MONTHLY;BYHOUR=${all(24)};BYMINUTE=${all(60)};BYSECOND=${all(60)};BYSETPOS=-1`), year);
    expect(r.occurrences.length + (r.truncated ? 1 : 0)).toBeGreaterThan(0);
  });

  for (const freq of ["YEARLY", "MONTHLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"]) {
    test(`a rule that never matches (30 February, FREQ=${freq}) returns nothing`, () => {
      const r = expand(series(`FREQ=${freq};BYMONTH=2;BYMONTHDAY=30`), year);
      expect(r.occurrences).toEqual([]);
    });
  }

  test("30 February with COUNT, listed without a window, stops at the budget instead of year 9999", () => {
    const r = listInstances("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=5", "2026-01-01T09:00", null, { limit: 5 });
    expect(r.instances).toEqual([]);
  });

  test("a sub-daily INTERVAL that never lands on BYHOUR/BYMINUTE (rrule.js loops forever here) gives nothing", () => {
    expect(expand(series("FREQ=HOURLY;INTERVAL=24;BYHOUR=5"), year).occurrences).toEqual([]);
    expect(expand(series("FREQ=MINUTELY;INTERVAL=2;BYMINUTE=1"), year).occurrences).toEqual([]);
    expect(expand(series("FREQ=SECONDLY;INTERVAL=60;BYSECOND=30"), year).occurrences).toEqual([]);
  });

  test("a sparse SECONDLY rule (once a day) returns, truncated by the work budget", () => {
    const r = expand(series("FREQ=SECONDLY;BYHOUR=5;BYMINUTE=5;BYSECOND=5"), year);
    expect(r.occurrences.length).toBeGreaterThan(0);
    expect(r.occurrences.every((o) => o.start.endsWith("05:05:05"))).toBe(true);
  });

  test("a daily series from 1900 viewed in 2026 skips the years before (no COUNT) and is complete", () => {
    const r = expand(series("FREQ=DAILY", "1900-01-01T09:00"), year);
    expect([r.occurrences.length, r.truncated]).toEqual([365, false]);
  });

  test("a minutely series from last year gives its cap for this year", () => {
    const r = expand(series("FREQ=MINUTELY", "2025-06-01T09:00"), year);
    expect([r.occurrences.length, r.truncated]).toEqual([5000, true]);
  });
});
