// iCalendar in over real HTTP on a real database: Google- and Outlook-shaped exports (their VTIMEZONEs, Windows and
// display-name zones, a custom zone, folded lines, CRLF and LF) import to exactly the occurrences ical.js expands
// from the same file; importing again changes nothing; UID (+ RECURRENCE-ID) decides create or update; broken events
// are skipped with their reason; bad files, sizes, strangers and read-only access are refused without writing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { and, count, eq } from "drizzle-orm";
import { calendarEvents, events } from "../../../schema";
import { createTestApp, type TestApp } from "../../../test/app";
import { api, business, json, person, signedIn, type Person } from "../../../test/people";
import { expandWithIcalJs, type Instance } from "./icaljs-expand.fixture";
import { decodeIcs } from "./parse";

let t: TestApp;
let ada: Person;
let bob: Person;

beforeAll(async () => {
  t = await createTestApp();
  [ada, bob] = (await Promise.all(["Ada Lovelace", "Bob Stone"].map((name) => person(t, name)))) as [Person, Person];
  await business(t, ada, [[bob, "member"]], "Acme");
});
afterAll(() => t.close());

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dir, "../testdata/import", name)));
const newCalendar = async (who: Person, name: string, timeZone = "UTC") => (await json(api(t, who, "/api/calendars", { method: "POST", json: { name, contextType: "personal", timeZone } }), 201)).calendar as { id: string };
const upload = (who: Person, calendarId: string, body: Uint8Array | string, type = "text/calendar", query = "") =>
  t.app.request(`/api/calendars/${calendarId}/import${query}`, { method: "POST", headers: { authorization: `Bearer ${who.token}`, "content-type": type }, body: body as BodyInit });
const rowsIn = async (calendarId: string) => (await t.deps.db.select({ n: count() }).from(calendarEvents).where(eq(calendarEvents.calendarId, calendarId)))[0]!.n;

const FROM = "2026-01-01T00:00:00Z";
const TO = "2027-01-31T00:00:00Z";

async function ourOccurrences(who: Person, calendarId: string): Promise<Instance[]> {
  const list = (await json(api(t, who, `/api/calendar/events?from=${FROM}&to=${TO}&calendarIds=${calendarId}&timeZone=UTC`), 200)).occurrences as { occurrenceStartAt: string; occurrenceEndAt: string; title: string }[];
  return list.map((o) => ({ start: Date.parse(o.occurrenceStartAt), end: Date.parse(o.occurrenceEndAt), title: o.title })).sort((a, b) => a.start - b.start || a.title.localeCompare(b.title));
}
const readable = (list: Instance[]) => list.map((o) => `${new Date(o.start).toISOString()} ${new Date(o.end).toISOString()} ${o.title}`);

async function eventsByTitle(who: Person, calendarId: string) {
  const rows = await t.deps.db.select({ id: calendarEvents.id, title: calendarEvents.title }).from(calendarEvents).where(eq(calendarEvents.calendarId, calendarId));
  return new Map(await Promise.all(rows.map(async (r) => [r.title, (await json(api(t, who, `/api/events/${r.id}`), 200)).event] as const)));
}

