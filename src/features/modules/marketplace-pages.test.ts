// The marketplace pages as a browser without JavaScript uses them (plain links and forms), and the htmx fragment
// of the results: browse and filter, a module's page in plain words, consent to exactly what it asks, install into a
// space one manages (and not into one one does not), a new version's added access marked, uninstall.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../../test/app";
import { business, json, person, signedIn, type Person } from "../../test/people";
import { platformAdmin, poster } from "./modules.fixture";

let t: TestApp;
let admin: Person;
let dev: Person;
let owner: Person;
let member: Person;
let acme: string;
let boardId: string;

const post = poster(() => t);

async function publish(slug: string, name: string, category: string, contexts: string[], scopes: string[], pricing: unknown = { model: "free" }) {
  const made = await json(post(dev, "/api/developer/modules", { slug, name, description: `${name} for teams.`, category, contexts, icon: "🧩" }), 201);
  await json(post(dev, `/api/developer/modules/${made.module.id}/versions`, { version: "1.0.0", manifest: { entryUrl: `https://${slug}.example.com/`, scopes, pricing } }), 201);
  await json(post(admin, `/api/admin/modules/${made.module.id}/versions/1.0.0/approve`), 200);
  return made.module.id as string;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await platformAdmin(t);
  [dev, owner, member] = (await Promise.all(["Dana Dev", "Olive Owner", "Mo Member"].map((n) => person(t, n)))) as [Person, Person, Person];
  acme = await business(t, owner, [[member, "member"]], "Acme");
  await post(dev, "/api/developer");
  boardId = await publish("board", "Task Board", "productivity", ["business", "personal"], ["context.read", "calendar.write"]);
  await publish("budget", "Family Budget", "finance", ["household"], [], { model: "per_context", monthlyAmount: 499, currency: "eur" });
});
afterAll(() => t.close());

describe("browsing", () => {
  test("search and filters, as a page and as the results fragment", async () => {
    const browser = await signedIn(t, member);
    const page = await (await browser.request("/marketplace")).text();
    expect(page).toContain("<!doctype html>");
    expect(page).toContain('href="/marketplace/board"');
    expect(page).toContain('href="/marketplace/budget"');
    const filtered = await (await browser.request("/marketplace?context=household")).text();
    expect(filtered).not.toContain('href="/marketplace/board"');
    expect(filtered).toContain('href="/marketplace/budget"');
    const fragment = await (await browser.request("/marketplace?q=task&category=productivity", { headers: { "hx-request": "true" } })).text();
    expect(fragment.startsWith('<div id="marketplace-results">')).toBe(true);
    expect(fragment).toContain("Task Board");
    expect(fragment).not.toContain("Family Budget");
    expect(await (await browser.request("/marketplace?q=%25%25")).text()).toContain("No modules match.");
  });

  test("a module's page: what it may do in plain words, its developer, price and versions; where one may install it", async () => {
    const asMember = await (await (await signedIn(t, member)).request("/marketplace/board")).text();
    expect(asMember).toContain("Add and change events in that space&#39;s calendars, as you");
    expect(asMember).toContain("Dana Dev");
    expect(asMember).toContain("Free.");
    expect(asMember).toContain("Your personal space");
    expect(asMember).not.toContain("<strong>Acme</strong>"); // a plain member does not manage Acme
    const asOwner = await (await (await signedIn(t, owner)).request("/marketplace/board")).text();
    expect(asOwner).toContain("<strong>Acme</strong>");
    expect(asOwner).toContain(`/marketplace/board/install?context=business%3A${acme}`);
    expect(await (await (await signedIn(t, owner)).request("/marketplace/budget")).text()).toContain("€4.99 a month per space.");
    expect((await (await signedIn(t, owner)).request("/marketplace/nothing-here")).status).toBe(404);
  });
});

describe("installing from the pages", () => {
  test("consent grants exactly what is asked; the post lands in the module's tab; a tampered form is refused beside it", async () => {
    const browser = await signedIn(t, owner);
    const consent = await (await browser.request(`/marketplace/board/install?context=business%3A${acme}`)).text();
    expect(consent).toContain("Install Task Board 1.0.0 in Acme?");
    expect(consent).toContain('name="scopes" value="context.read"');
    expect(consent).toContain('name="scopes" value="calendar.write"');
    // A member cannot even see the consent for Acme.
    expect((await (await signedIn(t, member)).request(`/marketplace/board/install?context=business%3A${acme}`)).status).toBe(404);
    const tampered = await browser.request("/marketplace/board/install", { method: "POST", body: new URLSearchParams([["context", `business:${acme}`], ["scopes", "context.read"]]), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain("Grant exactly the scopes this version asks for");
    const done = await browser.request("/marketplace/board/install", { method: "POST", body: new URLSearchParams([["context", `business:${acme}`], ["scopes", "context.read"], ["scopes", "calendar.write"]]), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`/business/${acme}/workspace/m/${boardId}`);
    expect(await (await browser.request("/marketplace/board")).text()).toContain("installed (1.0.0)");
  });

  test("a version asking for more is marked on the consent screen; uninstalling from the page", async () => {
    await json(post(dev, `/api/developer/modules/${boardId}/versions`, { version: "1.1.0", manifest: { entryUrl: "https://board.example.com/", scopes: ["context.read", "calendar.write", "members.read"] } }), 201);
    await json(post(admin, `/api/admin/modules/${boardId}/versions/1.1.0/approve`), 200);
    const browser = await signedIn(t, owner);
    const page = await (await browser.request("/marketplace/board")).text();
    expect(page).toContain("installed (1.0.0)");
    expect(page).toContain("Review 1.1.0&#39;s new access");
    // The install count and the version history, newest first.
    expect(page).toMatch(/<dt>Used in<\/dt><dd>1 space<\/dd>/);
    expect(page).toMatch(/<ul class="module-versions"><li>1\.1\.0 <span class="muted">approved \d{4}-\d{2}-\d{2}<\/span><\/li><li>1\.0\.0 /);
    const consent = await (await browser.request(`/marketplace/board/install?context=business%3A${acme}`)).text();
    expect(consent).toMatch(/See the members of that space[^<]*<strong> \(new\)<\/strong>/);
    expect(consent).not.toMatch(/See the name and kind[^<]*<strong> \(new\)/);
    const gone = await browser.request("/marketplace/board/uninstall", { method: "POST", form: { context: `business:${acme}` } });
    expect(gone.status).toBe(303);
    expect(await (await browser.request(gone.headers.get("location")!)).text()).toContain("Uninstalled.");
    expect((await browser.request(`/business/${acme}/workspace/m/${boardId}`)).status).toBe(404);
  });
});
