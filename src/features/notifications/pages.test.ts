// The pages and fragments over real HTTP with a cookie browser: the bell and its count, the
// dropdown, /notifications (paged, mark read, mark all read, someone else's id), the settings form,
// and the page stream's `notifications` event. The JSON API is in notifications.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { writeTransaction } from "../../db/transaction";
import { notifications } from "../../schema";
import { createTestApp, type Browser, type TestApp } from "../../test/app";
import { api, person, signedIn, type Person } from "../../test/people";
import { SseReader } from "../../test/sse";
import { notify, type NotificationInput } from "./index";

let t: TestApp;
let ada: Person;
let bob: Person;
let adaBrowser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  ada = await person(t, "Ada");
  bob = await person(t, "Bob");
  adaBrowser = await signedIn(t, ada);
});
afterAll(() => t.close());

function tell(who: Person, input: Partial<NotificationInput> = {}) {
  return writeTransaction(t.deps.db, (tx) => notify(tx, t.deps, who.id, { kind: "chat.mention", title: "You were mentioned", ...input }));
}

const htmx = { "hx-request": "true" };

async function fresh(name: string) {
  const who = await person(t, name);
  return { who, browser: await signedIn(t, who) };
}

describe("the bell", () => {
  test("the shell holds a plain link to /notifications that htmx upgrades with the count, refreshed on the stream's notifications event", async () => {
    const page = await (await adaBrowser.request("/home")).text();
    expect(page).toContain('href="/notifications"');
    expect(page).toContain('hx-get="/notifications/bell"');
    expect(page).toContain('hx-trigger="load, sse:notifications, sse:resync"');
    expect(page).toContain("<details");
  });

  test("the fragment is the link with the unread count as a badge and in its label", async () => {
    const { who, browser } = await fresh("Cy");
    const bell = async () => {
      const response = await browser.request("/notifications/bell", { headers: htmx });
      expect(response.status).toBe(200);
      return response.text();
    };
    const none = await bell();
    expect(none).not.toContain("<html");
    expect(none).not.toContain('class="badge"');
    expect(none).toContain('class="bell-link"');
    for (let i = 0; i < 3; i++) await tell(who, { title: `n${i}` });
    const three = await bell();
    expect(three).toContain('<span class="badge">3<span class="visually-hidden"> unread</span></span>');

    expect(three).toContain('href="/notifications"');
    await api(t, who, "/api/notifications/read-all", { method: "POST" });
    expect(await bell()).not.toContain('class="badge"');
  });

  test("the page stream sends an event named notifications when a notification is made and when one is read", async () => {
    const { who, browser } = await fresh("Dee");
    // A page's stream, opened with the browser's session cookie (the same way with a Bearer token).
    const response = await browser.request("/events");
    expect(response.status).toBe(200);
    const reader = new SseReader(response);
    const id = await tell(who, { title: "live" });
    const made = await reader.until((m) => m.event === "notifications");
    expect(made.at(-1)!.data).toBe("");
    expect((await api(t, who, `/api/notifications/${id}/read`, { method: "POST" })).status).toBe(200);
    await reader.until((m) => m.event === "notifications");
    // Someone else's notification sends nothing to this page.
    await tell(bob, { title: "not for Dee" });
    expect((await reader.drain(300)).filter((m) => m.event === "notifications")).toEqual([]);
    await reader.close();

    const bearer = new SseReader(await t.app.request("/events", { headers: { authorization: `Bearer ${who.token}` } }));
    await tell(who, { title: "again" });
    await bearer.until((m) => m.event === "notifications");
    await bearer.close();
  });

  test("the dropdown shows the latest 10 with Mark all read; as a page without htmx it works too", async () => {
    const { who, browser } = await fresh("Eli");
    for (let i = 0; i < 12; i++) await tell(who, { title: `item ${i}` });
    const fragment = await (await browser.request("/notifications/menu", { headers: htmx })).text();
    expect(fragment).not.toContain("<html");
    expect(fragment.match(/class="notification unread"/g)?.length).toBe(10);
    expect(fragment).toContain('action="/notifications/read-all"');
    expect(fragment).toContain('name="view" value="menu"');
    // Mark all read from the dropdown answers htmx with the dropdown again, nothing unread.
    const marked = await browser.request("/notifications/read-all", { method: "POST", headers: htmx, form: { view: "menu" } });
    expect(marked.status).toBe(200);
    const after = await marked.text();
    expect(after).toContain("notification-menu-content");
    expect(after).not.toContain("notification unread");
    const page = await browser.request("/notifications/menu");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
  });
});

