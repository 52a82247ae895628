// Free/busy and availability over real HTTP on a real database: only people one shares a context with, merged
// intervals and nothing else (masking checked field by field), invitations count unless declined, working hours
// across a DST change, and bad input as 400s naming the field.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../test/app";
import { api, business, household, addHouseholdMember, json, person, signedIn, type Person } from "../../../test/people";
import { calendarAttendees } from "../schema";
import { MAX_AGE_MS } from "../kept-views";

let t: TestApp;
let ada: Person; // owner of Acme
let bob: Person; // member of Acme
let cat: Person; // in Ada's household only
let eve: Person; // shares nothing with anyone

beforeAll(async () => {
  t = await createTestApp();
  [ada, bob, cat, eve] = (await Promise.all(["Ada Lovelace", "Bob Stone", "Cat Lovelace", "Eve Moss"].map((name) => person(t, name)))) as [Person, Person, Person, Person];
  await business(t, ada, [[bob, "member"]], "Acme");
  const home = await household(t, ada, "Home");
  await addHouseholdMember(t, home, cat, "adult");
});
afterAll(() => t.close());

const personal = async (who: Person) => (await json(api(t, who, "/api/calendars"), 200)).calendars.find((c: { contextType: string; isPrimary: boolean }) => c.contextType === "personal" && c.isPrimary).id as string;
const newEvent = async (who: Person, body: Record<string, unknown>, calendarId?: string) => (await json(api(t, who, `/api/calendars/${calendarId ?? (await personal(who))}/events`, { method: "POST", json: body }), 201)).event;

