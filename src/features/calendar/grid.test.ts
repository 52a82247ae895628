import { describe, expect, test } from "bun:test";
import { byDay, nowSlot, placeDay, viewRange } from "./grid";
import type { OccurrenceItem } from "./occurrences";

const item = (start: string, end: string, extra: Partial<OccurrenceItem> = {}): OccurrenceItem => {
  const allDay = !start.includes("T");
  const startMs = Date.parse(allDay ? `${start}T00:00:00Z` : start);
  const endMs = Date.parse(allDay ? `${end}T00:00:00Z` : end);
  return { eventId: "e", calendarId: "c", title: "t", occurrenceStartAt: "", occurrenceEndAt: "", startMs, endMs, start, end, allDay, timeZone: null, localStart: start, color: "#000000", busy: false, recurring: false, canEdit: true, ...extra };
};

describe("viewRange", () => {
  test("a month shows whole weeks from Monday; its window is midnight to midnight in the viewer's zone", () => {
    const r = viewRange("month", "2026-03-18", "America/New_York");
    expect(r.days[0]).toBe("2026-02-23");
    expect(r.days.at(-1)).toBe("2026-04-05");
    expect(r.days.length).toBe(42);
    expect(new Date(r.from).toISOString()).toBe("2026-02-23T05:00:00.000Z");
    expect(new Date(r.to).toISOString()).toBe("2026-04-06T04:00:00.000Z");
    expect([r.prev, r.next]).toEqual(["2026-02-01", "2026-04-01"]);
    expect(viewRange("month", "2026-12-05", "UTC").next).toBe("2027-01-01");
    expect(viewRange("month", "2026-01-05", "UTC").prev).toBe("2025-12-01");
  });

  test("a week runs Monday to Sunday; a day is one day; the agenda thirty", () => {
    expect(viewRange("week", "2026-03-08", "UTC").days).toEqual(["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08"]);
    expect(viewRange("day", "2026-03-08", "UTC")).toMatchObject({ days: ["2026-03-08"], prev: "2026-03-07", next: "2026-03-09" });
    expect(viewRange("agenda", "2026-03-08", "UTC").days.length).toBe(30);
  });
});

describe("byDay and placeDay", () => {
  test("an all-day event covers its dates (end exclusive); a timed one the local dates it touches; midnight ends do not spill", () => {
    const r = viewRange("week", "2026-03-02", "UTC");
    const cells = byDay(r, [item("2026-03-03", "2026-03-05"), item("2026-03-06T22:00:00Z", "2026-03-07T00:00:00Z"), item("2026-03-07T23:00:00Z", "2026-03-08T01:00:00Z")], "UTC");
    expect(cells.map((c) => c.items.length)).toEqual([0, 1, 1, 0, 1, 1, 1]);
  });

  test("overlapping events are laid side by side; a later free one takes the full width", () => {
    const placed = placeDay("2026-03-02", [item("2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z"), item("2026-03-02T09:30:00Z", "2026-03-02T11:00:00Z"), item("2026-03-02T10:00:00Z", "2026-03-02T10:30:00Z"), item("2026-03-02T12:00:00Z", "2026-03-02T12:10:00Z")], "UTC");
    expect(placed.map((p) => [p.slot, p.span, p.lane, p.lanes])).toEqual([
      [108, 12, 0, 2],
      [114, 18, 1, 2],
      [120, 6, 0, 2],
      [144, 3, 0, 1],
    ]);
  });

  test("positions are read in the viewer's zone", () => {
    const [p] = placeDay("2026-03-02", [item("2026-03-02T14:00:00Z", "2026-03-02T15:00:00Z")], "America/New_York");
    expect(p!.slot).toBe(9 * 12);
    expect(nowSlot("2026-03-02", Date.parse("2026-03-02T14:07:00Z"), "America/New_York")).toBe(9 * 12 + 1);
    expect(nowSlot("2026-03-03", Date.parse("2026-03-02T14:07:00Z"), "America/New_York")).toBeNull();
  });
});

test("static/calendar-grid.css is what grid-css.ts makes (run scripts/calendar-css.ts after changing it)", async () => {
  const { gridCss } = await import("./grid-css");
  expect(await Bun.file(new URL("../../../static/calendar-grid.css", import.meta.url)).text()).toBe(gridCss());
});
