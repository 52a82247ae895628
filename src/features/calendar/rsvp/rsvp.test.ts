// Invitations and answers over real HTTP on a real database: an invitee sees the event on their own overlay (read-
// only) and answers for the series or one occurrence; the organizer sees it at once (and is told); moving the event
// asks everyone again; a teen's answer outside their household waits for a guardian; children cannot answer.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { events, notifications } from "../../../schema";
import { createTestApp, type TestApp } from "../../../test/app";
import { addHouseholdMember, api, business, household, json, person, signedIn, type Person } from "../../../test/people";
import { afterMove, answerRoute, movedBy, statusFor, withAnswer } from "./rsvp-rules";

let t: TestApp;
let ada: Person, bob: Person, eve: Person, olga: Person, tim: Person, kid: Person;
let acme: string;
let okafors: string;

beforeAll(async () => {
  t = await createTestApp();
  [ada, bob, eve, olga, tim, kid] = (await Promise.all(["Ada Lovelace", "Bob Stone", "Eve Moss", "Olga Okafor", "Tim Okafor", "Kid Okafor"].map((name) => person(t, name)))) as Person[] as [Person, Person, Person, Person, Person, Person];
  acme = await business(t, ada, [[bob, "member"], [eve, "member"]], "Acme");
  okafors = await household(t, olga);
  await addHouseholdMember(t, okafors, ada, "adult");
  await addHouseholdMember(t, okafors, tim, "teen");
  await addHouseholdMember(t, okafors, kid, "child");
});
afterAll(() => t.close());

type Cal = { id: string; contextType: string; contextId: string; isPrimary: boolean };
const primary = async (who: Person, contextType = "personal", contextId?: string) =>
  ((await json(api(t, who, "/api/calendars"), 200)).calendars as Cal[]).find((c) => c.contextType === contextType && c.isPrimary && (contextId === undefined || c.contextId === contextId))!;
const newEvent = async (who: Person, calendarId: string, body: Record<string, unknown>) => (await json(api(t, who, `/api/calendars/${calendarId}/events`, { method: "POST", json: body }), 201)).event;
const rsvp = (who: Person, eventId: string, body: Record<string, unknown>) => api(t, who, `/api/events/${eventId}/rsvp`, { method: "POST", json: body });
const notificationsOf = async (who: Person, kind: string) => (await t.deps.db.select().from(notifications).where(and(eq(notifications.userId, who.id), eq(notifications.kind, kind)))).map((n) => n.title);
const attendee = (event: { attendees: { userId: string }[] }, who: Person) => event.attendees.find((a) => a.userId === who.id) as unknown as { status: string; comment: string | null; occurrenceAnswers: Record<string, { status: string }>; waitingForGuardian: boolean };

