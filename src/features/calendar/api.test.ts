// The calendar JSON API over real HTTP on a real database: primary calendars for every context, who may see and
// write what (another tenant's ids answer 404; a household child cannot write by any route), events and series
// with their three edit scopes, occurrences in a window placed in time zones, bad input as 400s naming the field,
// and every change audited and announced on the live log.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import { auditEvents, calendarEvents, calendars, events } from "../../schema";
import { createTestApp, type TestApp } from "../../test/app";
import { addHouseholdMember, api, business, household, person, json, type Person } from "../../test/people";

let t: TestApp;
let ada: Person; // owner of Acme, owner of the household
let bob: Person; // member of Acme
let max: Person; // manager in Acme
let eve: Person; // owner of Globex, shares nothing with the others
let kid: Person; // child in Ada's household
let teen: Person; // teen in Ada's household
let acme: string;
let globex: string;
let home: string;

beforeAll(async () => {
  t = await createTestApp();
  [ada, bob, max, eve, kid, teen] = (await Promise.all(["Ada Lovelace", "Bob Stone", "Max Power", "Eve Moss", "Kid Lovelace", "Tia Lovelace"].map((name) => person(t, name)))) as [Person, Person, Person, Person, Person, Person];
  acme = await business(t, ada, [[bob, "member"], [max, "manager"]], "Acme");
  globex = await business(t, eve, [], "Globex");
  home = await household(t, ada, "Lovelace home");
  await addHouseholdMember(t, home, kid, "child");
  await addHouseholdMember(t, home, teen, "teen");
});
afterAll(() => t.close());

type Cal = { id: string; name: string; contextType: string; contextId: string | null; isPrimary: boolean; access: string };
const calendarsOf = async (who: Person): Promise<Cal[]> => (await json(api(t, who, "/api/calendars"), 200)).calendars;
const primary = async (who: Person, contextType: string, contextId?: string) => (await calendarsOf(who)).find((c) => c.contextType === contextType && c.isPrimary && (contextId === undefined || c.contextId === contextId))!;
const newEvent = (who: Person, calendarId: string, body: Record<string, unknown>) => api(t, who, `/api/calendars/${calendarId}/events`, { method: "POST", json: body });
const window = (who: Person, from: string, to: string, extra = "") => json(api(t, who, `/api/calendar/events?from=${from}&to=${to}${extra}`), 200);