describe("a Google Calendar export (CRLF, folded inside a character, its own VTIMEZONEs)", () => {
  test("imports to the occurrences ical.js expands from the file, with the series, its exceptions and the text intact", async () => {
    const calendar = await newCalendar(ada, "From Google", "America/New_York");
    const bytes = fixture("google-export.ics");
    const report = (await json(upload(ada, calendar.id, bytes), 200)).import;
    expect(report).toMatchObject({ calendarId: calendar.id, total: 7, created: 5, updated: 0, unchanged: 0, removed: 0, skippedCount: 0, skipped: [], notes: [], name: "Team NY", refreshMs: 6 * 3600_000 });

    const ours = await ourOccurrences(ada, calendar.id);
    expect(readable(ours)).toEqual(readable(expandWithIcalJs(decodeIcs(bytes), FROM, TO)));
    expect(ours.length).toBeGreaterThan(20);

    const byTitle = await eventsByTitle(ada, calendar.id);
    const sync = byTitle.get("Team sync")!;
    expect(sync).toMatchObject({ uid: "7kukuqrfedlm2f9t0vtl1cnpho@google.com", timeZone: "America/New_York", start: "2026-03-02T09:30", end: "2026-03-02T10:00", allDay: false, location: "Room 5, 2nd floor", exdates: ["2026-03-16T09:30"] });
    expect(sync.rrule).toContain("UNTIL=20260601T035959Z");
    expect(sync.description).toBe("Weekly sync. Join: https://meet.google.com/abc-defg-hij\n\nAgenda: what moved, what is blocked; who needs help. Kaffee ☕ und Planung.");
    expect(sync.overrides).toEqual([
      { recurrenceId: "2026-03-11T09:30", start: "2026-03-11T14:00", end: "2026-03-11T15:00", data: { title: "Team sync (moved for the offsite)", description: "" } },
      { recurrenceId: "2026-03-25T09:30", cancelled: true },
    ]);
    expect(byTitle.get("Independence Day")).toMatchObject({ allDay: true, start: "2026-07-04", end: "2026-07-05", transparency: "transparent" });
    expect(byTitle.get("Call with Berlin")).toMatchObject({ timeZone: "UTC", start: "2026-04-15T17:00" });
    // The one occurrence of a series the file does not hold stays that occurrence, and says so when exported.
    const lone = byTitle.get("Quarterly review (the one occurrence we were invited to)")!;
    expect(lone).toMatchObject({ uid: "quarterly-review-series@example.org", recurrenceId: "2026-04-20T10:00[Europe/Berlin]", timeZone: "Europe/Berlin", start: "2026-04-20T15:00", rrule: null });
    const exported = await (await api(t, ada, `/api/events/${lone.id}/ics`)).text();
    expect(exported).toContain("RECURRENCE-ID;TZID=Europe/Berlin:20260420T100000\r\nDTSTART;TZID=Europe/Berlin:20260420T150000\r\n");

    // The same file again: nothing new, nothing changed (not even a SEQUENCE).
    const again = (await json(upload(ada, calendar.id, bytes), 200)).import;
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 5, removed: 0, skippedCount: 0 });
    expect(await rowsIn(calendar.id)).toBe(5);
    expect((await json(api(t, ada, `/api/events/${sync.id}`), 200)).event.sequence).toBe(0);
  });

  test("a later file updates by UID, folds a lone occurrence into its series, and a cancelled event removes it", async () => {
    const calendar = await newCalendar(ada, "Updated from Google", "America/New_York");
    const text = decodeIcs(fixture("google-export.ics"));
    await json(upload(ada, calendar.id, text), 200);
    const series = `BEGIN:VEVENT\r\nUID:quarterly-review-series@example.org\r\nDTSTART;TZID=Europe/Berlin:20260120T100000\r\nDTEND;TZID=Europe/Berlin:20260120T110000\r\nRRULE:FREQ=MONTHLY;BYMONTHDAY=20;COUNT=6\r\nSUMMARY:Quarterly review\r\nEND:VEVENT\r\n`;
    const changed = text
      .replace("SUMMARY:Independence Day", "SUMMARY:Independence Day (office closed)")
      .replace("UID:1q2w3e4r5t6y7u8i9o0p@google.com\r\nSUMMARY:Call with Berlin", "UID:1q2w3e4r5t6y7u8i9o0p@google.com\r\nSTATUS:CANCELLED\r\nSUMMARY:Call with Berlin")
      .replace(/BEGIN:VEVENT\r\nDTSTART;TZID=Europe\/Berlin:20260420T150000[\s\S]*?END:VEVENT\r\n/, "");
    const report = (await json(upload(ada, calendar.id, changed), 200)).import;
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 2, removed: 1 });
    const titles = [...(await eventsByTitle(ada, calendar.id)).keys()].sort();
    expect(titles).toEqual(["Independence Day (office closed)", "Night shift across the October change", "Quarterly review (the one occurrence we were invited to)", "Team sync"]);

    // Its series arrives in a later file: a new series; the lone occurrence imported before stays its own event.
    const withSeries = (await json(upload(ada, calendar.id, `BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${series}END:VCALENDAR\r\n`), 200)).import;
    expect(withSeries.created).toBe(1);
    // And a changed occurrence sent alone for a series the calendar has is folded into that series.
    const moved = `BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:quarterly-review-series@example.org\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260320T100000\r\nDTSTART;TZID=Europe/Berlin:20260320T130000\r\nDTEND;TZID=Europe/Berlin:20260320T140000\r\nSUMMARY:Quarterly review\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    expect((await json(upload(ada, calendar.id, moved), 200)).import).toMatchObject({ created: 0, updated: 1 });
    const [row] = await t.deps.db.select().from(calendarEvents).where(and(eq(calendarEvents.calendarId, calendar.id), eq(calendarEvents.title, "Quarterly review")));
    expect(row!.overrides).toEqual([{ recurrenceId: "2026-03-20T10:00", start: "2026-03-20T13:00", end: "2026-03-20T14:00" }]);
  });
});

describe("an Outlook export (LF, Windows zone names, a display-name zone, a customized zone)", () => {
  test("maps each zone to IANA where one matches and imports to what ical.js expands from the file", async () => {
    const calendar = await newCalendar(ada, "From Outlook", "Europe/Berlin");
    const bytes = fixture("outlook-export.ics");
    expect(decodeIcs(bytes)).not.toContain("\r\n");
    const report = (await json(upload(ada, calendar.id, bytes, "application/octet-stream"), 200)).import;
    expect(report).toMatchObject({ total: 6, created: 5, skippedCount: 0, name: "Kalender" });
    expect(report.notes).toEqual([expect.stringContaining(`"Ship's Time (Customized)" matches no zone we know`)]);

    expect(readable(await ourOccurrences(ada, calendar.id))).toEqual(readable(expandWithIcalJs(decodeIcs(bytes), FROM, TO)));

    const byTitle = await eventsByTitle(ada, calendar.id);
    const weekly = byTitle.get("Wochenbesprechung")!;
    expect(weekly).toMatchObject({ timeZone: "Europe/Berlin", start: "2026-03-26T10:00", visibility: "private", location: "Konferenzraum 2", exdates: ["2026-04-09T10:00"] });
    expect(weekly.uid).toBe("040000008200E00074C5B7101A82E0080000000010B9F0A7D1A4DC01000000000000000010000000E0E1D9E9C05B1C4F9F1C7F4F0C7F3B3A");
    expect(weekly.overrides).toEqual([{ recurrenceId: "2026-04-02T10:00", start: "2026-04-02T14:30", end: "2026-04-02T15:30", data: { title: "Wochenbesprechung (verschoben)", location: "" } }]);
    expect(byTitle.get("Sydney stand-up across the April change")!.timeZone).toMatch(/^Australia\/(Sydney|Melbourne|Canberra)$/);
    expect(byTitle.get("Review with Bengaluru")!.timeZone).toMatch(/^Asia\/(Kolkata|Calcutta)$/);
    // No IANA zone is 1 h 17 min ahead of UTC: the exact instant is kept.
    expect(byTitle.get("Lunch at sea")).toMatchObject({ timeZone: "UTC", start: "2026-06-01T10:43", end: "2026-06-01T11:43" });
    expect(byTitle.get("Messe")).toMatchObject({ allDay: true, start: "2026-06-10", end: "2026-06-12" });
  });
});

const calendarText = (...vevents: string[]) => `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//EN\n${vevents.map((v) => `BEGIN:VEVENT\n${v}\nEND:VEVENT\n`).join("")}END:VCALENDAR\n`;

