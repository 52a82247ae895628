// Wall-clock values (wall-clock.ts): parsing refuses what is not a real date or time, formatting (done without
// Date objects, for speed) agrees with Date's own ISO form across the whole range.
import { describe, expect, test } from "bun:test";
import { formatLocalDate, formatLocalDateTime, parseLocalDate, parseLocalDateTime } from "./wall-clock";

describe("wall-clock values", () => {
  test("parse real dates and times only", () => {
    expect(parseLocalDateTime("2026-03-08T09:00")).toBe(Date.UTC(2026, 2, 8, 9));
    expect(parseLocalDateTime("2026-03-08T09:00:30")).toBe(Date.UTC(2026, 2, 8, 9, 0, 30));
    expect(parseLocalDate("2028-02-29")).toBe(Date.UTC(2028, 1, 29));
    for (const bad of ["2026-02-29T09:00", "2026-03-08T24:00", "2026-03-08T09:60", "2026-3-8T09:00", "2026-03-08 09:00", "2026-03-08T09:00Z", "2026-03-08"]) {
      expect([bad, parseLocalDateTime(bad)]).toEqual([bad, null]);
    }
    for (const bad of ["2027-02-29", "2026-13-01", "2026-00-10", "20260308", "2026-03-08T00:00"]) expect([bad, parseLocalDate(bad)]).toEqual([bad, null]);
  });

  test("format like Date's ISO form from year 1 to 9999", () => {
    const yearOne = new Date(0).setUTCFullYear(1, 0, 1);
    for (let t = yearOne; t < Date.UTC(9999, 11, 31); t += 86_400_000 * 29 + 3_601_000) {
      const iso = new Date(t).toISOString().slice(0, 19);
      expect(formatLocalDateTime(t)).toBe(iso.endsWith(":00") ? iso.slice(0, 16) : iso);
      expect(formatLocalDate(t)).toBe(iso.slice(0, 10));
    }
  });
});