describe("/notifications", () => {
  test("lists the user's notifications newest first, 20 a page, with an Older link; htmx gets the list region only", async () => {
    const { who, browser } = await fresh("Fay");
    for (let i = 0; i < 23; i++) {
      t.advance(1000);
      await tell(who, { title: `note ${i}`, url: `/chat/c${i}` });
    }
    const first = await (await browser.request("/notifications")).text();
    expect(first).toContain("<html");
    expect(first).toContain("note 22");
    expect(first).not.toContain("note 2<");
    expect(first).toContain('href="/chat/c22"');
    expect(first.match(/action="\/notifications\/[^"/]+\/read"/g)?.length).toBe(20);
    const older = /href="(\/notifications\?cursor=[^"]+)"/.exec(first)?.[1];
    expect(older).toBeString();
    const second = await browser.request(older!.replaceAll("&amp;", "&"), { headers: htmx });
    const region = await second.text();
    expect(region).not.toContain("<html");
    expect(region).toContain('id="notification-list"');
    expect(region.match(/class="notification unread"/g)?.length).toBe(3);
    expect(region).toContain("note 0");
    expect(region).not.toContain("note 3<");
    expect(region).toContain("Newest");
    // Marking one read on the older page goes back to that page; a damaged cursor in the form is a 400.
    const cursor = decodeURIComponent(older!.split("cursor=")[1]!);
    const id = /action="\/notifications\/([^"/]+)\/read"/.exec(region)![1]!;
    const back = await browser.request(`/notifications/${id}/read`, { method: "POST", form: { cursor } });
    expect(back.status).toBe(303);
    expect(back.headers.get("location")).toBe(`/notifications?cursor=${encodeURIComponent(cursor)}`);
    expect((await browser.request(`/notifications/${id}/read`, { method: "POST", form: { cursor: "not a cursor" } })).status).toBe(400);
  });

  test("Mark read: a plain form goes back to the page it was on, htmx gets the list region; someone else's id is a 404", async () => {
    const { who, browser } = await fresh("Gil");
    const id = await tell(who, { title: "read me" });
    const other = await tell(who, { title: "and me" });
    const plain = await browser.request(`/notifications/${id}/read`, { method: "POST", form: {} });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe("/notifications");
    const [row] = await t.deps.db.select().from(notifications).where(eq(notifications.id, id!));
    expect(row!.readAt).not.toBeNull();

    const swapped = await browser.request(`/notifications/${other}/read`, { method: "POST", headers: htmx, form: { view: "page" } });
    expect(swapped.status).toBe(200);
    const region = await swapped.text();
    expect(region).toContain('id="notification-list"');
    expect(region).toContain("Nothing unread.");

    const bobs = await tell(bob, { title: "Bob's" });
    const foreign = await browser.request(`/notifications/${bobs}/read`, { method: "POST", form: {} });
    expect(foreign.status).toBe(404);
    const missing = await browser.request("/notifications/nosuchid/read", { method: "POST", form: {} });
    expect(missing.status).toBe(404);
    const [bobRow] = await t.deps.db.select().from(notifications).where(eq(notifications.id, bobs!));
    expect(bobRow!.readAt).toBeNull();
  });

  test("Mark all read marks only the user's own", async () => {
    const { who, browser } = await fresh("Hal");
    await tell(who, { title: "a" });
    await tell(who, { title: "b" });
    const bobs = await tell(bob, { title: "Bob's other" });
    const response = await browser.request("/notifications/read-all", { method: "POST", form: {} });
    expect(response.status).toBe(303);
    const rows = await t.deps.db.select().from(notifications).where(eq(notifications.userId, who.id));
    expect(rows.every((r) => r.readAt !== null)).toBe(true);
    const [bobRow] = await t.deps.db.select().from(notifications).where(eq(notifications.id, bobs!));
    expect(bobRow!.readAt).toBeNull();
  });

  test("a damaged cursor is a 400 page, not a 500; titles are escaped", async () => {
    const { who, browser } = await fresh("Ivy");
    expect((await browser.request("/notifications?cursor=%%%")).status).toBe(400);
    expect((await browser.request("/notifications?limit=0")).status).toBe(400);
    await tell(who, { title: "<script>alert(1)</script>", body: "<img src=x onerror=alert(1)>" });
    const page = await (await browser.request("/notifications")).text();
    expect(page).not.toContain("<script>alert(1)</script>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<img src=x");
  });

  test("signed out, the pages send you to sign in and the fragments are refused", async () => {
    const response = await t.app.request("/notifications");
    expect([302, 303, 401]).toContain(response.status);
    expect((await t.app.request("/notifications/bell", { headers: htmx })).status).not.toBe(200);
  });
});

describe("/notifications/settings", () => {
  test("one select per kind; a valid post saves, a bad one shows the error beside its field", async () => {
    const { who, browser } = await fresh("Jon");
    const page = await (await browser.request("/notifications/settings")).text();
    for (const label of ["Mentions", "Direct messages", "Invitations", "Membership changes", "Data exports", "Event invitations and changes", "Answers to your events", "Answers waiting for a guardian", "Event reminders"]) expect(page).toContain(label);
    expect(page.match(/<select/g)?.length).toBe(13);
    expect(page).toContain("Email too");

    const saved = await browser.request("/notifications/settings", { method: "POST", form: { "chat.mention": "off", "chat.direct": "app", invitation: "email", members: "email" } });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/notifications/settings?saved=1");
    const prefs = (await (await api(t, who, "/api/notifications/preferences")).json()) as { preferences: Record<string, string> };
    expect(prefs.preferences).toEqual({ "chat.mention": "off", "chat.direct": "app", invitation: "email", members: "email", "privacy.export": "app", "calendar.invitation": "email", "calendar.rsvp": "app", "calendar.approval": "email", "calendar.reminder": "app", "modules.review": "email", "modules.update": "app", "modules.message": "app", "billing.payment": "email" });

    const refused = await browser.request("/notifications/settings", { method: "POST", headers: htmx, form: { "chat.mention": "app", invitation: "carrier-pigeon" } });
    expect(refused.status).toBe(422);
    const form = await refused.text();
    expect(form).toContain('id="notification-preference-invitation-error"');
    expect(form).toContain("Choose In app, Email too or Off.");
    expect(form).toContain('aria-invalid="true"');
    // Nothing of the refused post is kept.
    const after = (await (await api(t, who, "/api/notifications/preferences")).json()) as { preferences: Record<string, string> };
    expect(after.preferences["chat.mention"]).toBe("off");

    const htmxSaved = await browser.request("/notifications/settings", { method: "POST", headers: htmx, form: { members: "off" } });
    expect(htmxSaved.status).toBe(200);
    expect(await htmxSaved.text()).toContain("saved");
  });
});