describe("what an import refuses or skips", () => {
  test("each broken event is skipped with its reason and the rest imported; an event without a UID is matched on the next import", async () => {
    const calendar = await newCalendar(ada, "Skips");
    const text = calendarText(
      "UID:good-1\nDTSTART:20260601T090000Z\nDTEND:20260601T100000Z\nSUMMARY:Good one",
      "UID:no-start\nSUMMARY:No start",
      "UID:bad-date\nDTSTART:20261345T250000Z\nSUMMARY:Bad date",
      "UID:every-second\nDTSTART:20260601T090000Z\nRRULE:FREQ=SECONDLY\nSUMMARY:Every second",
      "UID:bad-rule\nDTSTART:20260601T090000Z\nRRULE:FREQ=WEEKLY;BYDAY=XX\nSUMMARY:Bad rule",
      "DTSTART;VALUE=DATE:20260602\nSUMMARY:No UID at all",
      "UID:twice\nDTSTART:20260603T090000Z\nSUMMARY:Twice (old)",
      "UID:twice\nDTSTART:20260603T100000Z\nSUMMARY:Twice (new)",
      `UID:long\nDTSTART:20260604T090000Z\nSUMMARY:${"x".repeat(300)}\nDESCRIPTION:${"y".repeat(12_000)}\nURL:javascript:alert(1)`,
    );
    const report = (await json(upload(ada, calendar.id, text), 200)).import;
    expect(report).toMatchObject({ total: 9, created: 4, skippedCount: 5 });
    const reasons = Object.fromEntries(report.skipped.map((s: { uid: string; reason: string }) => [s.uid, s.reason]));
    expect(reasons["no-start"]).toBe("It has no start (DTSTART).");
    expect(reasons["bad-date"]).toMatch(/could not be read/);
    expect(reasons["every-second"]).toMatch(/cannot repeat every second/);
    expect(reasons["bad-rule"]).toMatch(/BYDAY/);
    expect(reasons["twice"]).toMatch(/twice/);
    expect(report.notes).toEqual([expect.stringContaining("shortened")]);
    const byTitle = await eventsByTitle(ada, calendar.id);
    expect(byTitle.get("Twice (new)")!.start).toBe("2026-06-03T10:00");
    const long = [...byTitle.values()].find((e) => e.uid === "long")!;
    expect([long.title.length, long.description.length, long.url]).toEqual([200, 10_000, ""]);
    expect((await json(upload(ada, calendar.id, text), 200)).import).toMatchObject({ created: 0, unchanged: 4 });
    expect(await rowsIn(calendar.id)).toBe(4);
  });

  test("what is not an iCalendar file is a 400 naming the file field, and nothing is written", async () => {
    const calendar = await newCalendar(ada, "Refusals");
    for (const body of ["hello there", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20260601T090000Z\n", "  "]) {
      const answer = await json(upload(ada, calendar.id, body), 400);
      expect(answer.error.code).toBe("validation_failed");
      expect(answer.error.details.fieldErrors.file[0]).toBeString();
    }
    expect((await json(upload(ada, calendar.id, "{}", "application/json"), 415)).error.code).toBe("unsupported_media_type");
    const tooBig = `BEGIN:VCALENDAR\n${"X-FILL:".padEnd(1000, "z")}\n`.repeat(10_600);
    expect((await json(upload(ada, calendar.id, tooBig), 413)).error.code).toBe("payload_too_large");
    expect(await rowsIn(calendar.id)).toBe(0);
  });

  test("another person's calendar is a 404, a read-only share a 403", async () => {
    const calendar = await newCalendar(ada, "Not yours");
    const text = calendarText("UID:x\nDTSTART:20260601T090000Z\nSUMMARY:Mine");
    expect((await json(upload(bob, calendar.id, text), 404)).error.code).toBe("not_found");
    await json(api(t, ada, `/api/calendars/${calendar.id}/shares/${bob.id}`, { method: "PUT", json: { access: "read" } }), 201);
    expect((await json(upload(bob, calendar.id, text), 403)).error.code).toBe("forbidden");
    expect(await rowsIn(calendar.id)).toBe(0);
  });
});

describe("a big file", () => {
  test("5,000 events import in chunks: progress reaches the importer's stream, and other requests are answered meanwhile", async () => {
    const calendar = await newCalendar(ada, "Big", "Europe/Berlin");
    const vevents: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const day = new Date(Date.UTC(2026, 0, 1) + i * 7 * 3600_000).toISOString().replace(/[-:]/g, "").slice(0, 15);
      vevents.push(`UID:big-${i}@example.org\nDTSTART;TZID=Europe/Berlin:${day}\nDTEND;TZID=Europe/Berlin:${day}\nSUMMARY:Event ${i}\nDESCRIPTION:${"Agenda: last week's numbers, this week's priorities, who does what, open questions. ".repeat(10)}`);
    }
    const text = calendarText(...vevents);
    expect(text.length).toBeGreaterThan(4_500_000);
    const finished: string[] = [];
    const importing = Promise.resolve(upload(ada, calendar.id, text, "text/calendar", "?importId=bigimport01")).then(async (r) => {
      finished.push("import");
      return json(r, 200);
    });
    const other = Promise.resolve(api(t, bob, "/api/calendars")).then((r) => {
      finished.push("other");
      return r.status;
    });
    const [report, otherStatus] = await Promise.all([importing, other]);
    expect(otherStatus).toBe(200);
    expect(finished).toEqual(["other", "import"]);
    expect(report.import).toMatchObject({ total: 5000, created: 5000, skippedCount: 0 });
    expect(await rowsIn(calendar.id)).toBe(5000);

    const progress = (await t.deps.db.select().from(events).where(and(eq(events.channel, `user:${ada.id}`), eq(events.type, "calendar.import.progress")))).map((e) => e.payload as { importId: string; phase: string; done: number; total: number });
    expect(progress.every((p) => p.importId === "bigimport01")).toBe(true);
    expect(progress.filter((p) => p.phase === "reading").length).toBeGreaterThan(10);
    expect(progress.filter((p) => p.phase === "saving").length).toBeGreaterThan(10);
    expect(progress.at(-1)).toEqual({ importId: "bigimport01", phase: "done", done: 5000, total: 5000 });
    // Nobody else hears of it.
    expect((await t.deps.db.select().from(events).where(eq(events.type, "calendar.import.progress"))).every((e) => e.channel === `user:${ada.id}`)).toBe(true);
  });
});

