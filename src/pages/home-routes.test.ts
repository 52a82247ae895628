// /home: one card per context, each card's parts asked of the feature that owns them.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../test/app";
import { addHouseholdMember, api, business, household, person, type Person, signedIn, unit } from "../test/people";

let t: TestApp;
let ada: Person;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: "off" });
  ada = await person(t, "Ada");
});
afterAll(() => t.close());

describe("/home", () => {
  test("shows one card per context with what it holds; an institution says classes and departments", async () => {
    const bob = await person(t, "Bob");
    const acme = await business(t, ada, [[bob, "member"]], "Acme Ltd");
    await unit(t, ada, acme, "department", "Sales");
    const school = await api(t, ada, "/api/businesses", { method: "POST", json: { name: "Secret School", kind: "institution" } });
    expect(school.status).toBe(201);
    const home = await household(t, ada, "The Adas");
    await addHouseholdMember(t, home, bob, "adult");
    const theirs = await business(t, bob, [], "Bob's Bakery");
    expect((await api(t, bob, `/api/businesses/${theirs}/members/invitations`, { method: "POST", json: { text: `${ada.email}, manager` } })).status).toBe(201);

    const html = await (await (await signedIn(t, ada)).request("/home")).text();
    expect(html).toContain("Welcome, Ada");
    expect(html.match(/class="card context-card/g)!.length).toBe(1 + 3);
    expect(html).toContain("Classes and departments");
    expect(html).toContain("Institution");
    // Acme: two members and one department; the household: two members.
    expect(html).toMatch(/Acme Ltd<\/a><\/h2><p class="muted">Your role: owner<\/p><dl class="summary"><div><dt>Members<\/dt><dd>2<\/dd><\/div><div><dt>Departments<\/dt><dd>1<\/dd>/);
    expect(html).toMatch(/The Adas<\/a><\/h2><p class="muted">Your role: owner<\/p><dl class="summary"><div><dt>Members<\/dt><dd>2<\/dd>/);
    // Personal: the invitation waiting for Ada's address, linking to its page.
    expect(html).toContain("Invitation from Bob to join Bob&#39;s Bakery as manager");
    expect(html).toMatch(/href="\/invitations\/received\/[a-z0-9]+"/);
  });

  test("each card lists today's and tomorrow's events of its context's calendars, in the person's zone", async () => {
    const zone = "Pacific/Auckland";
    expect((await api(t, ada, "/api/calendar/settings", { method: "PUT", json: { timeZone: zone } })).status).toBe(200);
    const day = (offset: number) => new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(t.deps.now() + offset * 86_400_000);
    const acme = await business(t, ada, [], "Cards Inc");
    const calendars = ((await (await api(t, ada, "/api/calendars")).json()) as { calendars: { id: string; contextType: string; contextId: string; isPrimary: boolean }[] }).calendars;
    const personal = calendars.find((c) => c.contextType === "personal")!.id;
    const work = calendars.find((c) => c.contextId === acme)!.id;
    const add = async (calendarId: string, title: string, date: string, time: string) =>
      expect((await api(t, ada, `/api/calendars/${calendarId}/events`, { method: "POST", json: { title, start: `${date}T${time}`, end: `${date}T${time.replace(/^(\d\d)/, (h) => String(Number(h) + 1).padStart(2, "0"))}`, timeZone: zone } })).status).toBe(201);
    await add(personal, "Dentist", day(0), "08:00");
    await add(work, "Board meeting", day(1), "10:00");
    await add(work, "Far away", day(3), "10:00");
    const html = await (await (await signedIn(t, ada)).request("/home")).text();
    const card = (name: string) => html.slice(html.indexOf(`>${name}</a></h2>`), html.indexOf("</li></ul>", html.indexOf(`>${name}</a></h2>`)) + 1);
    expect(card("Personal")).toMatch(/<h3>Today<\/h3><ul><li><span class="cal-chip-time">08:00<\/span> <a href="\/calendar\/events\/[^"]+">Dentist<\/a>/);
    expect(card("Cards Inc")).toMatch(/<h3>Today<\/h3><p class="muted">Nothing planned.<\/p><h3>Tomorrow<\/h3><ul><li><span class="cal-chip-time">10:00<\/span> <a[^>]*>Board meeting<\/a>/);
    expect(html).not.toContain("Far away");
  });
});
