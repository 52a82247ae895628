// Placement of wall-clock times in zones (zone.ts): the spring gap moves forward by the gap, the autumn fold takes
// the first instant (RFC 5545 §3.3.5), in New York, London, Sydney, Auckland and Lord Howe (a 30-minute shift).
// Expected instants are written out by hand from the 2026 zone rules.
import { describe, expect, test } from "bun:test";
import { parseLocalDateTime } from "./wall-clock";
import { isTimeZone, offsetAt, placeWallClock, wallClockAt } from "./zone";

const wall = (s: string) => parseLocalDateTime(s)!;
const iso = (ms: number) => new Date(ms).toISOString().replace(":00.000Z", "Z");
const place = (s: string, zone: string) => iso(placeWallClock(wall(s), zone));

describe("placeWallClock", () => {
  const cases: [zone: string, what: string, local: string, utc: string][] = [
    ["America/New_York", "ordinary winter time", "2026-01-15T09:00", "2026-01-15T14:00Z"],
    ["America/New_York", "ordinary summer time", "2026-07-15T09:00", "2026-07-15T13:00Z"],
    ["America/New_York", "gap 02:00→03:00: 02:30 is 03:30 EDT", "2026-03-08T02:30", "2026-03-08T07:30Z"],
    ["America/New_York", "fold 01:00–02:00 twice: the first (EDT)", "2026-11-01T01:30", "2026-11-01T05:30Z"],
    ["America/New_York", "just after the fold", "2026-11-01T02:00", "2026-11-01T07:00Z"],
    ["Europe/London", "gap 01:00→02:00: 01:30 is 02:30 BST", "2026-03-29T01:30", "2026-03-29T01:30Z"],
    ["Europe/London", "fold 01:00–02:00 twice: the first (BST)", "2026-10-25T01:30", "2026-10-25T00:30Z"],
    ["Australia/Sydney", "gap 02:00→03:00: 02:30 is 03:30 AEDT", "2026-10-04T02:30", "2026-10-03T16:30Z"],
    ["Australia/Sydney", "fold 02:00–03:00 twice: the first (AEDT)", "2026-04-05T02:30", "2026-04-04T15:30Z"],
    ["Australia/Sydney", "afternoon before DST (rrule.js's tzid is an hour off here)", "2026-10-03T16:15", "2026-10-03T06:15Z"],
    ["Pacific/Auckland", "gap 02:00→03:00: 02:30 is 03:30 NZDT", "2026-09-27T02:30", "2026-09-26T14:30Z"],
    ["Pacific/Auckland", "fold 02:00–03:00 twice: the first (NZDT)", "2026-04-05T02:30", "2026-04-04T13:30Z"],
    ["Australia/Lord_Howe", "gap 02:00→02:30: 02:15 is 02:45 (+11)", "2026-10-04T02:15", "2026-10-03T15:45Z"],
    ["Australia/Lord_Howe", "fold 01:30–02:00 twice: the first (+11)", "2026-04-05T01:45", "2026-04-04T14:45Z"],
    ["Australia/Lord_Howe", "standard time (+10:30)", "2026-07-01T09:00", "2026-06-30T22:30Z"],
  ];
  for (const [zone, what, local, utc] of cases) {
    test(`${zone}: ${what}`, () => expect(place(local, zone)).toBe(utc));
  }

  test("the gap moves a time forward by the gap's length, read back on the zone's clock", () => {
    expect(wallClockAt(placeWallClock(wall("2026-03-08T02:30"), "America/New_York"), "America/New_York")).toBe(wall("2026-03-08T03:30"));
    expect(wallClockAt(placeWallClock(wall("2026-10-04T02:15"), "Australia/Lord_Howe"), "Australia/Lord_Howe")).toBe(wall("2026-10-04T02:45"));
  });

  test("every wall-clock time of 2026 round-trips in each zone (every 15 minutes)", () => {
    for (const zone of ["America/New_York", "Europe/London", "Australia/Sydney", "Pacific/Auckland", "Australia/Lord_Howe"]) {
      let moved = 0;
      for (let w = wall("2026-01-01T00:00"); w < wall("2027-01-01T00:00"); w += 15 * 60_000) {
        const back = wallClockAt(placeWallClock(w, zone), zone);
        if (back !== w) moved++;
        expect(back).toBeGreaterThanOrEqual(w); // only gap times move, and only forward
      }
      expect(moved).toBe(zone === "Australia/Lord_Howe" ? 2 : 4); // the gap: 1 hour (30 minutes on Lord Howe)
    }
  });

  test("floating and UTC are read as they are", () => {
    expect(placeWallClock(wall("2026-03-08T02:30"), null)).toBe(wall("2026-03-08T02:30"));
    expect(placeWallClock(wall("2026-03-08T02:30"), "UTC")).toBe(wall("2026-03-08T02:30"));
  });

  test("offsets agree with Intl every 15 minutes across a transition", () => {
    const fmt = new Intl.DateTimeFormat("en-US", { timeZone: "Australia/Lord_Howe", timeZoneName: "longOffset" });
    for (let t = Date.UTC(2026, 3, 4); t < Date.UTC(2026, 3, 6); t += 15 * 60_000) {
      const m = /GMT([+-])(\d\d):(\d\d)/.exec(fmt.format(new Date(t)))!;
      const expected = (m[1] === "-" ? -1 : 1) * (+m[2]! * 60 + +m[3]!) * 60_000;
      expect(offsetAt("Australia/Lord_Howe", t)).toBe(expected);
    }
  });
});

describe("isTimeZone", () => {
  test("knows IANA zones and refuses the rest", () => {
    expect(isTimeZone("Europe/London")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("+02:00")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});