describe("free/busy", () => {
  test("merged busy intervals for co-members, and not one detail more", async () => {
    await newEvent(bob, { title: "Dentist", description: "molar", location: "Harley St", url: "https://meet.example.com/x", start: "2027-02-01T09:00", end: "2027-02-01T10:00", timeZone: "Europe/London", visibility: "private", rrule: "FREQ=DAILY;COUNT=3" });
    await newEvent(bob, { title: "Overlap", start: "2027-02-01T09:30", end: "2027-02-01T11:00", timeZone: "Europe/London" });
    await newEvent(bob, { title: "Free to interrupt", start: "2027-02-01T14:00", end: "2027-02-01T15:00", timeZone: "Europe/London", transparency: "transparent" });
    const answer = await json(api(t, ada, `/api/calendar/freebusy?from=2027-02-01T00:00:00Z&to=2027-02-04T00:00:00Z&userIds=${bob.id},${eve.id},nobody`), 200);
    expect(answer.unknown.sort()).toEqual([eve.id, "nobody"].sort());
    expect(answer.users).toEqual([
      {
        userId: bob.id,
        busy: [
          { start: "2027-02-01T09:00:00.000Z", end: "2027-02-01T11:00:00.000Z" },
          { start: "2027-02-02T09:00:00.000Z", end: "2027-02-02T10:00:00.000Z" },
          { start: "2027-02-03T09:00:00.000Z", end: "2027-02-03T10:00:00.000Z" },
        ],
      },
    ]);
    const text = JSON.stringify(answer);
    for (const leak of ["Dentist", "molar", "Harley", "meet.example", "Overlap", "FREQ", "Free to interrupt", "private", "eventId", "title", "count"]) expect(text).not.toContain(leak);
  });

  test("invitations count unless declined; someone sharing only a household is askable too; strangers learn nothing", async () => {
    const event = await newEvent(ada, { title: "Board", start: "2027-03-01T15:00", end: "2027-03-01T16:00", timeZone: "UTC", attendees: [bob.id] }, undefined);
    const ask = () => json(api(t, cat, `/api/calendar/freebusy?from=2027-03-01T00:00:00Z&to=2027-03-02T00:00:00Z&userIds=${ada.id},${bob.id}`), 200);
    const first = await ask();
    expect(first.users.map((u: { userId: string }) => u.userId)).toEqual([ada.id]);
    expect(first.unknown).toEqual([bob.id]);
    const bobs = await json(api(t, ada, `/api/calendar/freebusy?from=2027-03-01T00:00:00Z&to=2027-03-02T00:00:00Z&userIds=${bob.id}`), 200);
    expect(bobs.users[0].busy).toEqual([{ start: "2027-03-01T15:00:00.000Z", end: "2027-03-01T16:00:00.000Z" }]);
    await json(api(t, bob, `/api/events/${event.id}/rsvp`, { method: "POST", json: { status: "declined" } }), 200);
    expect((await json(api(t, ada, `/api/calendar/freebusy?from=2027-03-01T00:00:00Z&to=2027-03-02T00:00:00Z&userIds=${bob.id}`), 200)).users[0].busy).toEqual([]);
    const stranger = await json(api(t, eve, `/api/calendar/freebusy?from=2027-03-01T00:00:00Z&to=2027-03-02T00:00:00Z&userIds=${ada.id}`), 200);
    expect(stranger).toMatchObject({ users: [], unknown: [ada.id] });
  });

  test("busy time is kept per person and month, and worked out again after every change that alters it", async () => {
    const acme = (await json(api(t, ada, "/api/calendars"), 200)).calendars.find((c: { contextType: string; isPrimary: boolean }) => c.contextType === "business" && c.isPrimary).id as string;
    const april = () => json(api(t, ada, `/api/calendar/freebusy?from=2027-04-15T00:00:00Z&to=2027-05-15T00:00:00Z&userIds=${bob.id}`), 200).then((a) => a.users[0].busy);
    const block = (start: string, end: string) => ({ start: `2027-${start}:00.000Z`, end: `2027-${end}:00.000Z` });
    expect(await april()).toEqual([]);
    // An event of his own across the month's end: one block, though it is kept as two months' pieces.
    const own = await newEvent(bob, { title: "Night shift", start: "2027-04-30T22:00", end: "2027-05-01T02:00", timeZone: "UTC" });
    expect(await april()).toEqual([block("04-30T22:00", "05-01T02:00")]);
    // Invited to Acme's meeting, then declining it, then accepting it again.
    const meeting = await newEvent(ada, { title: "Review", start: "2027-04-20T10:00", end: "2027-04-20T11:00", timeZone: "UTC", attendees: [bob.id] }, acme);
    expect(await april()).toEqual([block("04-20T10:00", "04-20T11:00"), block("04-30T22:00", "05-01T02:00")]);
    await json(api(t, bob, `/api/events/${meeting.id}/rsvp`, { method: "POST", json: { status: "declined" } }), 200);
    expect(await april()).toEqual([block("04-30T22:00", "05-01T02:00")]);
    await json(api(t, bob, `/api/events/${meeting.id}/rsvp`, { method: "POST", json: { status: "accepted" } }), 200);
    // The organizer moves it.
    await json(api(t, ada, `/api/events/${meeting.id}`, { method: "PATCH", json: { start: "2027-04-21T10:00", end: "2027-04-21T11:30" } }), 200);
    expect(await april()).toEqual([block("04-21T10:00", "04-21T11:30"), block("04-30T22:00", "05-01T02:00")]);
    // His own event goes; a file imported into his calendar comes.
    expect((await api(t, bob, `/api/events/${own.id}`, { method: "DELETE" })).status).toBe(204);
    const ics = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "BEGIN:VEVENT", "UID:kept-busy-1@test", "DTSTAMP:20270101T000000Z", "DTSTART:20270510T080000Z", "DTEND:20270510T090000Z", "SUMMARY:Imported", "END:VEVENT", "END:VCALENDAR", ""].join("\r\n");
    const imported = await t.app.request(`/api/calendars/${await personal(bob)}/import`, { method: "POST", headers: { authorization: `Bearer ${bob.token}`, "content-type": "text/calendar" }, body: ics });
    expect(imported.status).toBe(200);
    expect(await april()).toEqual([block("04-21T10:00", "04-21T11:30"), block("05-10T08:00", "05-10T09:00")]);
    // Kept indeed: a change that bypasses the service (and so announces nothing) is not seen until the age limit.
    await t.deps.db.update(calendarAttendees).set({ status: "declined" }).where(eq(calendarAttendees.eventId, meeting.id));
    expect(await april()).toEqual([block("04-21T10:00", "04-21T11:30"), block("05-10T08:00", "05-10T09:00")]);
    t.advance(MAX_AGE_MS);
    expect(await april()).toEqual([block("05-10T08:00", "05-10T09:00")]);
  });

  test("bad windows and lists are 400s naming the field", async () => {
    const bad = async (query: string, field: string) => {
      const body = await json(api(t, ada, `/api/calendar/freebusy?${query}`), 400);
      expect(body.error.details.fieldErrors[field]).toBeTruthy();
    };
    await bad(`from=2027-03-02T00:00:00Z&to=2027-03-01T00:00:00Z&userIds=${bob.id}`, "to");
    await bad(`from=2027-01-01T00:00:00Z&to=2027-12-01T00:00:00Z&userIds=${bob.id}`, "to");
    await bad(`from=yesterday&to=2027-03-01T00:00:00Z&userIds=${bob.id}`, "from");
    await bad(`from=2027-03-01&to=2027-03-02&userIds=${Array.from({ length: 51 }, (_, i) => `u${i}`).join(",")}`, "userIds");
    await bad(`from=2027-03-01&to=2027-03-02&userIds=${bob.id}&timeZone=Mars/Olympus`, "timeZone");
  });
});

