// iCalendar out over real HTTP on a real database, read back by ical.js: series in five zones across their DST
// changes, with EXDATEs and moved occurrences, expand in ical.js to exactly the instants our API gives; feeds answer
// without a session, 304 while nothing changed, stop at once when rotated or revoked, and a free/busy share's feed
// carries merged busy blocks and nothing else.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { users } from "../../../schema";
import { createTestApp, type TestApp } from "../../../test/app";
import { api, business, json, person, signedIn, type Person } from "../../../test/people";
import { expandWithIcalJs, type Instance } from "./icaljs-expand.fixture";
import { escapeText, fold } from "./lines";

let t: TestApp;
let ada: Person;
let bob: Person;
let eve: Person;

beforeAll(async () => {
  t = await createTestApp();
  [ada, bob, eve] = (await Promise.all(["Ada Lovelace", "Bob Stone", "Eve Moss"].map((name) => person(t, name)))) as [Person, Person, Person];
  await business(t, ada, [[bob, "member"]], "Acme");
});
afterAll(() => t.close());

type Cal = { id: string; contextType: string; isPrimary: boolean; name: string };
const personal = async (who: Person): Promise<Cal> => (await json(api(t, who, "/api/calendars"), 200)).calendars.find((c: Cal) => c.contextType === "personal" && c.isPrimary);
const newCalendar = async (who: Person, name: string, timeZone = "UTC") => (await json(api(t, who, "/api/calendars", { method: "POST", json: { name, contextType: "personal", timeZone } }), 201)).calendar as Cal;
const newEvent = async (who: Person, calendarId: string, body: Record<string, unknown>) => (await json(api(t, who, `/api/calendars/${calendarId}/events`, { method: "POST", json: body }), 201)).event;
const text = async (response: Response | Promise<Response>, status = 200) => {
  const r = await response;
  expect(r.status).toBe(status);
  return r.text();
};
const feedGet = async (url: string, headers: Record<string, string> = {}): Promise<Response> => t.app.request(new URL(url).pathname, { headers });

describe("content lines", () => {
  test("text is escaped, and lines fold at 75 octets without splitting a character", () => {
    expect(escapeText("a,b;c\\d\ne")).toBe("a\\,b\\;c\\\\d\\ne");
    const long = `SUMMARY:${"Grüße ☕ ".repeat(30)}`;
    const folded = fold(long);
    for (const physical of folded.split("\r\n")) expect(new TextEncoder().encode(physical).length).toBeLessThanOrEqual(75);
    expect(folded.split("\r\n").map((l, i) => (i === 0 ? l : l.slice(1))).join("")).toBe(long);
  });
});

const ZONES = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "Pacific/Auckland"];
const FROM = "2026-01-01T00:00:00Z";
const TO = "2027-01-31T00:00:00Z";

describe("export round trip through ical.js", () => {
  for (const zone of ZONES) {
    test(`a weekly series in ${zone} across both DST changes, with an EXDATE and a moved occurrence, expands as our API does`, async () => {
      const calendar = await newCalendar(ada, `Round trip ${zone}`, zone);
      const series = await newEvent(ada, calendar.id, { title: `Standup, ${zone}`, start: "2026-01-06T09:30", end: "2026-01-06T10:00", timeZone: zone, rrule: "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270115T000000Z", exdates: ["2026-04-07T09:30"], rdates: ["2026-12-27T09:30"] });
      await newEvent(ada, calendar.id, { title: "Offsite; day one, all day", start: "2026-07-15", end: "2026-07-17", allDay: true });
      await newEvent(ada, calendar.id, { title: "Dinner\nwith \"friends\"", start: "2026-10-25T19:00", end: "2026-10-25T22:30", timeZone: zone, location: "Café, Main St; upstairs", visibility: "private" });
      // One occurrence cancelled, one moved (and renamed), through the API's "this occurrence" scope.
      expect((await api(t, ada, `/api/events/${series.id}?scope=this&occurrence=2026-09-01T09:30`, { method: "DELETE" })).status).toBe(204);
      await json(api(t, ada, `/api/events/${series.id}?scope=this&occurrence=2026-11-03T09:30`, { method: "PATCH", json: { start: "2026-11-03T14:00", end: "2026-11-03T15:15", title: "Standup, moved" } }), 200);

      const ics = await text(api(t, ada, `/api/calendar/export.ics?calendarId=${calendar.id}`));
      expect(ics).toContain(`BEGIN:VTIMEZONE\r\nTZID:${zone}\r\n`);
      expect(ics).toContain(`DTSTART;TZID=${zone}:20260106T093000\r\n`);
      expect(ics).toContain(`RECURRENCE-ID;TZID=${zone}:20261103T093000\r\n`);
      expect(ics).toMatch(new RegExp(`EXDATE;TZID=${zone.replace("/", "\\/")}:20260407T093000,20260901T093000\\r\\n`));
      expect(ics).toContain("DTSTART;VALUE=DATE:20260715\r\nDTEND;VALUE=DATE:20260717\r\n");
      expect(ics).toContain("REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nX-PUBLISHED-TTL:PT1H\r\n");
      expect(ics).toContain("SUMMARY:Dinner\\nwith \"friends\"\r\n");
      expect(ics).toContain(`RDATE;TZID=${zone}:20261227T093000\r\n`);
      expect(ics).toContain(`X-WR-TIMEZONE:${zone}\r\n`);
      expect(ics).toContain("CLASS:PRIVATE\r\n");

      const ours = (await json(api(t, ada, `/api/calendar/events?from=${FROM}&to=${TO}&calendarIds=${calendar.id}&timeZone=UTC`), 200)).occurrences as { occurrenceStartAt: string; occurrenceEndAt: string; title: string; allDay: boolean }[];
      const theirs = expandWithIcalJs(ics, FROM, TO);
      const timed = (list: Instance[]) => list.map((o) => `${new Date(o.start).toISOString()} ${new Date(o.end).toISOString()} ${o.title}`);
      const ourTimed = ours.filter((o) => !o.allDay).map((o) => ({ start: Date.parse(o.occurrenceStartAt), end: Date.parse(o.occurrenceEndAt), title: o.title }));
      // All-day events are dates: ical.js reads them as UTC midnights, as our API does in a UTC view.
      const ourAll = ours.filter((o) => o.allDay).map((o) => ({ start: Date.parse(o.occurrenceStartAt), end: Date.parse(o.occurrenceEndAt), title: o.title }));
      expect(timed(theirs)).toEqual(timed([...ourTimed, ...ourAll].sort((a, b) => a.start - b.start || a.title.localeCompare(b.title))));
      expect(ourTimed.length).toBeGreaterThan(100);
      expect(theirs.some((o) => o.title === "Standup, moved")).toBe(true);
    });
  }
});

