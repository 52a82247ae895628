import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { inArray } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../test/app";
import { users } from "../auth/schema";
import { addHouseholdMember, auditActions, household, householdRole, person, type Person, signedIn } from "../../test/people";
import { latestLink } from "../../test/mail";

let t: TestApp;
let owner: Person;
let adult: Person;
let teen: Person;
let home: string;

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: "off" });
  [owner, adult, teen] = await Promise.all([person(t, "Pat"), person(t, "Ari"), person(t, "Tess")]);
  home = await household(t, owner, "The Okafors");
  await addHouseholdMember(t, home, adult, "adult");
});
afterAll(() => t.close());

describe("/household/:id", () => {
  test("an invitation from the household page's invite form, accepted through its link, makes a teen member", async () => {
    const byAdult = await signedIn(t, adult);
    const page = await (await byAdult.request(`/household/${home}`)).text();
    expect(page).toContain(`href="/household/${home}/invitations"`);
    expect(page).not.toContain("Change role"); // adults invite; only owners change roles
    const invited = await byAdult.request(`/household/${home}/invitations`, { method: "POST", form: { text: `${teen.email}, teen` } });
    expect(invited.status).toBe(200);
    expect(await invited.text()).toContain("1 invited, 0 not");
    const link = await latestLink(t, teen.email);
    const teenBrowser = await signedIn(t, teen);
    const shown = await (await teenBrowser.request(link)).text();
    expect(shown).toContain("the household <strong>The Okafors</strong>");
    const accept = await teenBrowser.request(`${link}/accept`, { method: "POST" });
    expect(accept.headers.get("location")).toBe(`/household/${home}`);
    expect(await householdRole(t, home, teen)).toBe("teen");
    const members = await (await teenBrowser.request(`/household/${home}`)).text();
    expect(members).toContain("The Okafors");
    expect(members).toContain("Your role: teen");
    expect(members).toMatch(/Tess.*\(you\).*teen/s);
    expect(members).not.toContain("/invitations");
    // Teens may not invite, list invitations or read the outbox.
    expect((await teenBrowser.request(`/household/${home}/invitations`)).status).toBe(403);
    expect((await teenBrowser.request(`/household/${home}/invitations`, { method: "POST", form: { text: "x@example.com" } })).status).toBe(403);
    expect((await teenBrowser.request(`/household/${home}/outbox`)).status).toBe(403);
    expect((await byAdult.request(`/household/${home}/outbox`)).status).toBe(200);
    expect((await auditActions(t, home)).map((a) => a.action)).toEqual(expect.arrayContaining(["invitation.create", "invitation.accept"]));
  });

  test("the roster shows each member's Block ID with a copy button", async () => {
    const rows = await t.deps.db.select({ id: users.id, blockId: users.blockId }).from(users).where(inArray(users.id, [owner.id, adult.id]));
    expect(rows).toHaveLength(2);
    const html = await (await (await signedIn(t, adult)).request(`/household/${home}`)).text();
    for (const { blockId } of rows) {
      expect(blockId).toMatch(/^\d{1,4}-\d{3}-\d{3}-\d{6}$/);
      expect(html).toContain(`<code class="block-id-value">${blockId}</code><button type="button" class="copy-button" data-copy="${blockId}" aria-label="Copy Block ID ${blockId}" hidden="">Copy</button>`);
    }
  });

  test("owners change roles and remove members, never the last owner; others may not (403); outsiders 404", async () => {
    const browser = await signedIn(t, owner);
    const changed = await browser.request(`/household/${home}/members/${adult.id}/role`, { method: "POST", form: { role: "owner" } });
    expect(changed.status).toBe(303);
    expect(await householdRole(t, home, adult)).toBe("owner");
    expect(await (await browser.request(changed.headers.get("location")!)).text()).toContain("The role is changed.");
    // Two owners now: one may step down; then the other is the last and may not.
    expect((await browser.request(`/household/${home}/members/${owner.id}/role`, { method: "POST", form: { role: "adult" } })).status).toBe(303);
    const byNewOwner = await signedIn(t, adult);
    const refused = await byNewOwner.request(`/household/${home}/members/${adult.id}/role`, { method: "POST", form: { role: "adult" } });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("A household needs an owner");
    expect((await byNewOwner.request(`/household/${home}/members/${adult.id}/remove`, { method: "POST" })).status).toBe(409);
    expect(await householdRole(t, home, adult)).toBe("owner");
    // A former owner (now adult) may no longer change roles.
    expect((await browser.request(`/household/${home}/members/${teen.id}/role`, { method: "POST", form: { role: "child" } })).status).toBe(403);
    const bad = await byNewOwner.request(`/household/${home}/members/${teen.id}/role`, { method: "POST", form: { role: "wizard" } });
    expect(bad.status).toBe(422);
    const removed = await byNewOwner.request(`/household/${home}/members/${teen.id}/remove`, { method: "POST" });
    expect(removed.status).toBe(303);
    expect(await householdRole(t, home, teen)).toBeNull();
    const actions = (await auditActions(t, home)).map((a) => a.action);
    expect(actions.filter((a) => a === "household.member_role_change")).toHaveLength(2);
    expect(actions).toContain("household.member_remove");
    const stranger = await signedIn(t, teen);
    expect((await stranger.request(`/household/${home}`)).status).toBe(404);
    expect((await stranger.request(`/household/${home}/members/${adult.id}/remove`, { method: "POST" })).status).toBe(404);
  });
});
