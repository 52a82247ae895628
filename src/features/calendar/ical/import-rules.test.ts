// The import's rules without a database: which IANA zone a TZID means, unfolding before decoding, and the plan
// (series with their occurrences folded in, lone occurrences, cancellations, duplicates).
import { describe, expect, test } from "bun:test";
import ICAL from "ical.js";
import { clockText, planImport } from "./import-plan";
import { decodeIcs, parseIcs, splitComponents } from "./parse";
import { knownZone, matchVtimezone } from "./zones";

const NOW = Date.UTC(2026, 11, 5);

describe("zones", () => {
  test("IANA names, Windows names and IANA names at the end of a longer id are known without a VTIMEZONE", () => {
    expect(knownZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(knownZone("W. Europe Standard Time")).toBe("Europe/Berlin");
    expect(knownZone("Eastern Standard Time")).toBe("America/New_York");
    expect(knownZone("AUS Eastern Standard Time")).toBe("Australia/Sydney");
    expect(knownZone("/mozilla.org/20050126_1/America/New_York")).toBe("America/New_York");
    expect(knownZone("/freeassociation.sourceforge.net/Tzfile/America/Argentina/Buenos_Aires")).toBe("America/Argentina/Buenos_Aires");
    expect(knownZone("Customized Time Zone")).toBeNull();
    expect(knownZone("../../etc/passwd")).toBeNull();
  });

  test("a VTIMEZONE under a display name matches the IANA zone with its offsets, preferring the city it names", () => {
    const component = new ICAL.Component(
      ICAL.parse(
        "BEGIN:VTIMEZONE\r\nTZID:(UTC-08:00) Pacific Time (US & Canada); Los Angeles\r\nBEGIN:STANDARD\r\nDTSTART:16011104T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0800\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010311T020000\r\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\nTZOFFSETFROM:-0800\r\nTZOFFSETTO:-0700\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE",
      ) as unknown as unknown[],
    );
    const tzid = "(UTC-08:00) Pacific Time (US & Canada); Los Angeles";
    expect(matchVtimezone(tzid, ICAL.Timezone.fromData({ component, tzid }), NOW)).toBe("America/Los_Angeles");
    // Half an hour off everything: no match.
    const odd = new ICAL.Component(ICAL.parse("BEGIN:VTIMEZONE\r\nTZID:Odd\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:+0217\r\nTZOFFSETTO:+0217\r\nEND:STANDARD\r\nEND:VTIMEZONE") as unknown as unknown[]);
    expect(matchVtimezone("Odd", ICAL.Timezone.fromData({ component: odd, tzid: "Odd" }), NOW)).toBeNull();
  });
});

describe("reading the text", () => {
  test("folds are removed before decoding, so a character split across lines survives", () => {
    const bytes = new TextEncoder().encode("SUMMARY:Caf\u00e9 \u2615");
    const cut = bytes.length - 2; // inside the three bytes of ☕
    const folded = new Uint8Array([...bytes.slice(0, cut), 13, 10, 32, ...bytes.slice(cut)]);
    expect(new TextDecoder().decode(folded)).toContain("\ufffd");
    expect(decodeIcs(folded)).toBe("SUMMARY:Caf\u00e9 \u2615");
    expect(decodeIcs(new TextEncoder().encode("A:1\n\tB\nC:2"))).toBe("A:1B\nC:2");
  });

  test("top-level components are cut out with their nested ones; several VCALENDARs in one file are read as one", () => {
    const { header, blocks } = splitComponents("BEGIN:VCALENDAR\r\nX-WR-CALNAME:A\r\nBEGIN:VEVENT\r\nUID:1\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:2\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    expect(header).toEqual(["X-WR-CALNAME:A"]);
    expect(blocks.map((b) => [b.type, b.lines.length])).toEqual([["VEVENT", 6], ["VEVENT", 3]]);
    expect(() => splitComponents("hello")).toThrow(/not an iCalendar file/);
    expect(() => splitComponents("BEGIN:VCALENDAR\nBEGIN:VEVENT\n")).toThrow(/cut off/);
  });
});

describe("the plan", () => {
  const vevent = (lines: string) => `BEGIN:VEVENT\r\n${lines.trim().split("\n").map((l) => l.trim()).join("\r\n")}\r\nEND:VEVENT\r\n`;
  const parse = (...events: string[]) => parseIcs(`BEGIN:VCALENDAR\r\n${events.join("")}END:VCALENDAR\r\n`, { fallbackZone: "UTC", now: NOW });

  test("occurrences fold into their series on its clock; a lone one stays itself; a cancelled series is a removal", async () => {
    const file = await parse(
      vevent(`UID:s
        DTSTART;TZID=America/New_York:20260302T093000
        DTEND;TZID=America/New_York:20260302T100000
        RRULE:FREQ=DAILY;COUNT=5
        SUMMARY:Series`),
      vevent(`UID:s
        RECURRENCE-ID:20260303T143000Z
        DTSTART:20260303T160000Z
        DTEND:20260303T170000Z
        SUMMARY:Series`),
      vevent(`UID:s
        RECURRENCE-ID;TZID=America/New_York:20260304T093000
        STATUS:CANCELLED
        DTSTART;TZID=America/New_York:20260304T093000`),
      vevent(`UID:lone
        RECURRENCE-ID;VALUE=DATE:20260310
        DTSTART;VALUE=DATE:20260311
        SUMMARY:Lone`),
      vevent(`UID:gone
        STATUS:CANCELLED
        DTSTART:20260301T090000Z`),
    );
    const plan = planImport(file.events);
    expect(plan.skipped).toEqual([]);
    expect(plan.upserts.map((u) => [u.uid, u.recurrenceId])).toEqual([["s", null], ["lone", "2026-03-10"]]);
    expect(plan.upserts[0]!.series.overrides).toEqual([{ recurrenceId: "2026-03-03T09:30", start: "2026-03-03T11:00", end: "2026-03-03T12:00" }, { recurrenceId: "2026-03-04T09:30", cancelled: true }]);
    expect(plan.upserts[1]!.series).toMatchObject({ start: "2026-03-11", end: "2026-03-12", zone: null });
    expect(plan.removals.map((r) => [r.uid, r.recurrenceId])).toEqual([["gone", null]]);
  });

  test("clocks are written in forms the recurrence engine reads back", () => {
    expect(clockText({ date: Date.UTC(2026, 2, 8) })).toBe("2026-03-08");
    expect(clockText({ wall: Date.UTC(2026, 2, 8, 9, 30), zone: null })).toBe("2026-03-08T09:30");
    expect(clockText({ wall: Date.UTC(2026, 2, 8, 9, 30), zone: "UTC" })).toBe("2026-03-08T09:30Z");
    expect(clockText({ wall: Date.UTC(2026, 2, 8, 9, 30), zone: "Europe/Berlin" })).toBe("2026-03-08T09:30[Europe/Berlin]");
  });
});