describe("an invitation to an event in the organizer's personal calendar", () => {
  test("shows on the invitee's overlay read-only; the answer reaches the organizer at once; moving asks again", async () => {
    const calendar = await primary(ada);
    const invitedAt = (await t.deps.db.select().from(events)).length;
    const event = await newEvent(ada, calendar.id, { title: "Design review", start: "2027-03-01T10:00", end: "2027-03-01T11:00", timeZone: "Europe/Berlin", rrule: "FREQ=WEEKLY;COUNT=4", attendees: [bob.id] });
    expect(await notificationsOf(bob, "calendar.invitation")).toEqual(["Ada Lovelace invited you to “Design review” (2027-03-01 10:00 Europe/Berlin)"]);
    // Bob's open grids hear of it on his own channel (he cannot see Ada's calendar's).
    expect((await t.deps.db.select().from(events)).slice(invitedAt).some((e) => e.type === "calendar.changed" && e.channel === `user:${bob.id}`)).toBe(true);

    // Bob cannot see Ada's personal calendar, yet the event is on his overlay, in full, and only readable.
    const overlay = (await json(api(t, bob, "/api/calendar/events?from=2027-03-01T00:00:00Z&to=2027-04-01T00:00:00Z"), 200)).occurrences.filter((o: { title: string }) => o.title === "Design review");
    expect(overlay.length).toBe(4);
    const seen = (await json(api(t, bob, `/api/events/${event.id}`), 200)).event;
    expect([seen.canEdit, attendee(seen, bob).status]).toEqual([false, "needs-action"]);
    expect((await api(t, bob, `/api/events/${event.id}`, { method: "PATCH", json: { title: "Mine now" } })).status).toBe(403);
    expect((await api(t, eve, `/api/events/${event.id}`)).status).toBe(404);
    expect((await rsvp(eve, event.id, { status: "accepted" })).status).toBe(404);

    // Bob accepts the series, with a word; declines one occurrence.
    const cursor = (await t.deps.db.select().from(events)).length;
    const answered = await json(rsvp(bob, event.id, { status: "accepted", comment: "Will bring the mock-ups" }), 200);
    expect(answered.rsvp).toEqual({ applied: true, status: "accepted" });
    await json(rsvp(bob, event.id, { status: "declined", occurrence: "2027-03-15T10:00" }), 200);
    const organizer = (await json(api(t, ada, `/api/events/${event.id}`), 200)).event;
    expect(attendee(organizer, bob)).toMatchObject({ status: "accepted", comment: "Will bring the mock-ups", occurrenceAnswers: { "2027-03-15T10:00": { status: "declined" } } });
    expect(statusFor(attendee(organizer, bob) as never, "2027-03-15T10:00")).toBe("declined");
    // Live: the change is announced on Ada's channel; and she is told.
    const announced = (await t.deps.db.select().from(events)).slice(cursor).filter((e) => e.type === "calendar.changed" && e.channel === `user:${ada.id}`);
    expect(announced.length).toBeGreaterThanOrEqual(2);
    expect(await notificationsOf(ada, "calendar.rsvp")).toContain("Bob Stone accepted “Design review”");

    // Ada moves one occurrence: that one is asked again; the series' answer stands.
    await json(api(t, ada, `/api/events/${event.id}?scope=this&occurrence=2027-03-08T10:00`, { method: "PATCH", json: { start: "2027-03-08T14:00" } }), 200);
    let now = attendee((await json(api(t, ada, `/api/events/${event.id}`), 200)).event, bob);
    expect(now.status).toBe("accepted");
    expect(now.occurrenceAnswers["2027-03-08T10:00"]).toEqual({ status: "needs-action" });
    // She moves the series: everyone is asked again, and told.
    await json(api(t, ada, `/api/events/${event.id}`, { method: "PATCH", json: { start: "2027-03-02T10:00", end: "2027-03-02T11:00" } }), 200);
    now = attendee((await json(api(t, ada, `/api/events/${event.id}`), 200)).event, bob);
    expect([now.status, now.comment, now.occurrenceAnswers]).toEqual(["needs-action", null, {}]);
    expect((await notificationsOf(bob, "calendar.invitation")).some((title) => title.startsWith("Ada Lovelace moved “Design review”"))).toBe(true);

    // Declined, it leaves his overlay; cancelled, he is told.
    await json(rsvp(bob, event.id, { status: "declined" }), 200);
    const after = (await json(api(t, bob, "/api/calendar/events?from=2027-03-01T00:00:00Z&to=2027-04-01T00:00:00Z"), 200)).occurrences.filter((o: { title: string }) => o.title === "Design review");
    expect(after).toEqual([]);
    expect((await api(t, ada, `/api/events/${event.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await notificationsOf(bob, "calendar.invitation")).some((title) => title.startsWith("Ada Lovelace cancelled “Design review”"))).toBe(true);
  });

  test("someone who sees the event but is not invited cannot answer; bad answers are 400s naming the field", async () => {
    const acmeCalendar = await primary(ada, "business", acme);
    const event = await newEvent(ada, acmeCalendar.id, { title: "All hands", start: "2027-03-03T09:00", end: "2027-03-03T10:00", attendees: [bob.id] });
    expect((await json(rsvp(eve, event.id, { status: "accepted" }), 403)).error.code).toBe("not_invited");
    const bad = await json(rsvp(bob, event.id, { status: "maybe" }), 400);
    expect(Object.keys(bad.error.details.fieldErrors)).toEqual(["status"]);
    expect((await json(rsvp(bob, event.id, { status: "tentative", comment: "x".repeat(501) }), 400)).error.details.fieldErrors.comment).toBeDefined();
    // An answer names a real occurrence of a series (no growing store of made-up keys).
    const series = await newEvent(ada, acmeCalendar.id, { title: "Weekly", start: "2027-03-04T09:00", end: "2027-03-04T10:00", rrule: "FREQ=WEEKLY;COUNT=3", attendees: [bob.id] });
    expect((await json(rsvp(bob, series.id, { status: "declined", occurrence: "2027-03-05T09:00" }), 400)).error.details.fieldErrors.occurrence).toBeDefined();
    expect((await json(rsvp(bob, series.id, { status: "declined", occurrence: "2027-03-11T09:00" }), 200)).rsvp.applied).toBe(true);
  });
});

describe("an invitation in a calendar one sees as free/busy only", () => {
  test("is seen in full (and answerable); the calendar's other events stay busy blocks", async () => {
    const cal = (await json(api(t, ada, "/api/calendars", { method: "POST", json: { name: "Ada's side project", contextType: "personal", timeZone: "UTC" } }), 201)).calendar;
    await json(api(t, ada, `/api/calendars/${cal.id}/shares/${bob.id}`, { method: "PUT", json: { access: "freebusy" } }), 201);
    const invited = await newEvent(ada, cal.id, { title: "Pairing", start: "2027-07-01T10:00", end: "2027-07-01T11:00", timeZone: "UTC", attendees: [bob.id] });
    await newEvent(ada, cal.id, { title: "Interview", start: "2027-07-01T14:00", end: "2027-07-01T15:00", timeZone: "UTC" });
    expect((await json(api(t, bob, `/api/events/${invited.id}`), 200)).event.title).toBe("Pairing");
    const seen = (await json(api(t, bob, `/api/calendar/events?from=2027-07-01T00:00:00Z&to=2027-07-02T00:00:00Z&calendarIds=${cal.id}`), 200)).occurrences;
    expect(seen.map((o: { title: string | null; busy: boolean }) => [o.title, o.busy])).toEqual([["Pairing", false], [null, true]]);
    expect((await json(rsvp(bob, invited.id, { status: "accepted" }), 200)).rsvp.applied).toBe(true);
    // His download of the calendar agrees: the invitation in full, the rest as busy blocks.
    const ics = await (await api(t, bob, `/api/calendar/export.ics?calendarId=${cal.id}`)).text();
    expect(ics).toContain("SUMMARY:Pairing");
    expect(ics).not.toContain("Interview");
    expect(ics).toContain("SUMMARY:Busy");
  });
});

describe("teens and children", () => {
  test("a teen's answer outside the household waits for a guardian, who approves it; inside it stands; a child cannot answer", async () => {
    const event = await newEvent(ada, (await primary(ada)).id, { title: "Coding club", start: "2027-04-10T15:00", end: "2027-04-10T17:00", attendees: [tim.id, kid.id] });
    const waiting = await json(rsvp(tim, event.id, { status: "accepted", comment: "Please!" }), 202);
    expect(waiting.rsvp).toEqual({ applied: false, waitingFor: "guardian" });
    expect(attendee(waiting.event, tim)).toMatchObject({ status: "needs-action", waitingForGuardian: true });
    expect(await notificationsOf(olga, "calendar.approval")).toEqual(["Tim Okafor wants to answer “Coding club”: accepted"]);

    const approvals = (await json(api(t, olga, "/api/calendar/approvals"), 200)).approvals;
    expect(approvals).toEqual([expect.objectContaining({ eventId: event.id, teenId: tim.id, teenName: "Tim Okafor", status: "accepted", comment: "Please!" })]);
    expect((await json(api(t, bob, "/api/calendar/approvals"), 200)).approvals).toEqual([]);
    expect((await api(t, bob, "/api/calendar/approvals", { method: "POST", json: { eventId: event.id, userId: tim.id, approve: true } })).status).toBe(404);
    expect((await api(t, olga, "/api/calendar/approvals", { method: "POST", json: { eventId: event.id, userId: tim.id, approve: true } })).status).toBe(204);
    expect(attendee((await json(api(t, ada, `/api/events/${event.id}`), 200)).event, tim)).toMatchObject({ status: "accepted", comment: "Please!", waitingForGuardian: false });
    expect(await notificationsOf(tim, "calendar.approval")).toEqual(["Your answer to “Coding club” was approved."]);

    expect((await json(rsvp(kid, event.id, { status: "accepted" }), 403)).error.message).toContain("Children cannot answer");

    const home = await primary(olga, "household", okafors);
    const dinner = await newEvent(olga, home.id, { title: "Family dinner", start: "2027-04-11T18:00", end: "2027-04-11T19:00", attendees: [tim.id] });
    expect((await json(rsvp(tim, dinner.id, { status: "declined" }), 200)).rsvp).toEqual({ applied: true, status: "declined" });
  });
});

describe("comments and the drawer", () => {
  test("attendees and the organizer comment, live on both their channels; strangers see nothing; authors delete", async () => {
    const event = await newEvent(ada, (await primary(ada)).id, { title: "Offsite planning", start: "2027-05-03T10:00", end: "2027-05-03T11:00", attendees: [bob.id] });
    const cursor = (await t.deps.db.select().from(events)).length;
    const posted = await json(api(t, bob, `/api/events/${event.id}/comments`, { method: "POST", json: { body: "Can we do it in Lisbon?" } }), 201);
    expect(posted.comment).toMatchObject({ name: "Bob Stone", body: "Can we do it in Lisbon?", mine: true });
    await json(api(t, ada, `/api/events/${event.id}/comments`, { method: "POST", json: { body: "Sure" } }), 201);
    const heard = (await t.deps.db.select().from(events)).slice(cursor).filter((e) => e.type === "calendar.commented");
    expect(new Set(heard.map((e) => e.channel))).toEqual(new Set([`user:${ada.id}`, `user:${bob.id}`]));
    const listed = await json(api(t, ada, `/api/events/${event.id}/comments`), 200);
    expect(listed.comments.map((c: { body: string; mine: boolean }) => [c.body, c.mine])).toEqual([["Can we do it in Lisbon?", false], ["Sure", true]]);
    expect((await api(t, eve, `/api/events/${event.id}/comments`)).status).toBe(404);
    expect((await api(t, eve, `/api/events/${event.id}/comments`, { method: "POST", json: { body: "Me too" } })).status).toBe(404);
    expect((await json(api(t, bob, `/api/events/${event.id}/comments`, { method: "POST", json: { body: "  " } }), 400)).error.details.fieldErrors.body).toBeDefined();
    const adaComment = listed.comments[1].id;
    expect((await api(t, bob, `/api/events/${event.id}/comments/${adaComment}`, { method: "DELETE" })).status).toBe(403);
    expect((await api(t, ada, `/api/events/${event.id}/comments/${posted.comment.id}`, { method: "DELETE" })).status).toBe(204);
  });

  test("the drawer shows who is coming and takes the answer and comments as plain forms and as htmx", async () => {
    const event = await newEvent(ada, (await primary(ada)).id, { title: "Lunch", start: "2027-05-04T12:00", end: "2027-05-04T13:00", attendees: [bob.id, kid.id] });
    const browser = await signedIn(t, bob);
    const drawer = await (await browser.request(`/calendar/events/${event.id}`)).text();
    expect(drawer).toContain(`id="event-people-${event.id}"`);
    expect(drawer).toContain(`hx-trigger="sse:calendar, sse:comments-${event.id}"`);
    expect(drawer).toContain("Your answer: <strong>not answered</strong>");
    const plain = await browser.request(`/calendar/events/${event.id}/rsvp`, { method: "POST", form: { status: "accepted", comment: "Yum" } });
    expect([plain.status, plain.headers.get("location")]).toEqual([303, `/calendar/events/${event.id}`]);
    // With htmx the confirmation is a toast (HX-Trigger): the region re-fetches itself as soon as the answer is
    // announced, and would take a message inside it away before anyone read it.
    const viaHtmx = await browser.request(`/calendar/events/${event.id}/rsvp`, { method: "POST", form: { status: "tentative" }, headers: { "hx-request": "true" } });
    expect(JSON.parse(viaHtmx.headers.get("hx-trigger")!)).toEqual({ "bob-toast": "Answer saved." });
    expect(await viaHtmx.text()).toContain("Your answer: <strong>maybe</strong>");
    await browser.request(`/calendar/events/${event.id}/rsvp`, { method: "POST", form: { status: "accepted", comment: "Yum" } });
    const region = await (await browser.request(`/calendar/events/${event.id}/comments`, { method: "POST", form: { body: "Pizza?" }, headers: { "hx-request": "true" } })).text();
    expect(region).toStartWith(`<section id="event-people-${event.id}"`);
    expect(region).toContain("Bob Stone — <span class=\"rsvp rsvp-accepted\">going</span>");
    expect(region).toContain("Pizza?");

    const child = await signedIn(t, kid);
    const refused = await child.request(`/calendar/events/${event.id}/rsvp`, { method: "POST", form: { status: "accepted" }, headers: { "hx-request": "true" } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Children cannot answer invitations");
  });

  test("a guardian approves from the approvals page", async () => {
    const event = await newEvent(ada, (await primary(ada)).id, { title: "Hackathon", start: "2027-05-05T09:00", end: "2027-05-05T18:00", attendees: [tim.id] });
    await json(rsvp(tim, event.id, { status: "tentative" }), 202);
    const guardian = await signedIn(t, olga);
    const page = await (await guardian.request("/calendar/approvals")).text();
    expect(page).toContain("<strong>Tim Okafor</strong> wants to answer");
    expect(page).toContain("Hackathon");
    const decided = await guardian.request("/calendar/approvals", { method: "POST", form: { eventId: event.id, userId: tim.id, approve: "0" } });
    expect(decided.headers.get("location")).toBe("/calendar/approvals?done=refused");
    expect(attendee((await json(api(t, ada, `/api/events/${event.id}`), 200)).event, tim)).toMatchObject({ status: "needs-action", waitingForGuardian: false });
  });
});

describe("the rules", () => {
  const homes = (entries: Array<[string, "owner" | "adult" | "teen" | "child"]>) => new Map(entries.map(([id, role]) => [id, { role }]));
  test("who answers how", () => {
    expect(answerRoute(homes([]), { contextType: "personal", contextId: "u" })).toEqual({ kind: "direct" });
    expect(answerRoute(homes([["h1", "teen"]]), { contextType: "household", contextId: "h1" })).toEqual({ kind: "direct" });
    expect(answerRoute(homes([["h1", "teen"]]), { contextType: "business", contextId: "b" })).toEqual({ kind: "guardian", householdIds: ["h1"] });
    expect(answerRoute(homes([["h1", "adult"], ["h2", "child"]]), { contextType: "household", contextId: "h1" }).kind).toBe("refused");
  });
  test("answers land per series or occurrence, and a move asks again what moved", () => {
    const a = withAnswer({ status: "needs-action", comment: null, occurrenceAnswers: {} }, "accepted", null, "yes");
    const b = withAnswer(a, "declined", "2027-01-08T10:00", null);
    expect([statusFor(b, null), statusFor(b, "2027-01-08T10:00"), statusFor(b, "2027-01-15T10:00")]).toEqual(["accepted", "declined", "accepted"]);
    const timing = { start: "2027-01-01T10:00", end: "2027-01-01T11:00", timeZone: "UTC", rrule: "FREQ=WEEKLY", rdates: [], overrides: [] as { recurrenceId: string; start?: string | null; end?: string | null; cancelled?: boolean }[] };
    expect(movedBy(timing, { ...timing, overrides: [{ recurrenceId: "2027-01-01T10:00", cancelled: true }] })).toBeNull();
    expect(movedBy(timing, { ...timing, overrides: [{ recurrenceId: "2027-01-08T10:00", start: "2027-01-08T12:00", end: "2027-01-08T13:00" }] })).toEqual({ series: false, occurrences: ["2027-01-08T10:00"] });
    expect(movedBy(timing, { ...timing, end: "2027-01-01T12:00" })).toEqual({ series: true });
    expect(afterMove(b, { series: false, occurrences: ["2027-01-15T10:00"] }).occurrenceAnswers).toEqual({ "2027-01-08T10:00": { status: "declined" }, "2027-01-15T10:00": { status: "needs-action" } });
  });
});
