// Reminders on a real database: due ones fire once as notifications for the organizer and the attendees who have
// not declined (an occurrence declined on its own is skipped), for every occurrence of a series including a moved
// one at its new time; all-day ones at 09:00 the person's time; calendar defaults apply where the event sets none;
// "Email too" mails at once. Overlapping runs, and two server processes on one database file, send each once.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, like } from "drizzle-orm";
import { notifications, outbox } from "../../../schema";
import { createTestApp, type TestApp } from "../../../test/app";
import { startServerProcess } from "../../../test/server-process";
import { api, business, json, person, signedIn, type Person } from "../../../test/people";
import { fireAt, leadText } from "./reminder-rules";
import { sendDueReminders } from "./reminders";

const MINUTE = 60_000;
let t: TestApp;
let ada: Person, bob: Person, cy: Person;

beforeAll(async () => {
  t = await createTestApp();
  [ada, bob, cy] = (await Promise.all(["Ada Lovelace", "Bob Stone", "Cy Young"].map((name) => person(t, name)))) as [Person, Person, Person];
  await business(t, ada, [[bob, "member"], [cy, "member"]], "Acme");
});
afterAll(() => t.close());

const reminders = async (who: Person) => (await t.deps.db.select().from(notifications).where(and(eq(notifications.userId, who.id), eq(notifications.kind, "calendar.reminder")))).map((n) => n.title).sort();
const personal = async (who: Person) => ((await json(api(t, who, "/api/calendars"), 200)).calendars as { id: string; contextType: string; isPrimary: boolean }[]).find((c) => c.contextType === "personal" && c.isPrimary)!;
/** The local wall time (UTC calendar) `ms` from now, as the API's start: "2026-…T…:…". */
const inUtc = (ms: number) => new Date(Math.floor((t.deps.now() + ms) / MINUTE) * MINUTE).toISOString().slice(0, 16);

describe("the rules", () => {
  test("timed reminders come minutes before; all-day ones at 09:00 the person's time, whole days before", () => {
    const timed = { startUtcMs: Date.UTC(2027, 2, 28, 8, 0), allDay: false, start: "2027-03-28T10:00" };
    expect(fireAt(timed, 10, "Europe/Berlin")).toBe(Date.UTC(2027, 2, 28, 7, 50));
    const allDay = { startUtcMs: 0, allDay: true, start: "2027-03-28" };
    // 28 March 2027 is the spring change in Berlin: 09:00 is already summer time (UTC+2).
    expect(fireAt(allDay, 0, "Europe/Berlin")).toBe(Date.UTC(2027, 2, 28, 7, 0));
    expect(fireAt(allDay, 1440, "Europe/Berlin")).toBe(Date.UTC(2027, 2, 27, 8, 0));
    expect(fireAt(allDay, 60, "America/New_York")).toBe(Date.UTC(2027, 2, 28, 13, 0));
    expect([0, 10, 60, 120, 1440, 2880, 10080].map(leadText)).toEqual(["at the start", "10 minutes before", "1 hour before", "2 hours before", "1 day before", "2 days before", "1 week before"]);
  });
});

