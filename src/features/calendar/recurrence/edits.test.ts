// Series edits (edits.ts): "this and following" splits whose two halves together give exactly the original
// occurrences (exceptions on both sides, COUNT turned into UNTIL plus a remaining COUNT), "all" moves that carry the
// exceptions along, and single-occurrence overrides and cancellations.
import { describe, expect, test } from "bun:test";
import { cancelOccurrence, moveSeries, overrideOccurrence, splitSeries } from "./edits";
import { RecurrenceError } from "./errors";
import { expand, type Occurrence } from "./expand";
import { parseRRule } from "./rrule-parse";
import type { Series } from "./series";

type Data = { title: string };
const window = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2027, 0, 1) };
const flat = (occ: Occurrence<Data>[]) => occ.map((o) => `${o.recurrenceId} ${o.start}→${o.end} ${o.startUtcMs} ${o.endUtcMs} ${o.override?.data?.title ?? ""}`);
const all = (s: Series<Data>) => flat(expand(s, window).occurrences);

function expectCleanSplit(series: Series<Data>, at: string) {
  const { before, after } = splitSeries(series, at);
  expect(before).not.toBeNull();
  const union = [...all(before!), ...all(after)];
  expect(union).toEqual(all(series));
  const beforeRule = parseRRule(before!.rrule!).rule!;
  expect(beforeRule.count).toBeNull();
  expect(beforeRule.until).not.toBeNull();
  // Every occurrence of the old half is before the split, every one of the new half at or after it.
  const atIds = expand(series, window).occurrences.map((o) => o.recurrenceId);
  const split = atIds.find((id) => id >= at.slice(0, 16)) ?? at;
  expect(expand(before!, window).occurrences.every((o) => o.recurrenceId < split)).toBe(true);
  expect(expand(after, window).occurrences.every((o) => o.recurrenceId >= split)).toBe(true);
  return { before: before!, after };
}

describe("splitSeries (this and following)", () => {
  const meeting: Series<Data> = {
    start: "2026-01-05T09:00", end: "2026-01-05T10:00", zone: "America/New_York", rrule: "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=30",
    exdates: ["2026-01-12T14:00:00Z", "2026-04-02T09:00"],
    rdates: ["2026-01-07T09:00", "2026-04-08T09:00"],
    overrides: [
      { recurrenceId: "2026-01-15T09:00", start: "2026-01-16T11:00", end: "2026-01-16T12:00", data: { title: "Moved before" } },
      { recurrenceId: "2026-04-06T13:00:00Z", data: { title: "Retitled after" } },
      { recurrenceId: "2026-04-09T09:00", cancelled: true },
    ],
  };

  test("with exceptions on both sides: the halves give the original occurrences, each exception on its side", () => {
    const { before, after } = expectCleanSplit(meeting, "2026-03-16T09:00");
    expect(before.exdates).toEqual(["2026-01-12T09:00"]);
    expect(after.exdates).toEqual(["2026-04-02T09:00"]);
    expect(before.rdates).toEqual(["2026-01-07T09:00"]);
    expect(after.rdates).toEqual(["2026-04-08T09:00"]);
    expect(before.overrides!.map((o) => o.recurrenceId)).toEqual(["2026-01-15T09:00"]);
    expect(after.overrides!.map((o) => o.recurrenceId)).toEqual(["2026-04-06T09:00", "2026-04-09T09:00"]);
  });

  test("COUNT becomes UNTIL a second before the split (in UTC for a zoned series) and the new half keeps the rest", () => {
    const { before, after } = splitSeries(meeting, "2026-03-16T09:00");
    // 20 rule instances come before 16 March (Mondays and Thursdays from 5 January); 30 - 20 remain.
    expect(before!.rrule).toBe("FREQ=WEEKLY;UNTIL=20260316T125959Z;BYDAY=MO,TH");
    expect(after.rrule).toBe("FREQ=WEEKLY;COUNT=10;BYDAY=MO,TH");
    expect([after.start, after.end]).toEqual(["2026-03-16T09:00", "2026-03-16T10:00"]);
  });

  test("the occurrence can be named in any form (here a UTC instant)", () => {
    expect(splitSeries(meeting, "2026-03-16T13:00:00Z").after.start).toBe("2026-03-16T09:00");
  });

  test("an UNTIL series in Auckland split across the April change", () => {
    expectCleanSplit({ start: "2026-03-01T02:30", end: "2026-03-01T03:30", zone: "Pacific/Auckland", rrule: "FREQ=DAILY;UNTIL=20260430T000000Z", exdates: ["2026-03-10T02:30", "2026-04-20T02:30"] }, "2026-04-05T02:30");
  });

  test("an all-day series with COUNT ends the day before", () => {
    const s: Series<Data> = { start: "2026-02-02", end: "2026-02-03", zone: null, rrule: "FREQ=WEEKLY;COUNT=8", exdates: ["2026-02-09", "2026-03-16"] };
    const { before, after } = expectCleanSplit(s, "2026-03-02");
    expect(before.rrule).toBe("FREQ=WEEKLY;UNTIL=20260301");
    expect(after.rrule).toBe("FREQ=WEEKLY;COUNT=4");
  });

  test("a floating monthly rule with no end", () => {
    expectCleanSplit({ start: "2026-01-30T18:00", end: "2026-01-30T20:00", zone: null, rrule: "FREQ=MONTHLY;BYDAY=-1FR", overrides: [{ recurrenceId: "2026-02-27T18:00", data: { title: "x" } }, { recurrenceId: "2026-11-27T18:00", data: { title: "y" } }] }, "2026-06-26T18:00");
  });

  test("at the first occurrence there is no old half", () => {
    const { before, after } = splitSeries(meeting, "2026-01-05T09:00");
    expect(before).toBeNull();
    expect(all(after)).toEqual(all(meeting));
  });

  test("a time that is not an occurrence is refused, naming the occurrence", () => {
    expect(() => splitSeries(meeting, "2026-03-17T09:00")).toThrow(RecurrenceError);
    try {
      splitSeries(meeting, "2026-03-17T09:00");
    } catch (e) {
      expect((e as RecurrenceError).field).toBe("occurrence");
    }
  });
});