describe("subscription feeds", () => {
  test("a feed answers without a session, 304 while nothing changed, and anew after a change", async () => {
    const calendar = await newCalendar(ada, "Feed me", "Europe/Berlin");
    await newEvent(ada, calendar.id, { title: "Before", start: "2026-12-10T10:00", end: "2026-12-10T11:00", timeZone: "Europe/Berlin" });
    const made = await json(api(t, ada, `/api/calendars/${calendar.id}/feed`, { method: "POST" }), 201);
    expect(made.feed.url).toMatch(/\/ical\/[a-z2-7]{32}\.ics$/);
    const first = await feedGet(made.feed.url);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const body = await first.text();
    expect(body).toContain("SUMMARY:Before");
    expect(body).toContain("X-WR-CALNAME:Feed me");
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await feedGet(made.feed.url, { "if-none-match": etag })).status).toBe(304);
    expect((await feedGet(made.feed.url, { "if-modified-since": lastModified })).status).toBe(304);
    // The page shows when it was last read; the address itself is never shown again.
    const info = await json(api(t, ada, `/api/calendars/${calendar.id}/feed`), 200);
    expect(info.feed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(info)).not.toContain("/ical/");

    t.advance(2000);
    await newEvent(ada, calendar.id, { title: "After", start: "2026-12-11T10:00", end: "2026-12-11T11:00", timeZone: "Europe/Berlin" });
    const changed = await feedGet(made.feed.url, { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain("SUMMARY:After");
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect((await feedGet(made.feed.url, { "if-modified-since": lastModified })).status).toBe(200);
  });

  test("rotating replaces the address at once; a disabled account's and a revoked one stop; webcal readers and guessers get 404", async () => {
    const calendar = await newCalendar(ada, "Rotating");
    const first = (await json(api(t, ada, `/api/calendars/${calendar.id}/feed`, { method: "POST" }), 201)).feed;
    const second = (await json(api(t, ada, `/api/calendars/${calendar.id}/feed`, { method: "POST" }), 200)).feed;
    expect(second.url).not.toBe(first.url);
    expect((await feedGet(first.url)).status).toBe(404);
    expect((await feedGet(second.url)).status).toBe(200);
    // A disabled account's addresses stop answering, and answer again when it is enabled.
    await t.deps.db.update(users).set({ disabledAt: t.deps.now(), disabledReason: "admin" }).where(eq(users.id, ada.id));
    expect((await feedGet(second.url)).status).toBe(404);
    await t.deps.db.update(users).set({ disabledAt: null, disabledReason: null }).where(eq(users.id, ada.id));
    expect((await feedGet(second.url)).status).toBe(200);
    expect((await api(t, ada, `/api/calendars/${calendar.id}/feed`, { method: "DELETE" })).status).toBe(204);
    expect((await feedGet(second.url)).status).toBe(404);
    expect((await api(t, ada, `/api/calendars/${calendar.id}/feed`, { method: "DELETE" })).status).toBe(404);
    for (const path of ["/ical/x.ics", `/ical/${"a".repeat(32)}.ics`, `/ical/${"a".repeat(32)}`, "/ical/..%2F..%2Fetc.ics"]) expect((await t.app.request(path)).status).toBe(404);
  });

  test("someone else's calendar: no feed, no export, no event download — 404 as if it did not exist", async () => {
    const calendar = await personal(ada);
    const event = await newEvent(ada, calendar.id, { title: "Ada's secret", start: "2026-12-10T10:00", end: "2026-12-10T11:00", timeZone: "UTC" });
    expect((await api(t, eve, `/api/calendars/${calendar.id}/feed`, { method: "POST" })).status).toBe(404);
    expect((await api(t, eve, `/api/calendar/export.ics?calendarId=${calendar.id}`)).status).toBe(404);
    expect((await api(t, eve, `/api/events/${event.id}/ics`)).status).toBe(404);
    const own = await text(api(t, ada, `/api/events/${event.id}/ics`));
    expect(own.match(/BEGIN:VEVENT/g)?.length).toBe(1);
    expect(own).toContain("SUMMARY:Ada's secret");
  });

  test("a free/busy share's feed holds merged busy blocks and nothing else, and ends when the share does", async () => {
    const calendar = await newCalendar(ada, "Private life", "America/New_York");
    await newEvent(ada, calendar.id, { title: "Therapy", location: "Dr. Who, 5th Ave", description: "notes", start: "2026-12-14T09:00", end: "2026-12-14T10:00", timeZone: "America/New_York", rrule: "FREQ=WEEKLY;COUNT=10" });
    await newEvent(ada, calendar.id, { title: "Overlapping", start: "2026-12-14T09:30", end: "2026-12-14T11:00", timeZone: "America/New_York" });
    await newEvent(ada, calendar.id, { title: "Free time", start: "2026-12-15T09:00", end: "2026-12-15T10:00", timeZone: "America/New_York", transparency: "transparent" });
    expect((await api(t, ada, `/api/calendars/${calendar.id}/shares/${bob.id}`, { method: "PUT", json: { access: "freebusy" } })).status).toBe(201);
    const feed = (await json(api(t, bob, `/api/calendars/${calendar.id}/feed`, { method: "POST" }), 201)).feed;
    const body = await text(feedGet(feed.url));
    for (const leak of ["Therapy", "Overlapping", "Free time", "Dr. Who", "notes", "RRULE", "LOCATION", "DESCRIPTION", "RECURRENCE-ID", "EXDATE", "CLASS:"]) expect(body).not.toContain(leak);
    const summaries = [...body.matchAll(/^SUMMARY:(.*)$/gm)].map((m) => m[1]!.trim());
    expect(new Set(summaries)).toEqual(new Set(["Busy"]));
    // 09:00–11:00 New York on the 14th is one block, not two; nine more weeks of 09:00–10:00 follow.
    expect(body).toContain("DTSTART:20261214T140000Z\r\nDTEND:20261214T160000Z\r\n");
    expect(summaries.length).toBe(10);
    expect((await api(t, ada, `/api/calendars/${calendar.id}/shares/${bob.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await feedGet(feed.url)).status).toBe(404);
  });

  test("a burst against one feed is cut off with 429 and Retry-After", async () => {
    const calendar = await newCalendar(eve, "Hammered");
    const feed = (await json(api(t, eve, `/api/calendars/${calendar.id}/feed`, { method: "POST" }), 201)).feed;
    const statuses = await Promise.all(Array.from({ length: 130 }, () => feedGet(feed.url).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200).length).toBe(120);
    const refused = await feedGet(feed.url);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBeTruthy();
  });
});

describe("pages", () => {
  test("settings: make an address (shown once, never in a URL), read it, stop it; the drawer offers the event's .ics", async () => {
    const browser = await signedIn(t, ada);
    const calendar = await newCalendar(ada, "From the page");
    const event = await newEvent(ada, calendar.id, { title: "Page event", start: "2026-12-10T10:00", end: "2026-12-10T11:00", timeZone: "UTC" });
    const made = await browser.request(`/calendar/calendars/${calendar.id}/feed`, { method: "POST", form: {} });
    expect(made.status).toBe(200);
    const html = await made.text();
    const url = /value="(http[^"]+\/ical\/[a-z2-7]{32}\.ics)"/.exec(html)?.[1];
    expect(url).toBeTruthy();
    expect(html).toContain("shown only once");
    expect(await text(feedGet(url!))).toContain("SUMMARY:Page event");
    const later = await (await browser.request("/calendar/settings")).text();
    expect(later).not.toContain(url!);
    expect(later).toContain("last read");
    expect(later).toContain(`/api/calendar/export.ics?calendarId=${calendar.id}`);
    const stopped = await browser.request(`/calendar/calendars/${calendar.id}/feed/delete`, { method: "POST", form: {} });
    expect(stopped.status).toBe(303);
    expect((await feedGet(url!)).status).toBe(404);
    // A signed-in page's links work with the session cookie alone.
    const download = await browser.request(`/api/calendar/export.ics?calendarId=${calendar.id}`);
    expect(download.headers.get("content-disposition")).toBe('attachment; filename="From-the-page.ics"');
    expect(await download.text()).toContain("SUMMARY:Page event");
    const drawer = await (await browser.request(`/calendar/events/${event.id}`, { headers: { "hx-request": "true", "hx-target": "calendar-drawer" } })).text();
    expect(drawer).toContain(`href="/api/events/${event.id}/ics"`);
    expect((await browser.request(`/api/events/${event.id}/ics`)).status).toBe(200);
  });
});