describe("sending", () => {
  test("once, to the organizer and attendees not declining, for each occurrence, a moved one at its new time", async () => {
    const calendar = await personal(ada);
    await json(api(t, ada, "/api/calendar/settings", { method: "PUT", json: { timeZone: "UTC" } }), 200);
    const start = inUtc(60 * MINUTE);
    const event = (await json(api(t, ada, `/api/calendars/${calendar.id}/events`, { method: "POST", json: { title: "Standup", start, end: inUtc(75 * MINUTE), timeZone: "UTC", rrule: "FREQ=DAILY;COUNT=3", attendees: [bob.id, cy.id], reminders: [10] } }), 201)).event;
    expect(event.reminders).toEqual([10]);
    await json(api(t, cy, `/api/events/${event.id}/rsvp`, { method: "POST", json: { status: "declined" } }), 200);
    // Bob declines the second occurrence only.
    const second = new Date(Date.parse(`${start}:00Z`) + 1440 * MINUTE).toISOString().slice(0, 16);
    await json(api(t, bob, `/api/events/${event.id}/rsvp`, { method: "POST", json: { status: "declined", occurrence: second } }), 200);

    expect(await sendDueReminders(t.deps)).toBe(0);
    t.advance(51 * MINUTE);
    expect(await sendDueReminders(t.deps)).toBe(2);
    expect(await sendDueReminders(t.deps)).toBe(0);
    expect(await reminders(ada)).toEqual([`Reminder: “Standup” at ${start.slice(11)} (UTC) — 10 minutes before`]);
    expect((await reminders(bob)).length).toBe(1);
    expect(await reminders(cy)).toEqual([]);

    // The second occurrence: Ada alone (Bob declined it).
    t.advance(1440 * MINUTE);
    expect(await sendDueReminders(t.deps)).toBe(1);
    // The third is moved an hour later: nothing at the old time, a reminder at the new one.
    const third = new Date(Date.parse(`${start}:00Z`) + 2 * 1440 * MINUTE).toISOString().slice(0, 16);
    const moved = new Date(Date.parse(`${third}:00Z`) + 60 * MINUTE).toISOString().slice(0, 16);
    await json(api(t, ada, `/api/events/${event.id}?scope=this&occurrence=${third}`, { method: "PATCH", json: { start: moved } }), 200);
    t.advance(1440 * MINUTE);
    expect(await sendDueReminders(t.deps)).toBe(0);
    t.advance(60 * MINUTE);
    // Moving an occurrence asks everyone again for it, Cy too (who had declined the series): three reminders.
    expect(await sendDueReminders(t.deps)).toBe(3);
    expect((await reminders(ada)).filter((title) => title.includes(moved.slice(11))).length).toBe(1);
  });

  test("calendar defaults apply where the event sets none; [] turns them off; all-day at 09:00; Email too mails at once", async () => {
    const created = (await json(api(t, ada, "/api/calendars", { method: "POST", json: { name: "With defaults", contextType: "personal", timeZone: "UTC", defaultReminders: [30, 30, 5] } }), 201)).calendar;
    expect(created.defaultReminders).toEqual([5, 30]);
    await json(api(t, ada, "/api/notifications/preferences", { method: "PUT", json: { preferences: { "calendar.reminder": "email" } } }), 200);
    const base = t.deps.now();
    await json(api(t, ada, `/api/calendars/${created.id}/events`, { method: "POST", json: { title: "Dentist", start: inUtc(40 * MINUTE), end: inUtc(70 * MINUTE), timeZone: "UTC" } }), 201);
    await json(api(t, ada, `/api/calendars/${created.id}/events`, { method: "POST", json: { title: "Quiet", start: inUtc(40 * MINUTE), end: inUtc(70 * MINUTE), timeZone: "UTC", reminders: [] } }), 201);
    t.advance(10 * MINUTE + 1000);
    expect(await sendDueReminders(t.deps)).toBe(1);
    const [mail] = await t.deps.db.select().from(outbox).where(like(outbox.subject, "Reminder: “Dentist”%"));
    expect(mail!.toAddress).toBe(ada.email);
    const [note] = await t.deps.db.select().from(notifications).where(like(notifications.title, "Reminder: “Dentist”%"));
    expect(note!.emailedAt).not.toBeNull();
    t.advance(25 * MINUTE);
    expect(await sendDueReminders(t.deps)).toBe(1);
    expect((await reminders(ada)).filter((title) => title.includes("Quiet"))).toEqual([]);

    // All-day, 1 day before: at 09:00 (UTC here) on the day before.
    const day = new Date(t.deps.now() + 3 * 1440 * MINUTE).toISOString().slice(0, 10);
    await json(api(t, ada, `/api/calendars/${created.id}/events`, { method: "POST", json: { title: "Offsite", start: day, end: day.replace(/\d\d$/, (d) => String(+d + 1).padStart(2, "0")), allDay: true, reminders: [1440] } }), 201);
    const nineTheDayBefore = Date.parse(`${day}T09:00:00Z`) - 1440 * MINUTE;
    t.advance(nineTheDayBefore - t.deps.now() - MINUTE);
    expect(await sendDueReminders(t.deps)).toBe(0);
    t.advance(2 * MINUTE);
    expect(await sendDueReminders(t.deps)).toBe(1);
    expect((await reminders(ada)).some((title) => title === "Reminder: “Offsite” tomorrow — 1 day before")).toBe(true);
    void base;
  });

  test("runs that overlap (each finding the reminder due before either sent it) send it once", async () => {
    const calendar = await personal(bob);
    await json(api(t, bob, `/api/calendars/${calendar.id}/events`, { method: "POST", json: { title: "Race", start: inUtc(5 * MINUTE), end: inUtc(20 * MINUTE), timeZone: "UTC", reminders: [10] } }), 201);
    const counts = await Promise.all([sendDueReminders(t.deps), sendDueReminders(t.deps), sendDueReminders(t.deps), sendDueReminders(t.deps)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await reminders(bob)).filter((title) => title.includes("Race")).length).toBe(1);
  });
});