describe("availability", () => {
  test("free slots common to all, within each one's working hours in their zone, across a DST change", async () => {
    // Ada works 09:00–17:00 New York; Bob 12:00–18:00 London. The US changes clocks on 14 March 2027, London on the
    // 28th: on Friday the 12th they share 14:00–18:00 UTC, on Monday the 15th 13:00–18:00 (less Bob's half hour).
    const weekdays = (from: string, to: string) => Object.fromEntries(["mo", "tu", "we", "th", "fr"].map((d) => [d, [[from, to]]]));
    expect((await api(t, ada, "/api/calendar/working-hours", { method: "PUT", json: { timeZone: "America/New_York", hours: weekdays("09:00", "17:00") } })).status).toBe(200);
    expect((await api(t, bob, "/api/calendar/working-hours", { method: "PUT", json: { timeZone: "Europe/London", hours: weekdays("12:00", "18:00") } })).status).toBe(200);
    await newEvent(bob, { title: "Busy", start: "2027-03-15T15:00", end: "2027-03-15T15:30", timeZone: "Europe/London" });
    const answer = await json(api(t, ada, `/api/calendar/availability?from=2027-03-12T00:00:00Z&to=2027-03-16T00:00:00Z&userIds=${ada.id},${bob.id}&durationMinutes=30&stepMinutes=30`), 200);
    expect(answer.free).toEqual([
      { start: "2027-03-12T14:00:00.000Z", end: "2027-03-12T18:00:00.000Z" },
      { start: "2027-03-15T13:00:00.000Z", end: "2027-03-15T15:00:00.000Z" },
      { start: "2027-03-15T15:30:00.000Z", end: "2027-03-15T18:00:00.000Z" },
    ]);
    expect(answer.slots.length).toBe(8 + 4 + 5);
    expect(answer.slots[0]).toEqual({ start: "2027-03-12T14:00:00.000Z", end: "2027-03-12T14:30:00.000Z" });
    expect(JSON.stringify(answer)).not.toContain("Busy");
  });

  test("Ada's hours move in UTC across the US change; someone unknown is a 404 naming userIds; overlapping periods are refused", async () => {
    const answer = await json(api(t, ada, `/api/calendar/availability?from=2027-03-12T00:00:00Z&to=2027-03-16T00:00:00Z&userIds=${ada.id}&durationMinutes=60`), 200);
    expect(answer.free).toEqual([
      { start: "2027-03-12T14:00:00.000Z", end: "2027-03-12T22:00:00.000Z" },
      { start: "2027-03-15T13:00:00.000Z", end: "2027-03-15T21:00:00.000Z" },
    ]);
    const refused = await json(api(t, ada, `/api/calendar/availability?from=2027-03-05&to=2027-03-09&userIds=${eve.id}&durationMinutes=60`), 404);
    expect(refused.error.details.fieldErrors.userIds).toBeTruthy();
    const overlap = await json(api(t, ada, "/api/calendar/working-hours", { method: "PUT", json: { hours: { mo: [["09:00", "12:00"], ["11:00", "13:00"]] } } }), 400);
    expect(overlap.error.details.fieldErrors["hours.mo"]).toBeTruthy();
    const badTime = await json(api(t, ada, "/api/calendar/working-hours", { method: "PUT", json: { hours: { mo: [["9am", "12:00"]] } } }), 400);
    expect(JSON.stringify(badTime.error.details)).toContain("09:00");
    expect((await json(api(t, eve, "/api/calendar/working-hours"), 200)).workingHours).toMatchObject({ chosen: false, timeZone: "UTC", hours: { mo: [["09:00", "17:00"]], sa: [] } });
  });
});