describe("moveSeries (all)", () => {
  const s: Series<Data> = {
    start: "2026-03-02T09:00", end: "2026-03-02T10:00", zone: "America/New_York", rrule: "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260330T130000Z",
    exdates: ["2026-03-09T13:00:00Z"],
    overrides: [{ recurrenceId: "2026-03-16T09:00", data: { title: "Kept" } }, { recurrenceId: "2026-03-23T09:00", start: "2026-03-23T15:00", end: "2026-03-23T16:00", data: { title: "Moved" } }],
  };

  test("an hour later: the exceptions follow (the EXDATE given in UTC too, across the DST change)", () => {
    const moved = moveSeries(s, { start: "2026-03-02T10:00" });
    const occ = expand(moved, window).occurrences;
    expect(occ.map((o) => [o.recurrenceId, o.start, o.override?.data?.title ?? ""])).toEqual([
      ["2026-03-02T10:00", "2026-03-02T10:00", ""],
      ["2026-03-16T10:00", "2026-03-16T10:00", "Kept"],
      ["2026-03-23T10:00", "2026-03-23T16:00", "Moved"],
      ["2026-03-30T10:00", "2026-03-30T10:00", ""],
    ]);
    expect(moved.exdates).toEqual(["2026-03-09T10:00"]);
  });

  test("a day later: a weekly rule's weekday moves too, and the UNTIL keeps the same number of occurrences", () => {
    const moved = moveSeries(s, { start: "2026-03-03T09:00", end: "2026-03-03T09:45" });
    expect(moved.rrule).toBe("FREQ=WEEKLY;UNTIL=20260331T130000Z;BYDAY=TU");
    const before = expand(s, window).occurrences, after = expand(moved, window).occurrences;
    expect(after.length).toBe(before.length);
    expect(after.map((o) => o.override?.data?.title ?? "")).toEqual(before.map((o) => o.override?.data?.title ?? ""));
    expect(after.every((o) => new Date(o.startUtcMs).getUTCDay() === 2)).toBe(true);
  });

  test("to another zone keeps the wall clock", () => {
    const moved = moveSeries(s, { start: "2026-03-02T09:00", zone: "Europe/London" });
    expect(expand(moved, window).occurrences.map((o) => o.start.slice(11))).toEqual(["09:00", "09:00", "15:00", "09:00"]);
  });

  test("an all-day series moves by days", () => {
    const d: Series<Data> = { start: "2026-05-01", end: "2026-05-02", zone: null, rrule: "FREQ=MONTHLY;COUNT=3", exdates: ["2026-06-01"] };
    const moved = moveSeries(d, { start: "2026-05-03" });
    expect([moved.start, moved.end, moved.exdates]).toEqual(["2026-05-03", "2026-05-04", ["2026-06-03"]]);
  });

  test("a bad start names the field", () => {
    expect(() => moveSeries(s, { start: "2026-03-02" })).toThrow(RecurrenceError);
  });
});

describe("this occurrence", () => {
  const s: Series<Data> = { start: "2026-03-02T09:00", end: "2026-03-02T10:00", zone: "Europe/Paris", rrule: "FREQ=DAILY;COUNT=5", overrides: [{ recurrenceId: "2026-03-04T09:00", data: { title: "Old" } }] };

  test("cancelOccurrence adds an EXDATE and drops the occurrence's override", () => {
    const c = cancelOccurrence(s, "2026-03-04T08:00:00Z");
    expect([c.exdates, c.overrides]).toEqual([["2026-03-04T09:00"], []]);
    expect(expand(c, window).occurrences.map((o) => o.recurrenceId)).toEqual(["2026-03-02T09:00", "2026-03-03T09:00", "2026-03-05T09:00", "2026-03-06T09:00"]);
  });

  test("overrideOccurrence moves and retitles one occurrence, replacing an earlier override of it", () => {
    const o = overrideOccurrence(s, "2026-03-04T09:00", { start: "2026-03-04T14:00", data: { title: "New" } });
    expect(o.overrides).toEqual([{ recurrenceId: "2026-03-04T09:00", cancelled: false, start: "2026-03-04T14:00", end: null, data: { title: "New" } }]);
    const occ = expand(o, window).occurrences.find((x) => x.recurrenceId === "2026-03-04T09:00")!;
    expect([occ.start, occ.end, occ.override?.data?.title]).toEqual(["2026-03-04T14:00", "2026-03-04T15:00", "New"]);
  });

  test("an override ending before it starts, or of a time that is not an occurrence, is refused", () => {
    expect(() => overrideOccurrence(s, "2026-03-04T09:00", { start: "2026-03-04T14:00", end: "2026-03-04T13:00" })).toThrow(RecurrenceError);
    expect(() => overrideOccurrence(s, "2026-03-09T09:00", { data: { title: "x" } })).toThrow(RecurrenceError);
    expect(() => cancelOccurrence(s, "2026-03-04T10:00")).toThrow(RecurrenceError);
  });
});