describe("the drawer's form", () => {
  test("takes reminders and guests; a wrong address is shown beside the guests field and nothing is made", async () => {
    const calendar = await personal(cy);
    const browser = await signedIn(t, cy);
    const form = new URLSearchParams({ title: "Book club", calendarId: calendar.id, startDate: "2027-09-01", startTime: "19:00", endDate: "2027-09-01", endTime: "21:00", timeZone: "Europe/Berlin", repeat: "none", remindersShown: "1", guests: "ann@books.example\nnot-an-address" });
    form.append("reminders", "10");
    form.append("reminders", "1440");
    const refused = await browser.request("/calendar/events", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("“not-an-address” is not an email address.");
    form.set("guests", "ann@books.example, Bo@Books.example");
    const made = await browser.request("/calendar/events", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() });
    expect(made.status).toBe(303);
    const occurrences = (await json(api(t, cy, "/api/calendar/events?from=2027-09-01T00:00:00Z&to=2027-09-02T00:00:00Z"), 200)).occurrences;
    const event = (await json(api(t, cy, `/api/events/${occurrences.find((o: { title: string }) => o.title === "Book club").eventId}`), 200)).event;
    expect(event.reminders).toEqual([10, 1440]);
    expect(event.guests.map((g: { email: string }) => g.email)).toEqual(["ann@books.example", "bo@books.example"]);
  });

  test("calendar settings set a calendar's default reminders, and clear them", async () => {
    const calendar = await personal(cy);
    const browser = await signedIn(t, cy);
    const set = new URLSearchParams({ name: "Mine", remindersShown: "1" });
    set.append("defaultReminders", "30");
    set.append("defaultReminders", "1440");
    expect((await browser.request(`/calendar/calendars/${calendar.id}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: set.toString() })).status).toBe(303);
    expect((await json(api(t, cy, `/api/calendars/${calendar.id}`), 200)).calendar.defaultReminders).toEqual([30, 1440]);
    expect(await (await browser.request("/calendar/settings")).text()).toContain('name="defaultReminders" value="1440" checked');
    await browser.request(`/calendar/calendars/${calendar.id}`, { method: "POST", form: { name: "Mine", remindersShown: "1" } });
    expect((await json(api(t, cy, `/api/calendars/${calendar.id}`), 200)).calendar.defaultReminders).toEqual([]);
  });
});

describe("two server processes", () => {
  test("each with its own reminder timer on one database file: one reminder", async () => {
    const a = await startServerProcess({ env: { LOG_LEVEL: "silent", REMINDERS_INTERVAL_SECONDS: "1" } });
    const databaseUrl = `file:${a.dir}/app.db`;
    const b = await startServerProcess({ databaseUrl, env: { LOG_LEVEL: "silent", REMINDERS_INTERVAL_SECONDS: "1" } }).catch(async (error) => {
      await a.stop();
      throw error;
    });
    try {
      const password = "correct horse battery staple";
      const call = (base: string, path: string, body?: unknown, token?: string) =>
        fetch(`${base}${path}`, { method: body === undefined ? "GET" : "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
      expect((await call(a.baseUrl, "/api/auth/register", { acceptTerms: true, email: "rem@example.com", password, name: "Rem" })).status).toBe(201);
      const token = (await call(b.baseUrl, "/api/auth/login", { email: "rem@example.com", password })).body.token as string;
      const calendarId = (await call(a.baseUrl, "/api/calendars", undefined, token)).body.calendars.find((c: { isPrimary: boolean; contextType: string }) => c.isPrimary && c.contextType === "personal").id;
      const soon = new Date(Date.now() + 5 * MINUTE).toISOString().slice(0, 16);
      const later = new Date(Date.now() + 20 * MINUTE).toISOString().slice(0, 16);
      expect((await call(b.baseUrl, `/api/calendars/${calendarId}/events`, { title: "Both see it", start: soon, end: later, timeZone: "UTC", reminders: [10] }, token)).status).toBe(201);
      const count = async () => ((await call(a.baseUrl, "/api/notifications?limit=50", undefined, token)).body.notifications as { kind: string }[]).filter((n) => n.kind === "calendar.reminder").length;
      // Wait for the first one, then a second more (each timer turns every second): still one.
      let seen = 0;
      for (let i = 0; i < 200 && seen === 0; i++) {
        seen = await count();
        if (seen === 0) await Bun.sleep(50);
      }
      expect(seen).toBe(1);
      for (let i = 0; i < 12; i++) {
        await Bun.sleep(100);
        expect(await count()).toBe(1);
      }
    } finally {
      await b.stop();
      await a.stop();
    }
  }, 60_000);
});
