// Invitations in headless Chromium (issue 13): Ada invites Bob; his bell counts it live; he opens it from the
// notification menu, answers "Going" in the event's page, and Ada's open page of the event shows his answer live.
// Then a calendar shared as free/busy only shows Bob a busy block with nothing behind it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { apiCall, confirmedAccount, livePage, signInAs, startE2E, streamOpen, type E2E } from "./support";

const TIMEOUT = 120_000;

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

test(
  "an invitation answered from its notification reaches the organizer's page live; a free/busy share shows only busy",
  async () => {
    const ada = await confirmedAccount(e2e, "Ada Organizer", "ada.rsvp@example.com");
    const bob = await confirmedAccount(e2e, "Bob Invitee", "bob.rsvp@example.com");
    const { business } = await apiCall(e2e, "/api/businesses", { json: { name: "Rsvp Ltd", kind: "company" }, token: ada.bearer });
    await e2e.database.execute({ sql: "insert into business_members (business_id, user_id, role, joined_at) values (?, ?, 'member', ?)", args: [business.id, bob.id, Date.now()] });
    const { calendars } = await apiCall(e2e, "/api/calendars", { method: "GET", token: ada.bearer });
    const personal = calendars.find((c: { contextType: string; isPrimary: boolean }) => c.contextType === "personal" && c.isPrimary);

    const bobSide = await livePage(e2e);
    await signInAs(bobSide.page, bob.email);
    await bobSide.page.goto("/calendar?view=week&date=2027-06-07");
    await streamOpen(bobSide.page);

    const { event } = await apiCall(e2e, `/api/calendars/${personal.id}/events`, { json: { title: "Sprint review", start: "2027-06-08T10:00", end: "2027-06-08T11:00", timeZone: "UTC", attendees: [bob.id] }, token: ada.bearer });
    const adaSide = await livePage(e2e);
    await signInAs(adaSide.page, ada.email);
    await adaSide.page.goto(`/calendar/events/${event.id}`);
    await streamOpen(adaSide.page);
    await adaSide.page.getByText("Bob Invitee — not answered").waitFor();

    // Bob: the bell counts the invitation without a reload, and the event is on his week (Ada's calendar he cannot see).
    await bobSide.page.locator("#notification-count").getByText("1").waitFor();
    await bobSide.page.locator('.cal-ev:has-text("Sprint review")').waitFor();
    await bobSide.page.locator(".notification-menu summary").click();
    await bobSide.page.getByText("Ada Organizer invited you to “Sprint review”").click();
    await bobSide.page.waitForURL(`**/calendar/events/${event.id}**`);
    await bobSide.page.getByRole("button", { name: "Going", exact: true }).click();
    await bobSide.page.getByText("Answer saved.").waitFor();

    // Ada's page follows, live.
    await adaSide.page.getByText("Bob Invitee — going").waitFor();

    // Free/busy only: Bob sees a busy block, never the title.
    await apiCall(e2e, `/api/calendars/${personal.id}/events`, { json: { title: "Secret interview", start: "2027-06-09T14:00", end: "2027-06-09T15:00", timeZone: "UTC" }, token: ada.bearer });
    await apiCall(e2e, `/api/calendars/${personal.id}/shares/${bob.id}`, { method: "PUT", json: { access: "freebusy" }, token: ada.bearer });
    await bobSide.page.goto("/calendar?view=week&date=2027-06-07");
    const busy = bobSide.page.locator('.cal-col[data-date="2027-06-09"] .cal-ev.busy');
    await busy.first().waitFor();
    expect(await bobSide.page.locator('.cal-col[data-date="2027-06-09"]').textContent()).not.toContain("Secret");
    expect(await busy.first().textContent()).toContain("Busy");

    expect(bobSide.errors).toEqual([]);
    expect(adaSide.errors).toEqual([]);
    await bobSide.context.close();
    await adaSide.context.close();
    expect(e2e.serverErrors()).toEqual([]);
  },
  TIMEOUT,
);
