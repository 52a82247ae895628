// The interval rules without a database: working hours keep their local times across DST changes, and free time
// is what working hours leave after busy time.
import { describe, expect, test } from "bun:test";
import { DEFAULT_WORKING_HOURS, intersect, normalize, slotsIn, subtract, workingIntervals } from "./intervals";

const at = (iso: string) => Date.parse(iso);
const show = (list: { startMs: number; endMs: number }[]) => list.map((i) => `${new Date(i.startMs).toISOString().slice(0, 16)}–${new Date(i.endMs).toISOString().slice(11, 16)}`);

describe("working hours", () => {
  test("09:00–17:00 New York is 14:00 UTC before the spring change and 13:00 UTC after it", () => {
    const list = workingIntervals(DEFAULT_WORKING_HOURS, "America/New_York", at("2026-03-06T00:00:00Z"), at("2026-03-10T00:00:00Z"));
    expect(show(list)).toEqual(["2026-03-06T14:00–22:00", "2026-03-09T13:00–21:00"]);
  });

  test("Sydney's working day begins the day before in UTC (the window cuts it), and its April change goes the other way", () => {
    const list = workingIntervals(DEFAULT_WORKING_HOURS, "Australia/Sydney", at("2026-04-02T00:00:00Z"), at("2026-04-07T00:00:00Z"));
    expect(show(list)).toEqual(["2026-04-02T00:00–06:00", "2026-04-02T22:00–06:00", "2026-04-05T23:00–07:00", "2026-04-06T23:00–00:00"]);
  });

  test("split days and a day's end at 24:00", () => {
    const hours = { ...DEFAULT_WORKING_HOURS, mo: [["08:00", "12:00"], ["13:00", "24:00"]] as [string, string][] };
    expect(show(workingIntervals(hours, "UTC", at("2026-03-09T00:00:00Z"), at("2026-03-10T00:00:00Z")))).toEqual(["2026-03-09T08:00–12:00", "2026-03-09T13:00–00:00"]);
  });
});

describe("free time", () => {
  const i = (a: number, b: number) => ({ startMs: a, endMs: b });
  test("normalize merges, intersect keeps the common part, subtract cuts busy time out", () => {
    expect(normalize([i(5, 8), i(0, 2), i(2, 3), i(7, 9)])).toEqual([i(0, 3), i(5, 9)]);
    expect(intersect([i(0, 10), i(20, 30)], [i(5, 25)])).toEqual([i(5, 10), i(20, 25)]);
    expect(subtract([i(0, 10), i(20, 30)], [i(2, 3), i(8, 22), i(29, 40)])).toEqual([i(0, 2), i(3, 8), i(22, 29)]);
    expect(subtract([i(0, 10)], [])).toEqual([i(0, 10)]);
  });

  test("slots start on the step's grid and fit whole; the cap says it cut", () => {
    const min = 60_000;
    expect(slotsIn([i(7 * min, 70 * min)], 30 * min, 15 * min, 100).slots.map((s) => s.startMs / min)).toEqual([15, 30]);
    expect(slotsIn([i(0, 1000 * min)], 15 * min, 15 * min, 3)).toEqual({ slots: [i(0, 15 * min), i(15 * min, 30 * min), i(30 * min, 45 * min)], truncated: true });
  });
});
