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
});