describe("calendars and contexts", () => {
  test("every context has its primary calendar from the start: Personal, each business, each household", async () => {
    const mine = await calendarsOf(ada);
    expect(mine.filter((c) => c.isPrimary).map((c) => [c.contextType, c.name])).toEqual([
      ["personal", "Personal"],
      ["business", "Acme"],
      ["household", "Lovelace home"],
    ]);
    expect(mine.every((c) => c.access === "manage")).toBe(true);
    const rows = await t.deps.db.select().from(calendars).where(and(eq(calendars.contextType, "business"), eq(calendars.contextId, globex)));
    expect(rows.map((r) => r.isPrimary)).toEqual([true]);
  });

  test("the context's roles decide access: business members read, managers manage; teens and children read", async () => {
    expect((await primary(bob, "business")).access).toBe("read");
    expect((await primary(max, "business")).access).toBe("manage");
    expect((await primary(kid, "household")).access).toBe("read");
    expect((await primary(teen, "household")).access).toBe("read");
    expect((await calendarsOf(eve)).some((c) => c.contextId === acme)).toBe(false);
  });

  test("add a calendar where one may write; a member cannot add one to the business, nobody to a context they are not in", async () => {
    const created = await json(api(t, max, "/api/calendars", { method: "POST", json: { contextType: "business", contextId: acme, name: "Rota", color: "#aa3300", timeZone: "Europe/London" } }), 201);
    expect(created.calendar).toMatchObject({ name: "Rota", contextType: "business", contextId: acme, isPrimary: false, access: "manage", timeZone: "Europe/London" });
    await json(api(t, bob, "/api/calendars", { method: "POST", json: { contextType: "business", contextId: acme, name: "Mine" } }), 403);
    await json(api(t, kid, "/api/calendars", { method: "POST", json: { contextType: "household", contextId: home, name: "Kid's" } }), 403);
    await json(api(t, eve, "/api/calendars", { method: "POST", json: { contextType: "business", contextId: acme, name: "Intruder" } }), 404);
    const bad = await json(api(t, ada, "/api/calendars", { method: "POST", json: { name: "", timeZone: "Mars/Olympus" } }), 400);
    expect(Object.keys(bad.error.details.fieldErrors)).toEqual(["name"]);
    const zone = await json(api(t, ada, "/api/calendars", { method: "POST", json: { name: "Trips", timeZone: "Mars/Olympus" } }), 400);
    expect(zone.error.details.fieldErrors.timeZone[0]).toContain("Mars/Olympus");
  });

  test("rename and delete: managers only; a primary calendar cannot be deleted; another tenant gets 404", async () => {
    const { calendar } = await json(api(t, ada, "/api/calendars", { method: "POST", json: { contextType: "business", contextId: acme, name: "Temp" } }), 201);
    await json(api(t, bob, `/api/calendars/${calendar.id}`, { method: "PATCH", json: { name: "Mine now" } }), 403);
    await json(api(t, eve, `/api/calendars/${calendar.id}`, { method: "PATCH", json: { name: "Mine now" } }), 404);
    await json(api(t, eve, `/api/calendars/${calendar.id}`, { method: "DELETE" }), 404);
    expect((await json(api(t, max, `/api/calendars/${calendar.id}`, { method: "PATCH", json: { name: "Temp 2" } }), 200)).calendar.name).toBe("Temp 2");
    await json(api(t, ada, `/api/calendars/${(await primary(ada, "business")).id}`, { method: "DELETE" }), 409);
    expect((await api(t, ada, `/api/calendars/${calendar.id}`, { method: "DELETE" })).status).toBe(204);
    await json(api(t, ada, `/api/calendars/${calendar.id}`), 404);
  });

  test("shares: read, write and free/busy to chosen members; never to outsiders; never write for a child", async () => {
    const { calendar } = await json(api(t, ada, "/api/calendars", { method: "POST", json: { contextType: "business", contextId: acme, name: "Board", memberAccess: "none" } }), 201);
    expect((await calendarsOf(bob)).some((c) => c.id === calendar.id)).toBe(false);
    await json(api(t, ada, `/api/calendars/${calendar.id}/shares/${bob.id}`, { method: "PUT", json: { access: "write" } }), 201);
    expect((await calendarsOf(bob)).find((c) => c.id === calendar.id)?.access).toBe("write");
    await json(api(t, ada, `/api/calendars/${calendar.id}/shares/${bob.id}`, { method: "PUT", json: { access: "freebusy" } }), 200);
    expect((await calendarsOf(bob)).find((c) => c.id === calendar.id)?.access).toBe("freebusy");
    const outsider = await json(api(t, ada, `/api/calendars/${calendar.id}/shares/${eve.id}`, { method: "PUT", json: { access: "read" } }), 400);
    expect(outsider.error.details.fieldErrors.userId[0]).toContain("members");
    await json(api(t, bob, `/api/calendars/${calendar.id}/shares/${max.id}`, { method: "PUT", json: { access: "read" } }), 403);
    const kidWrite = await json(api(t, ada, `/api/calendars/${(await primary(ada, "household")).id}/shares/${kid.id}`, { method: "PUT", json: { access: "write" } }), 400);
    expect(kidWrite.error.message).toContain("Teens and children");
    expect((await api(t, ada, `/api/calendars/${calendar.id}/shares/${bob.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await calendarsOf(bob)).some((c) => c.id === calendar.id)).toBe(false);
  });

  test("a personal calendar is shared only with people one shares a context with", async () => {
    const personal = await primary(ada, "personal");
    await json(api(t, ada, `/api/calendars/${personal.id}/shares/${eve.id}`, { method: "PUT", json: { access: "read" } }), 400);
    await json(api(t, ada, `/api/calendars/${personal.id}/shares/${bob.id}`, { method: "PUT", json: { access: "read" } }), 201);
    const seen = (await calendarsOf(bob)).find((c) => c.id === personal.id)!;
    expect(seen).toMatchObject({ access: "read", contextName: "Shared with you", contextId: null });
    await json(api(t, ada, `/api/calendars/${personal.id}/shares/${bob.id}`, { method: "DELETE" }), 204).catch(() => undefined);
  });
});

describe("events and time zones", () => {
  test("a weekly 09:00 New York meeting stays 09:00 across the DST change; the UTC times move", async () => {
    const cal = await primary(ada, "personal");
    const { event } = await json(newEvent(ada, cal.id, { title: "Stand-up", start: "2026-03-02T09:00", end: "2026-03-02T09:30", timeZone: "America/New_York", rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=3" }), 201);
    expect(event).toMatchObject({ title: "Stand-up", start: "2026-03-02T09:00", timeZone: "America/New_York", recurrence: "Weekly on Monday, 3 times" });
    const { occurrences } = await window(ada, "2026-03-01T00:00:00Z", "2026-03-31T00:00:00Z", `&calendarIds=${cal.id}`);
    const mine = occurrences.filter((o: any) => o.eventId === event.id);
    expect(mine.map((o: any) => o.occurrenceStartAt)).toEqual(["2026-03-02T14:00:00.000Z", "2026-03-09T13:00:00.000Z", "2026-03-16T13:00:00.000Z"]);
    expect(mine.map((o: any) => o.start)).toEqual(["2026-03-02T09:00", "2026-03-09T09:00", "2026-03-16T09:00"]);
    expect(mine[1]).toMatchObject({ calendarId: cal.id, title: "Stand-up", allDay: false, timeZone: "America/New_York", recurrenceId: "2026-03-09T09:00" });
  });

  test("an all-day event is on the same date for everyone, whatever their zone", async () => {
    const cal = await primary(ada, "personal");
    const { event } = await json(newEvent(ada, cal.id, { title: "Holiday", start: "2026-05-01", end: "2026-05-02", allDay: true }), 201);
    for (const zone of ["Pacific/Auckland", "America/Los_Angeles", "UTC"]) {
      const { occurrences } = await window(ada, "2026-05-01", "2026-05-02", `&timeZone=${encodeURIComponent(zone)}`);
      const holiday = occurrences.find((o: any) => o.eventId === event.id);
      expect(holiday).toMatchObject({ start: "2026-05-01", end: "2026-05-02", allDay: true, timeZone: null });
    }
  });

  test("a time in the spring gap moves forward; the stored wall clock is kept", async () => {
    const cal = await primary(ada, "personal");
    const { event } = await json(newEvent(ada, cal.id, { title: "Gap", start: "2026-03-08T02:30", end: "2026-03-08T03:30", timeZone: "America/New_York" }), 201);
    const { occurrences } = await window(ada, "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z");
    expect(occurrences.find((o: any) => o.eventId === event.id).occurrenceStartAt).toBe("2026-03-08T07:30:00.000Z");
  });

  test("bad input is a 400 naming the field, never a 500", async () => {
    const cal = (await primary(ada, "personal")).id;
    const base = { title: "X", start: "2026-04-01T10:00", end: "2026-04-01T11:00", timeZone: "Europe/Paris" };
    const field = async (body: Record<string, unknown>) => Object.keys((await json(newEvent(ada, cal, body), 400)).error.details.fieldErrors);
    expect(await field({ ...base, end: "2026-04-01T09:00" })).toEqual(["end"]);
    expect(await field({ ...base, timeZone: "Europe/Atlantis" })).toEqual(["timeZone"]);
    expect(await field({ ...base, rrule: "FREQ=WEEKLY;BYDAY=XX" })).toEqual(["rrule"]);
    expect(await field({ ...base, rrule: "RRULE:FREQ=DAILY" })).toEqual(["rrule"]);
    expect(await field({ ...base, rrule: "FREQ=SECONDLY" })).toEqual(["rrule"]);
    expect(await field({ ...base, rrule: "FREQ=DAILY", exdates: Array.from({ length: 10_000 }, (_, i) => `2026-04-${String((i % 28) + 1).padStart(2, "0")}T10:00`) })).toEqual(["exdates"]);
    expect(await field({ ...base, rrule: "FREQ=DAILY", exdates: ["not a date"] })).toEqual(["exdates"]);
    expect(await field({ ...base, start: "tomorrow" })).toEqual(["start"]);
    expect(await field({ ...base, allDay: true })).toEqual(["start"]);
    expect(await field({ ...base, title: "" })).toEqual(["title"]);
    expect(await field({ ...base, url: "javascript:alert(1)" })).toEqual(["url"]);
    const edge = await json(api(t, ada, "/api/calendar/events?from=2026-01-01&to=2028-01-01"), 400);
    expect(Object.keys(edge.error.details.fieldErrors)).toEqual(["to"]);
    await json(api(t, ada, "/api/calendar/events?from=2026-02-01&to=2026-01-01"), 400);
    await json(api(t, ada, "/api/calendar/events?from=yesterday&to=2026-01-01"), 400);
    await json(api(t, ada, "/api/calendar/events?from=2026-01-01&to=2026-02-01&timeZone=Nowhere"), 400);
  });

  test("a rule that could hang the server answers at once, bounded", async () => {
    const cal = (await primary(ada, "personal")).id;
    const { event } = await json(newEvent(ada, cal, { title: "Busy", start: "2026-06-01T00:00", end: "2026-06-01T00:01", timeZone: "UTC", rrule: "FREQ=MINUTELY;BYSETPOS=-366,366;BYMONTHDAY=31;BYMONTH=2" }), 201);
    const { occurrences } = await window(ada, "2026-06-01", "2027-06-01");
    expect(occurrences.filter((o: any) => o.eventId === event.id).length).toBeLessThanOrEqual(1);
  });
});

describe("the three edit scopes", () => {
  let cal: string;
  beforeAll(async () => {
    cal = (await primary(ada, "business", acme)).id;
  });
  const occurrencesOf = async (ids: string[], from = "2026-09-01", to = "2026-10-01") =>
    (await window(ada, from, to, `&calendarIds=${cal}`)).occurrences.filter((o: any) => ids.includes(o.eventId)).map((o: any) => `${o.start} ${o.title}`);

  test("this occurrence: move and retitle one; delete another; the rest are untouched", async () => {
    const { event } = await json(newEvent(ada, cal, { title: "Yoga", start: "2026-09-01T18:00", end: "2026-09-01T19:00", timeZone: "Europe/London", rrule: "FREQ=WEEKLY;COUNT=4" }), 201);
    await json(api(t, ada, `/api/events/${event.id}?scope=this&occurrence=2026-09-08T18:00`, { method: "PATCH", json: { start: "2026-09-09T07:00", title: "Early yoga" } }), 200);
    expect((await api(t, ada, `/api/events/${event.id}?scope=this&occurrence=2026-09-15T17:00:00Z`, { method: "DELETE" })).status).toBe(204);
    expect(await occurrencesOf([event.id])).toEqual(["2026-09-01T18:00 Yoga", "2026-09-09T07:00 Early yoga", "2026-09-22T18:00 Yoga"]);
    const bad = await json(api(t, ada, `/api/events/${event.id}?scope=this&occurrence=2026-09-10T18:00`, { method: "PATCH", json: { title: "Nope" } }), 400);
    expect(Object.keys(bad.error.details.fieldErrors)).toEqual(["occurrence"]);
    await json(api(t, ada, `/api/events/${event.id}?scope=this`, { method: "PATCH", json: { title: "Nope" } }), 400);
    const series = await json(api(t, ada, `/api/events/${event.id}?scope=this&occurrence=2026-09-22T18:00`, { method: "PATCH", json: { rrule: "FREQ=DAILY" } }), 400);
    expect(Object.keys(series.error.details.fieldErrors)).toEqual(["rrule"]);
  });

  test("this and following: the series splits cleanly, exceptions go to the half they belong to", async () => {
    const { event } = await json(newEvent(ada, cal, { title: "Class", start: "2026-09-01T10:00", end: "2026-09-01T11:00", timeZone: "America/New_York", rrule: "FREQ=WEEKLY;COUNT=5" }), 201);
    await json(api(t, ada, `/api/events/${event.id}?scope=this&occurrence=2026-09-08T10:00`, { method: "PATCH", json: { title: "Class (room 2)" } }), 200);
    await json(api(t, ada, `/api/events/${event.id}?scope=this&occurrence=2026-09-22T10:00`, { method: "PATCH", json: { title: "Class (exam)" } }), 200);
    const { event: later } = await json(api(t, ada, `/api/events/${event.id}?scope=following&occurrence=2026-09-15T10:00`, { method: "PATCH", json: { start: "2026-09-15T14:00", end: "2026-09-15T15:00", title: "Class B" } }), 200);
    expect(later.id).not.toBe(event.id);
    expect(later.rrule).toBe("FREQ=WEEKLY;COUNT=3");
    const first = await json(api(t, ada, `/api/events/${event.id}`), 200);
    expect(first.event.rrule).toMatch(/^FREQ=WEEKLY;UNTIL=20260915T135959Z$/);
    expect(await occurrencesOf([event.id, later.id])).toEqual(["2026-09-01T10:00 Class", "2026-09-08T10:00 Class (room 2)", "2026-09-15T14:00 Class B", "2026-09-22T14:00 Class (exam)", "2026-09-29T14:00 Class B"]);
    // Deleting "this and following" from the fourth ends the second half there.
    expect((await api(t, ada, `/api/events/${later.id}?scope=following&occurrence=2026-09-22T14:00`, { method: "DELETE" })).status).toBe(204);
    expect(await occurrencesOf([event.id, later.id])).toEqual(["2026-09-01T10:00 Class", "2026-09-08T10:00 Class (room 2)", "2026-09-15T14:00 Class B"]);
    // From its first occurrence, "following" is the whole event.
    expect((await api(t, ada, `/api/events/${later.id}?scope=following&occurrence=2026-09-15T14:00`, { method: "DELETE" })).status).toBe(204);
    await json(api(t, ada, `/api/events/${later.id}`), 404);
  });

  test("all: moving the series moves its exceptions with it", async () => {
    const { event } = await json(newEvent(ada, cal, { title: "Review", start: "2026-09-07T09:00", end: "2026-09-07T10:00", timeZone: "Europe/Berlin", rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=3" }), 201);
    await json(api(t, ada, `/api/events/${event.id}?scope=this&occurrence=2026-09-14T09:00`, { method: "PATCH", json: { title: "Review (short)" } }), 200);
    await json(api(t, ada, `/api/events/${event.id}?scope=this&occurrence=2026-09-21T09:00`, { method: "DELETE" }), 204).catch(() => undefined);
    const moved = await json(api(t, ada, `/api/events/${event.id}?scope=all`, { method: "PATCH", json: { start: "2026-09-08T11:00", end: "2026-09-08T12:00" } }), 200);
    expect(moved.event.rrule).toBe("FREQ=WEEKLY;COUNT=3;BYDAY=TU");
    expect(await occurrencesOf([event.id])).toEqual(["2026-09-08T11:00 Review", "2026-09-15T11:00 Review (short)"]);
    expect(moved.event.sequence).toBeGreaterThan(0);
  });
});

describe("who sees what", () => {
  test("private events of others are busy blocks with no title; their maker and attendees see them in full", async () => {
    const cal = (await primary(ada, "business", acme)).id;
    const { event } = await json(newEvent(ada, cal, { title: "Salary talk", start: "2026-10-05T15:00", end: "2026-10-05T16:00", timeZone: "UTC", visibility: "private", attendees: [max.id] }), 201);
    const find = async (who: Person) => (await window(who, "2026-10-05", "2026-10-06", `&calendarIds=${cal}`)).occurrences.find((o: any) => o.occurrenceStartAt === "2026-10-05T15:00:00.000Z");
    expect(await find(bob)).toMatchObject({ eventId: null, title: null, busy: true });
    expect(await find(max)).toMatchObject({ eventId: event.id, title: "Salary talk", busy: false });
    await json(api(t, bob, `/api/events/${event.id}`), 404);
    await json(api(t, eve, `/api/events/${event.id}`), 404);
    await json(api(t, eve, `/api/events/${event.id}`, { method: "PATCH", json: { title: "x" } }), 404);
    const stranger = await json(newEvent(ada, cal, { title: "x", start: "2026-10-05T15:00", end: "2026-10-05T16:00", attendees: [eve.id] }), 400);
    expect(Object.keys(stranger.error.details.fieldErrors)).toEqual(["attendees"]);
  });

  test("a business member reads but cannot write by any route; another tenant gets 404 everywhere", async () => {
    const cal = (await primary(ada, "business", acme)).id;
    const { event } = await json(newEvent(max, cal, { title: "Launch", start: "2026-10-10T09:00", end: "2026-10-10T10:00" }), 201);
    await json(newEvent(bob, cal, { title: "Mine", start: "2026-10-10T09:00", end: "2026-10-10T10:00" }), 403);
    await json(api(t, bob, `/api/events/${event.id}`, { method: "PATCH", json: { title: "Mine" } }), 403);
    await json(api(t, bob, `/api/events/${event.id}`, { method: "DELETE" }), 403);
    expect((await json(api(t, bob, `/api/events/${event.id}`), 200)).event).toMatchObject({ title: "Launch", canEdit: false });
    await json(newEvent(eve, cal, { title: "Mine", start: "2026-10-10T09:00", end: "2026-10-10T10:00" }), 404);
    await json(api(t, eve, `/api/events/${event.id}`), 404);
    await json(api(t, eve, `/api/events/${event.id}`, { method: "DELETE" }), 404);
    const { occurrences } = await window(eve, "2026-10-10", "2026-10-11", `&calendarIds=${cal}`);
    expect(occurrences).toEqual([]);
    // Moving an event into a calendar one cannot see is a 404, into one one reads a 403.
    const { event: own } = await json(newEvent(bob, (await primary(bob, "personal")).id, { title: "Own", start: "2026-10-10T09:00", end: "2026-10-10T10:00" }), 201);
    await json(api(t, bob, `/api/events/${own.id}`, { method: "PATCH", json: { calendarId: cal } }), 403);
    await json(api(t, bob, `/api/events/${own.id}`, { method: "PATCH", json: { calendarId: (await primary(eve, "personal")).id } }), 404);
  });

  test("a household child cannot write by any route", async () => {
    const cal = (await primary(ada, "household")).id;
    const { event } = await json(newEvent(ada, cal, { title: "Dinner", start: "2026-10-11T18:00", end: "2026-10-11T19:00", rrule: "FREQ=DAILY;COUNT=3" }), 201);
    await json(newEvent(kid, cal, { title: "Party", start: "2026-10-11T18:00", end: "2026-10-11T19:00" }), 403);
    for (const scope of ["all", "this", "following"]) {
      await json(api(t, kid, `/api/events/${event.id}?scope=${scope}&occurrence=2026-10-12T18:00`, { method: "PATCH", json: { title: "Pizza" } }), 403);
      await json(api(t, kid, `/api/events/${event.id}?scope=${scope}&occurrence=2026-10-12T18:00`, { method: "DELETE" }), 403);
    }
    await json(api(t, kid, `/api/calendars/${cal}`, { method: "PATCH", json: { name: "Kid's" } }), 403);
    await json(api(t, kid, `/api/calendars/${cal}/shares/${teen.id}`, { method: "PUT", json: { access: "read" } }), 403);
    expect((await json(api(t, kid, `/api/events/${event.id}`), 200)).event.title).toBe("Dinner");
    // Their own personal calendar is theirs.
    await json(newEvent(kid, (await primary(kid, "personal")).id, { title: "Homework", start: "2026-10-11T16:00", end: "2026-10-11T17:00" }), 201);
  });
});

test("every change is audited and announced on the calendar's channel in its transaction", async () => {
  const cal = (await primary(ada, "business", acme)).id;
  const { event } = await json(newEvent(ada, cal, { title: "Audit me", start: "2026-11-02T09:00", end: "2026-11-02T10:00" }), 201);
  await json(api(t, ada, `/api/events/${event.id}`, { method: "PATCH", json: { title: "Audited" } }), 200);
  expect((await api(t, ada, `/api/events/${event.id}`, { method: "DELETE" })).status).toBe(204);
  const trail = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.targetId, event.id));
  expect(trail.map((a) => a.action)).toEqual(["calendar.event.created", "calendar.event.updated", "calendar.event.deleted"]);
  const live = (await t.deps.db.select().from(events).where(eq(events.channel, `business:${acme}`))).filter((e) => (e.payload as any).eventId === event.id);
  expect(live.map((e) => [e.type, (e.payload as any).change])).toEqual([
    ["calendar.changed", "created"],
    ["calendar.changed", "updated"],
    ["calendar.changed", "deleted"],
  ]);
  expect(await t.deps.db.select().from(calendarEvents).where(eq(calendarEvents.id, event.id))).toEqual([]);
});

describe("limits under a burst", () => {
  test("calendars per context: ten at once past the cap make exactly the cap", async () => {
    const zed = await person(t, "Zed Burst");
    for (let i = 0; i < 45; i++) await json(api(t, zed, "/api/calendars", { method: "POST", json: { name: `C${i}` } }), 201);
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => api(t, zed, "/api/calendars", { method: "POST", json: { name: `Burst ${i}` } })));
    expect(burst.filter((r) => r.status === 201).length).toBe(4);
    expect(burst.filter((r) => r.status === 409).length).toBe(6);
    expect((await calendarsOf(zed)).length).toBe(50);
  });

  test("events per calendar: a burst at the cap adds exactly what is left", async () => {
    const yan = await person(t, "Yan Full");
    const cal = (await primary(yan, "personal")).id;
    await t.deps.db.run(sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 19998)
      insert into calendar_events (id, calendar_id, uid, title, start, "end", time_zone, first_start_ms, last_end_ms, created_at, updated_at)
      select 'filler' || i, ${cal}, 'u' || i, 'Filler', '2020-01-01T09:00', '2020-01-01T10:00', 'UTC', 1577869200000, 1577872800000, 0, 0 from n`);
    const burst = await Promise.all(Array.from({ length: 5 }, (_, i) => newEvent(yan, cal, { title: `Late ${i}`, start: "2026-01-01T09:00", end: "2026-01-01T10:00" })));
    expect(burst.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409]);
    const refused = await json(newEvent(yan, cal, { title: "One more", start: "2026-01-01T09:00", end: "2026-01-01T10:00" }), 409);
    expect(refused.error.code).toBe("calendar_full");
  });
});
