// Guests by email through a REAL SMTP server (smtp-server on 127.0.0.1, parsed with mailparser): the invitation is
// an iMIP REQUEST that ical.js reads, with a link that answers without an account; the organizer sees the answer;
// moving sends the event again and asks again; taking a guest off or cancelling sends METHOD:CANCEL and the link
// stops working; a forged link is refused like an unknown one.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import ICAL from "ical.js";
import type { ParsedMail } from "mailparser";
import { eq } from "drizzle-orm";
import { notifications, outbox } from "../../../schema";
import { createTestApp, type TestApp } from "../../../test/app";
import { api, business, json, person, type Person } from "../../../test/people";
import { startSmtp, type TestSmtp } from "../../../test/smtp";
import { redactSecretLinks } from "../../mailer/service";

let smtp: TestSmtp;
let delivered: ParsedMail[];
let t: TestApp;
let ada: Person;
let bob: Person;

beforeAll(async () => {
  smtp = await startSmtp();
  delivered = smtp.delivered;
  t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: "Blocks <calendar@blocks.test>", PUBLIC_URL: "http://blocks.test" });
  [ada, bob] = (await Promise.all(["Ada Lovelace", "Bob Stone"].map((name) => person(t, name)))) as [Person, Person];
  await business(t, ada, [[bob, "member"]], "Acme");
});
afterAll(async () => {
  t.close();
  await smtp.stop();
});

const mailsTo = (address: string) => delivered.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : "").includes(address));
const calendarPart = (mail: ParsedMail) => {
  const part = mail.attachments.find((a) => a.contentType === "text/calendar") ?? null;
  return part ? { method: String(part.contentType === "text/calendar" ? (part.headers.get("content-type") as { params?: { method?: string } })?.params?.method ?? "" : ""), text: part.content.toString("utf8") } : null;
};
const linkPath = (mail: ParsedMail) => new URL(/http:\/\/blocks\.test\/rsvp\/\S+/.exec(mail.text ?? "")![0]).pathname;
const guestPage = (path: string, init: RequestInit = {}) => t.app.request(`http://blocks.test${path}`, { ...init, headers: { origin: "http://blocks.test", ...(init.headers ?? {}) } });
const answer = (path: string, form: Record<string, string>) => guestPage(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString() });