describe("the settings page's import form", () => {
  const form = (bytes: Uint8Array, importId?: string) => {
    const data = new FormData();
    data.append("file", new File([bytes as Uint8Array<ArrayBuffer>], "calendar.ics", { type: "text/calendar" }));
    if (importId) data.append("importId", importId);
    return data;
  };

  test("offers the form where one may add events, and answers the upload with the report, skipped events and why", async () => {
    const calendar = await newCalendar(ada, "Page import", "Europe/Berlin");
    const browser = await signedIn(t, ada);
    const settings = await (await browser.request("/calendar/settings")).text();
    expect(settings).toContain(`action="/calendar/calendars/${calendar.id}/import"`);
    const importId = /name="importId" value="([^"]+)"/.exec(settings.slice(settings.indexOf(`/calendar/calendars/${calendar.id}/import`)))![1]!;
    expect(settings).toContain(`sse-swap="import-${importId}"`);

    const file = new TextEncoder().encode(calendarText("UID:p1\nDTSTART:20260601T090000Z\nSUMMARY:From the page", "UID:p2\nSUMMARY:No start here"));
    const answer = await browser.request(`/calendar/calendars/${calendar.id}/import`, { method: "POST", body: form(file, importId) });
    expect(answer.status).toBe(200);
    const page = await answer.text();
    expect(page).toContain("Imported 2 events from the file:</strong> 1 new, 0 updated, 0 unchanged. 1 skipped.");
    expect(page).toContain("<strong>No start here</strong>: It has no start (DTSTART).");
    expect(await rowsIn(calendar.id)).toBe(1);
    const heard = await t.deps.db.select().from(events).where(eq(events.type, "calendar.import.progress"));
    expect(heard.some((e) => (e.payload as { importId: string }).importId === importId)).toBe(true);
  });

  test("a file that is not iCalendar is shown beside the file field, with nothing written", async () => {
    const calendar = await newCalendar(ada, "Page refusal");
    const browser = await signedIn(t, ada);
    const answer = await browser.request(`/calendar/calendars/${calendar.id}/import`, { method: "POST", body: form(new TextEncoder().encode("%PDF-1.7 not a calendar")) });
    expect(answer.status).toBe(400);
    const page = await answer.text();
    expect(page).toContain(`<p class="field-error" id="import-${calendar.id}-error">This is not an iCalendar file: it must start with BEGIN:VCALENDAR.</p>`);
    expect(page).toContain(`aria-describedby="import-${calendar.id}-error"`);
    expect(await rowsIn(calendar.id)).toBe(0);
  });
});
