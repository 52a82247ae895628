// expand() (expand.ts): wall-clock expansion placed in the series' zone across DST in five zones, the gap and
// fold rules on recurring times, all-day dates that are the same everywhere, EXDATE and RECURRENCE-ID in every
// form, UNTIL against zoned starts, window overlap and the limits. The hang guards are in guards.test.ts, the
// process-zone check in process-zones.test.ts, the ical.js cross-check in icaljs.test.ts.
import { describe, expect, test } from "bun:test";
import { RecurrenceError } from "./errors";
import { expand, type Occurrence } from "./expand";
import type { Series } from "./series";

const at = (s: string) => Date.parse(s);
const year2026 = { from: at("2026-01-01T00:00:00Z"), to: at("2027-01-01T00:00:00Z") };
const iso = (ms: number) => new Date(ms).toISOString().replace(":00.000Z", "Z");
/** The wall clock of an instant in a zone, by Intl: an oracle independent of zone.ts. */
function clockIn(ms: number, zone: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
const ids = (occ: Occurrence[]) => occ.map((o) => o.recurrenceId);

describe("DST: 09:00 stays 09:00", () => {
  for (const zone of ["America/New_York", "Europe/London", "Australia/Sydney", "Pacific/Auckland", "Australia/Lord_Howe"]) {
    test(`${zone}: a daily 09:00–10:00 event through 2026`, () => {
      const { occurrences, truncated } = expand({ start: "2026-01-01T09:00", end: "2026-01-01T10:00", zone, rrule: "FREQ=DAILY" }, year2026);
      expect(truncated).toBe(false);
      expect(occurrences.length).toBe(365);
      const offsets = new Set<number>();
      for (const o of occurrences) {
        expect(clockIn(o.startUtcMs, zone)).toBe(o.recurrenceId);
        expect(clockIn(o.startUtcMs, zone).slice(11)).toBe("09:00");
        expect(clockIn(o.endUtcMs, zone).slice(11)).toBe("10:00");
        offsets.add((o.startUtcMs % 86_400_000 + 86_400_000) % 86_400_000);
      }
      expect(offsets.size).toBe(2); // two different UTC times of day: the zone's two offsets, no fixed one
    });
  }

  test("a weekly New York meeting keeps 09:00 on both sides of the March change", () => {
    const { occurrences } = expand({ start: "2026-03-02T09:00", end: "2026-03-02T09:30", zone: "America/New_York", rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=3" }, year2026);
    expect(occurrences.map((o) => iso(o.startUtcMs))).toEqual(["2026-03-02T14:00Z", "2026-03-09T13:00Z", "2026-03-16T13:00Z"]);
  });
});

describe("gap and fold on recurring times", () => {
  test("a daily 02:30 in New York is 03:30 EDT on the day 02:00–03:00 does not exist, 02:30 on the others", () => {
    const { occurrences } = expand({ start: "2026-03-07T02:30", end: "2026-03-07T03:00", zone: "America/New_York", rrule: "FREQ=DAILY;COUNT=3" }, year2026);
    expect(occurrences.map((o) => clockIn(o.startUtcMs, "America/New_York"))).toEqual(["2026-03-07T02:30", "2026-03-08T03:30", "2026-03-09T02:30"]);
    expect(occurrences.map((o) => o.recurrenceId)).toEqual(["2026-03-07T02:30", "2026-03-08T02:30", "2026-03-09T02:30"]);
  });

  test("a daily 01:30 in New York takes the first 01:30 on the day it happens twice", () => {
    const { occurrences } = expand({ start: "2026-10-31T01:30", end: "2026-10-31T02:00", zone: "America/New_York", rrule: "FREQ=DAILY;COUNT=3" }, year2026);
    expect(occurrences.map((o) => iso(o.startUtcMs))).toEqual(["2026-10-31T05:30Z", "2026-11-01T05:30Z", "2026-11-02T06:30Z"]);
  });

  test("Lord Howe's half-hour gap: a daily 02:15 is 02:45 on 4 October", () => {
    const { occurrences } = expand({ start: "2026-10-03T02:15", end: "2026-10-03T02:45", zone: "Australia/Lord_Howe", rrule: "FREQ=DAILY;COUNT=3" }, year2026);
    expect(occurrences.map((o) => clockIn(o.startUtcMs, "Australia/Lord_Howe"))).toEqual(["2026-10-03T02:15", "2026-10-04T02:45", "2026-10-05T02:15"]);
  });

  test("an event running through the gap ends at its wall-clock end (01:00–04:00 lasts two hours that day)", () => {
    const { occurrences } = expand({ start: "2026-03-07T01:00", end: "2026-03-07T04:00", zone: "America/New_York", rrule: "FREQ=DAILY;COUNT=2" }, year2026);
    expect(occurrences.map((o) => (o.endUtcMs - o.startUtcMs) / 3_600_000)).toEqual([3, 2]);
  });
});

describe("all-day events", () => {
  const birthday: Series = { start: "2026-03-08", end: "2026-03-09", zone: "Pacific/Auckland", rrule: "FREQ=YEARLY" };

  test("are on the same date whatever the viewer's zone, placed at that date's midnight in it", () => {
    for (const viewer of ["Pacific/Auckland", "America/Los_Angeles", "UTC", "Australia/Lord_Howe"]) {
      const { occurrences } = expand(birthday, year2026, { floatingZone: viewer });
      expect(occurrences.map((o) => [o.recurrenceId, o.start, o.end, o.allDay])).toEqual([["2026-03-08", "2026-03-08", "2026-03-09", true]]);
      expect(clockIn(occurrences[0]!.startUtcMs, viewer)).toBe("2026-03-08T00:00");
      expect(clockIn(occurrences[0]!.endUtcMs, viewer)).toBe("2026-03-09T00:00");
    }
  });

  test("a viewer's window for that day finds it, in any zone", () => {
    for (const [viewer, from, to] of [["Pacific/Auckland", "2026-03-07T11:00:00Z", "2026-03-08T11:00:00Z"], ["America/Los_Angeles", "2026-03-08T08:00:00Z", "2026-03-09T07:00:00Z"]] as const) {
      expect(ids(expand(birthday, { from: at(from), to: at(to) }, { floatingZone: viewer }).occurrences)).toEqual(["2026-03-08"]);
    }
  });

  test("a multi-day weekly all-day event keeps its length in days, and ignores BYHOUR", () => {
    const { occurrences } = expand({ start: "2026-06-05", end: "2026-06-08", zone: null, rrule: "FREQ=WEEKLY;BYHOUR=9;COUNT=2" }, year2026);
    expect(occurrences.map((o) => [o.start, o.end])).toEqual([["2026-06-05", "2026-06-08"], ["2026-06-12", "2026-06-15"]]);
  });
});

describe("EXDATE and RECURRENCE-ID in every form", () => {
  // Mondays 09:00 New York (EDT from 8 March): each value below names one Monday's 09:00.
  const forms: [string, string][] = [
    ["UTC instant, extended", "2026-03-09T13:00:00Z"],
    ["UTC instant, basic", "20260316T130000Z"],
    ["UTC instant with milliseconds", "2026-03-23T13:00:00.000Z"],
    ["offset", "2026-03-30T09:00-04:00"],
    ["zoned, iCalendar TZID (another zone)", "TZID=Europe/London:20260406T140000"],
    ["zoned, RFC 9557 suffix", "2026-04-13T09:00[America/New_York]"],
    ["floating, extended", "2026-04-20T09:00"],
    ["floating, basic", "20260427T090000"],
    ["date", "2026-05-04"],
    ["date, basic with VALUE=DATE", "VALUE=DATE:20260511"],
  ];
  const expectedIds = ["2026-03-09T09:00", "2026-03-16T09:00", "2026-03-23T09:00", "2026-03-30T09:00", "2026-04-06T09:00", "2026-04-13T09:00", "2026-04-20T09:00", "2026-04-27T09:00", "2026-05-04T09:00", "2026-05-11T09:00"];
  const weekly: Series<{ title: string }> = { start: "2026-03-02T09:00", end: "2026-03-02T10:00", zone: "America/New_York", rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=12" };

  test("EXDATEs remove exactly those Mondays", () => {
    const { occurrences } = expand({ ...weekly, exdates: forms.map(([, v]) => v) }, year2026);
    expect(ids(occurrences)).toEqual(["2026-03-02T09:00", "2026-05-18T09:00"]);
  });

  for (const [i, [form, value]] of forms.entries()) {
    test(`RECURRENCE-ID as ${form} (${value}) overrides its Monday`, () => {
      const { occurrences } = expand({ ...weekly, overrides: [{ recurrenceId: value, start: null, data: { title: "Retitled" } }] }, year2026);
      const hit = occurrences.filter((o) => o.override !== null);
      expect(hit.map((o) => [o.recurrenceId, o.override?.data?.title])).toEqual([[expectedIds[i]!, "Retitled"]]);
      expect(occurrences.length).toBe(12);
    });
  }

  test("a cancelled override removes its occurrence; a moved one moves it (and keeps its recurrence id)", () => {
    const { occurrences } = expand({ ...weekly, overrides: [{ recurrenceId: "2026-03-09T09:00", cancelled: true }, { recurrenceId: "2026-03-16T13:00:00Z", start: "2026-03-17T15:00", end: "2026-03-17T16:30" }] }, year2026);
    expect(occurrences.length).toBe(11);
    const moved = occurrences.find((o) => o.recurrenceId === "2026-03-16T09:00")!;
    expect([moved.start, moved.end, iso(moved.startUtcMs), iso(moved.endUtcMs)]).toEqual(["2026-03-17T15:00", "2026-03-17T16:30", "2026-03-17T19:00Z", "2026-03-17T20:30Z"]);
  });

  test("exdates on an all-day series match in any form", () => {
    const s: Series = { start: "2026-03-02", end: "2026-03-03", zone: null, rrule: "FREQ=DAILY;COUNT=5", exdates: ["2026-03-03", "20260304", "2026-03-05T00:00:00Z"] };
    expect(ids(expand(s, year2026).occurrences)).toEqual(["2026-03-02", "2026-03-06"]);
  });

  test("RDATEs add occurrences (in any form), EXDATEs can remove them again", () => {
    const s: Series = { ...weekly, rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=2", rdates: ["2026-03-04T09:00", "2026-03-05T14:00:00Z", "2026-03-06"], exdates: ["2026-03-06"] };
    expect(ids(expand(s, year2026).occurrences)).toEqual(["2026-03-02T09:00", "2026-03-04T09:00", "2026-03-05T09:00", "2026-03-09T09:00"]);
  });
});

describe("UNTIL", () => {
  const daily = (rrule: string): Series => ({ start: "2026-03-06T09:00", end: "2026-03-06T10:00", zone: "America/New_York", rrule });
  test("in UTC is compared with each placed start (RFC 5545), inclusive", () => {
    expect(ids(expand(daily("FREQ=DAILY;UNTIL=20260310T130000Z"), year2026).occurrences).at(-1)).toBe("2026-03-10T09:00");
    expect(ids(expand(daily("FREQ=DAILY;UNTIL=20260310T125959Z"), year2026).occurrences).at(-1)).toBe("2026-03-09T09:00");
    // 14:00Z is 09:00 EST before the change but 10:00 EDT after it
    expect(ids(expand(daily("FREQ=DAILY;UNTIL=20260307T140000Z"), year2026).occurrences).at(-1)).toBe("2026-03-07T09:00");
  });
  test("as a floating date-time or a date is read on the series' clock", () => {
    expect(ids(expand(daily("FREQ=DAILY;UNTIL=20260310T090000"), year2026).occurrences).at(-1)).toBe("2026-03-10T09:00");
    expect(ids(expand(daily("FREQ=DAILY;UNTIL=20260310"), year2026).occurrences).at(-1)).toBe("2026-03-10T09:00");
  });
  test("in Auckland (east of UTC) an UTC UNTIL the day before still includes the local day", () => {
    const s: Series = { start: "2026-06-01T08:00", end: "2026-06-01T09:00", zone: "Pacific/Auckland", rrule: "FREQ=DAILY;UNTIL=20260602T200000Z" };
    expect(ids(expand(s, year2026).occurrences)).toEqual(["2026-06-01T08:00", "2026-06-02T08:00", "2026-06-03T08:00"]);
  });
});

describe("windows", () => {
  const s: Series = { start: "2026-01-05T23:00", end: "2026-01-06T01:00", zone: "Europe/Berlin", rrule: "FREQ=DAILY" };
  test("returns occurrences overlapping [from, to), sorted, including one that began before the window", () => {
    const { occurrences } = expand(s, { from: at("2026-01-10T23:30:00Z"), to: at("2026-01-12T22:00:00Z") });
    // 23:00–01:00 Berlin is 22:00Z–00:00Z in January: the 10th's runs into the window, the 12th's starts at its end
    expect(ids(occurrences)).toEqual(["2026-01-10T23:00", "2026-01-11T23:00"]);
  });
  test("an occurrence ending exactly at from, or starting exactly at to, is outside", () => {
    const { occurrences } = expand(s, { from: at("2026-01-11T00:00:00Z"), to: at("2026-01-11T22:00:00Z") });
    expect(ids(occurrences)).toEqual([]);
  });
  test("a window longer than the limit is refused, naming the window", () => {
    expect(() => expand(s, { from: 0, to: 500 * 86_400_000 })).toThrow(RecurrenceError);
    try {
      expand(s, { from: 0, to: 500 * 86_400_000 });
    } catch (e) {
      expect((e as RecurrenceError).field).toBe("window");
    }
  });
  test("the number of occurrences is capped and the result says so", () => {
    const r = expand({ ...s, rrule: "FREQ=HOURLY" }, year2026, { maxOccurrences: 100 });
    expect([r.occurrences.length, r.truncated]).toEqual([100, true]);
  });
  test("a single event is one occurrence when it overlaps", () => {
    expect(ids(expand({ ...s, rrule: null }, year2026).occurrences)).toEqual(["2026-01-05T23:00"]);
  });
  test("an override moved into the window from far outside it is found", () => {
    const moved: Series = { ...s, overrides: [{ recurrenceId: "2026-01-06T23:00", start: "2026-09-01T12:00", end: "2026-09-01T13:00" }] };
    const { occurrences } = expand(moved, { from: at("2026-09-01T00:00:00Z"), to: at("2026-09-02T00:00:00Z") });
    // Berlin is UTC+2 in September: the moved one is 10:00Z, the 1st's own 23:00 is 21:00Z, the 31st's ended at 23:00Z
    expect(occurrences.map((o) => [o.recurrenceId, o.start])).toEqual([["2026-01-06T23:00", "2026-09-01T12:00"], ["2026-09-01T23:00", "2026-09-01T23:00"]]);
  });
});

describe("bad input names the field", () => {
  const base: Series = { start: "2026-01-05T09:00", end: "2026-01-05T10:00", zone: "Europe/Berlin", rrule: "FREQ=DAILY" };
  const field = (s: Series) => {
    try {
      expand(s, year2026);
      return null;
    } catch (e) {
      return e instanceof RecurrenceError ? e.field : `not a RecurrenceError: ${e}`;
    }
  };
  test.each([
    ["start", { start: "2026-01-05 09:00" }],
    ["start", { start: "2026-02-30T09:00" }],
    ["end", { end: "2026-01-05T08:00" }],
    ["end", { end: "tomorrow" }],
    ["timeZone", { zone: "Mars/Olympus_Mons" }],
    ["rrule.BYDAY", { rrule: "FREQ=WEEKLY;BYDAY=XX" }],
    ["rrule.COUNT", { rrule: "FREQ=DAILY;COUNT=2;UNTIL=20270101" }],
    ["exdates", { exdates: Array.from({ length: 10_000 }, (_, i) => `2026-01-05T09:${String(i % 60).padStart(2, "0")}`) }],
    ["exdates[1]", { exdates: ["2026-01-06T09:00", "yesterday"] }],
    ["rrule.FREQ", { start: "2026-01-05", end: "2026-01-06", rrule: "FREQ=HOURLY" }],
  ] as [string, Partial<Series>][])("%s", (name, change) => {
    expect(field({ ...base, ...change })).toBe(name);
  });
});