describe("a guest invited by email", () => {
  test("gets an iMIP REQUEST and answers from its link without an account; the organizer sees it; a move asks again; taken off, the link dies", async () => {
    const calendar = ((await json(api(t, ada, "/api/calendars"), 200)).calendars as { id: string; contextType: string; isPrimary: boolean }[]).find((c) => c.contextType === "personal" && c.isPrimary)!;
    const event = (await json(api(t, ada, `/api/calendars/${calendar.id}/events`, { method: "POST", json: { title: "Launch party", start: "2027-05-20T18:00", end: "2027-05-20T21:00", timeZone: "Europe/Berlin", location: "Rooftop", attendees: [bob.id], guests: [{ email: "Gia@Outside.example", name: "Gia" }] } }), 201)).event;
    expect(event.guests).toEqual([{ id: expect.any(String), name: "Gia", email: "gia@outside.example", status: "needs-action", comment: null, occurrenceAnswers: {} }]);

    const [invitation] = mailsTo("gia@outside.example");
    expect(invitation!.subject).toBe("Invitation: Launch party (2027-05-20 18:00 (Europe/Berlin))");
    const part = calendarPart(invitation!)!;
    expect(part.method).toBe("REQUEST");
    const vevent = new ICAL.Component(ICAL.parse(part.text)).getFirstSubcomponent("vevent")!;
    expect(new ICAL.Component(ICAL.parse(part.text)).getFirstPropertyValue("method")).toBe("REQUEST");
    expect(String(vevent.getFirstPropertyValue("organizer"))).toBe(`mailto:${ada.email}`);
    const attendeeProp = vevent.getFirstProperty("attendee")!;
    expect([String(attendeeProp.getFirstValue()), attendeeProp.getParameter("partstat"), attendeeProp.getParameter("rsvp")]).toEqual(["mailto:gia@outside.example", "NEEDS-ACTION", "TRUE"]);
    expect(vevent.getAllProperties("attendee").length).toBe(1); // other people's addresses are not given away

    // The link answers without a session; other sites it links to get the origin alone, never the path.
    const path = linkPath(invitation!);
    const shown = await guestPage(path);
    expect(shown.status).toBe(200);
    expect(shown.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(shown.headers.get("cache-control")).toBe("no-store");
    expect(await shown.text()).toContain("Launch party");
    const answered = await answer(path, { status: "accepted", comment: "Bringing a friend?" });
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain("your answer “Going” is saved");

    const organizer = (await json(api(t, ada, `/api/events/${event.id}`), 200)).event;
    expect(organizer.guests[0]).toMatchObject({ email: "gia@outside.example", status: "accepted", comment: "Bringing a friend?" });
    // An attendee who may not change the event sees the guest's name and answer, not the address.
    const asBob = (await json(api(t, bob, `/api/events/${event.id}`), 200)).event;
    expect(asBob.guests[0]).toEqual({ id: expect.any(String), name: "Gia", status: "accepted", comment: "Bringing a friend?", occurrenceAnswers: {} });
    const told = await t.deps.db.select().from(notifications).where(eq(notifications.userId, ada.id));
    expect(told.map((n) => n.title)).toContain("Gia accepted “Launch party”");

    // A forged link (the right guest, a wrong signature) is the same as none.
    const forged = path.replace(/\.[A-Za-z0-9_-]+$/, ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    expect((await guestPage(forged)).status).toBe(404);
    expect((await answer(forged, { status: "declined" })).status).toBe(404);
    expect((await answer(path, { status: "maybe" })).status).toBe(400);

    // Moved: the event again (SEQUENCE up), the answer asked again.
    await json(api(t, ada, `/api/events/${event.id}`, { method: "PATCH", json: { start: "2027-05-21T18:00", end: "2027-05-21T21:00" } }), 200);
    const update = mailsTo("gia@outside.example")[1]!;
    expect(update.subject).toStartWith("Updated invitation: Launch party");
    expect(calendarPart(update)!.text).toContain("SEQUENCE:1");
    expect((await json(api(t, ada, `/api/events/${event.id}`), 200)).event.guests[0].status).toBe("needs-action");

    // Taken off: METHOD:CANCEL, and the link no longer works.
    await json(api(t, ada, `/api/events/${event.id}`, { method: "PATCH", json: { guests: [] } }), 200);
    const cancel = mailsTo("gia@outside.example")[2]!;
    expect(calendarPart(cancel)!.method).toBe("CANCEL");
    expect(calendarPart(cancel)!.text).toContain("STATUS:CANCELLED");
    expect((await guestPage(path)).status).toBe(404);

    // Whoever reads the outbox does not get the link.
    const [stored] = await t.deps.db.select().from(outbox).where(eq(outbox.toAddress, "gia@outside.example")).limit(1);
    expect(stored!.calendarMethod).toBe("REQUEST");
    expect(redactSecretLinks(stored!.textBody)).not.toContain(path.split("/").pop()!);
  });

  test("a guest of a series answers one occurrence from the link; a date that is no occurrence is refused", async () => {
    const calendar = ((await json(api(t, ada, "/api/calendars"), 200)).calendars as { id: string; contextType: string; isPrimary: boolean }[]).find((c) => c.contextType === "personal" && c.isPrimary)!;
    const event = (await json(api(t, ada, `/api/calendars/${calendar.id}/events`, { method: "POST", json: { title: "Yoga", start: "2027-05-03T18:00", end: "2027-05-03T19:00", timeZone: "UTC", rrule: "FREQ=WEEKLY;COUNT=4", guests: [{ email: "jo@outside.example", name: "Jo" }] } }), 201)).event;
    const path = linkPath(mailsTo("jo@outside.example")[0]!);
    expect((await answer(path, { status: "accepted" })).status).toBe(200);
    expect((await answer(path, { status: "declined", occurrence: "2027-05-10T18:00" })).status).toBe(200);
    const refused = await answer(path, { status: "declined", occurrence: "2027-05-11T18:00" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('<p class="field-error">This event has no such occurrence (it may have been moved or cancelled).</p>');
    const guest = (await json(api(t, ada, `/api/events/${event.id}`), 200)).event.guests[0];
    expect([guest.status, guest.occurrenceAnswers]).toEqual(["accepted", { "2027-05-10T18:00": { status: "declined" } }]);
  });

  test("cancelling the event sends METHOD:CANCEL to every guest", async () => {
    const calendar = ((await json(api(t, ada, "/api/calendars"), 200)).calendars as { id: string; contextType: string; isPrimary: boolean }[]).find((c) => c.contextType === "personal" && c.isPrimary)!;
    const event = (await json(api(t, ada, `/api/calendars/${calendar.id}/events`, { method: "POST", json: { title: "Picnic", start: "2027-06-01", end: "2027-06-02", allDay: true, guests: [{ email: "hal@outside.example" }, { email: "ivy@outside.example" }] } }), 201)).event;
    expect((await api(t, ada, `/api/events/${event.id}`, { method: "DELETE" })).status).toBe(204);
    for (const address of ["hal@outside.example", "ivy@outside.example"]) {
      const mails = mailsTo(address);
      expect(mails.map((m) => calendarPart(m)!.method)).toEqual(["REQUEST", "CANCEL"]);
      expect(calendarPart(mails[1]!)!.text).toContain("DTSTART;VALUE=DATE:20270601");
    }
  });

  test("a bad address is a 400 naming guests, and nothing is made", async () => {
    const calendar = ((await json(api(t, ada, "/api/calendars"), 200)).calendars as { id: string; contextType: string; isPrimary: boolean }[]).find((c) => c.contextType === "personal" && c.isPrimary)!;
    const refused = await json(api(t, ada, `/api/calendars/${calendar.id}/events`, { method: "POST", json: { title: "Nope", start: "2027-06-03T10:00", end: "2027-06-03T11:00", guests: [{ email: "not an address" }] } }), 400);
    expect(Object.keys(refused.error.details.fieldErrors)).toEqual(["guests"]);
  });
});