describe("find a time (the drawer's page)", () => {
  test("lists the common slots as links to a new event there; strangers cannot be picked; works as a full page", async () => {
    t.advance(Date.parse("2027-03-12T00:00:00Z") - t.deps.now());
    const browser = await signedIn(t, ada);
    const drawer = await (await browser.request("/calendar/events/new?back=%2Fcalendar", { headers: { "hx-request": "true", "hx-target": "calendar-drawer" } })).text();
    expect(drawer).toContain('href="/calendar/find-time?back=%2Fcalendar"');
    const page = await browser.request(`/calendar/find-time?with=${bob.id}&with=${eve.id}&duration=60&from=2027-03-12&back=%2Fcalendar`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<!doctype html>");
    // Ada's zone is UTC for her calendar view; her working hours are New York's, Bob's London's (set above).
    const slot = `/calendar/events/new?date=2027-03-12&time=14:00&minutes=60&with=${bob.id}&back=%2Fcalendar`;
    expect(html).toContain(`href="${slot.replaceAll("&", "&amp;")}"`);
    expect(html).toContain("14:00–15:00");
    // The slot opens a new event of that length with the people it was found for invited.
    const form = await (await browser.request(slot)).text();
    expect(form).toMatch(new RegExp(`name="attendees" value="${bob.id}" checked`));
    expect(form).toContain('id="ev-endTime"');
    expect(form).toMatch(/id="ev-endTime"[^>]*value="15:00"|value="15:00"[^>]*id="ev-endTime"/);
    expect(html).not.toContain(eve.name);
    const fragment = await (await browser.request(`/calendar/find-time?with=${bob.id}&duration=60&from=2027-03-12`, { headers: { "hx-request": "true" } })).text();
    expect(fragment.startsWith('<div class="cal-drawer-body" id="find-time">')).toBe(true);
  });
});

describe("working hours in calendar settings", () => {
  test("the form saves a day's hours and zone (days not ticked are free), shows a bad period beside its day, and keeps API-set extra periods", async () => {
    const who = await person(t, "Wendy Hours");
    const browser = await signedIn(t, who);
    const page = await (await browser.request("/calendar/settings")).text();
    expect(page).toContain("Your working hours");
    expect(page).toContain("not set yet: Monday to Friday, 09:00–17:00");

    const bad = await browser.request("/calendar/settings/working-hours", { method: "POST", form: { timeZone: "Europe/Lisbon", "works-mo": "1", "start-mo": "18:00", "end-mo": "09:00" } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<p class="field-error">A period must end after it starts.</p>');

    const saved = await browser.request("/calendar/settings/working-hours", { method: "POST", form: { timeZone: "Europe/Lisbon", "works-mo": "1", "start-mo": "08:00", "end-mo": "12:00", "works-th": "1", "start-th": "13:00", "end-th": "23:59" } });
    expect(saved.headers.get("location")).toBe("/calendar/settings?saved=working-hours");
    const api1 = (await json(api(t, who, "/api/calendar/working-hours"), 200)).workingHours;
    expect(api1).toMatchObject({ timeZone: "Europe/Lisbon", chosen: true, hours: { mo: [["08:00", "12:00"]], tu: [], th: [["13:00", "24:00"]], su: [] } });

    await json(api(t, who, "/api/calendar/working-hours", { method: "PUT", json: { timeZone: "Europe/Lisbon", hours: { mo: [["08:00", "12:00"], ["14:00", "18:00"]] } } }), 200);
    await browser.request("/calendar/settings/working-hours", { method: "POST", form: { timeZone: "Europe/Lisbon", "works-mo": "1", "start-mo": "07:30", "end-mo": "12:00" } });
    expect((await json(api(t, who, "/api/calendar/working-hours"), 200)).workingHours.hours.mo).toEqual([["07:30", "12:00"], ["14:00", "18:00"]]);
  });
});
