// The developer portal and the admin review as plain forms: become a developer, make a module, submit a version
// (a refused manifest shown beside its fields), see the review, installs per day and webhook deliveries; platform
// admins approve, reject with a reason, suspend and lift it — nobody else reaches those pages.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type Browser, type TestApp } from "../../test/app";
import { api, json, person, signedIn, type Person } from "../../test/people";
import { platformAdmin } from "./modules.fixture";

let t: TestApp;
let admin: Person;
let dev: Person;
let other: Person;
let devBrowser: Browser;
let adminBrowser: Browser;
let moduleId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await platformAdmin(t);
  [dev, other] = (await Promise.all(["Dana Dev", "Otto Other"].map((n) => person(t, n)))) as [Person, Person];
  devBrowser = await signedIn(t, dev);
  adminBrowser = await signedIn(t, admin);
});
afterAll(() => t.close());

const form = (entries: [string, string][]) => ({ method: "POST", body: new URLSearchParams(entries), headers: { "content-type": "application/x-www-form-urlencoded" } });

describe("the developer portal", () => {
  test("become a developer, then make a module (errors beside the fields)", async () => {
    expect(await (await devBrowser.request("/developers")).text()).toContain("Become a developer");
    expect((await devBrowser.request("/developers/join", { method: "POST" })).status).toBe(303);
    const refused = await devBrowser.request("/developers/modules", form([["slug", "X"], ["name", ""], ["description", "d"], ["category", "productivity"]]));
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('id="nm-slug-error"');
    expect(html).toContain('id="nm-name-error"');
    expect(html).toContain("Name at least one kind of space.");
    const made = await devBrowser.request("/developers/modules", form([["slug", "notes"], ["name", "Team Notes"], ["description", "Shared notes."], ["category", "productivity"], ["contexts", "business"], ["contexts", "personal"]]));
    expect(made.status).toBe(303);
    moduleId = /\/developers\/modules\/([^?]+)/.exec(made.headers.get("location")!)![1]!;
    const page = await (await devBrowser.request(made.headers.get("location")!)).text();
    expect(page).toContain("Module created.");
    expect(page).toMatch(/<code>whsec_[a-z0-9]+<\/code>/);
    expect(page).toContain("New installs per day, last 30 days");
    // Someone else's module is not theirs to see.
    expect((await (await signedIn(t, other)).request(`/developers/modules/${moduleId}`)).status).toBe(404);
  });

  test("submit a version: a refused manifest beside its fields, then pending review", async () => {
    const refused = await devBrowser.request(`/developers/modules/${moduleId}/versions`, form([["version", "1.0.0"], ["manifest.entryUrl", "javascript:alert(1)"], ["scopes", "context.read"], ["pricing", "per_seat"], ["manifest.pricing.monthlyAmount", "0.10"], ["currency", "usd"]]));
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('id="nv-manifest.entryUrl-error"');
    expect(html).toContain("At least 1.00 a month.");
    expect(html).toContain('value="javascript:alert(1)"'); // what was sent, kept to correct
    const done = await devBrowser.request(`/developers/modules/${moduleId}/versions`, form([["version", "1.0.0"], ["manifest.entryUrl", "https://notes.example.com/app"], ["scopes", "context.read"], ["bridge", "ready"], ["bridge", "getToken"], ["pricing", "per_context"], ["manifest.pricing.monthlyAmount", "4.99"], ["currency", "eur"]]));
    expect(done.status).toBe(303);
    const page = await (await devBrowser.request(done.headers.get("location")!)).text();
    expect(page).toContain("Version submitted for review.");
    expect(page).toMatch(/<td>1\.0\.0<\/td><td>pending/);
    const stored = await json(api(t, dev, `/api/developer/modules/${moduleId}`), 200);
    expect(stored.versions[0].manifest).toEqual({ entryUrl: "https://notes.example.com/app", scopes: ["context.read"], bridge: ["ready", "getToken"], webhookUrl: null, pricing: { model: "per_context", monthlyAmount: 499, currency: "eur" } });
  });
});

describe("the admin review", () => {
  test("only platform admins reach it", async () => {
    expect((await devBrowser.request("/admin-portal/modules")).status).toBe(403);
    expect((await devBrowser.request(`/admin-portal/modules/${moduleId}/versions/1.0.0/approve`, { method: "POST" })).status).toBe(403);
    const page = await (await adminBrowser.request("/admin-portal/modules")).text();
    expect(page).toContain("Team Notes 1.0.0");
    expect(page).toContain("https://notes.example.com/app");
    expect(page).toContain("€4.99 a month per space.");
  });

  test("reject with a reason (required), approve the next, suspend and lift it", async () => {
    const noReason = await adminBrowser.request(`/admin-portal/modules/${moduleId}/versions/1.0.0/reject`, form([["reason", " "]]));
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Give a reason.");
    expect((await adminBrowser.request(`/admin-portal/modules/${moduleId}/versions/1.0.0/reject`, form([["reason", "The entry page is blank."]]))).status).toBe(303);
    expect(await (await devBrowser.request(`/developers/modules/${moduleId}`)).text()).toContain("The entry page is blank.");
    await json(api(t, dev, `/api/developer/modules/${moduleId}/versions`, { method: "POST", json: { version: "1.0.1", manifest: { entryUrl: "https://notes.example.com/app" } } }), 201);
    const approved = await adminBrowser.request(`/admin-portal/modules/${moduleId}/versions/1.0.1/approve`, { method: "POST" });
    expect(approved.headers.get("location")).toBe("/admin-portal/modules?done=approved");
    expect(await (await adminBrowser.request("/marketplace")).text()).toContain("Team Notes");
    expect((await adminBrowser.request(`/admin-portal/modules/${moduleId}/suspend`, form([["reason", "Reported for spam."]]))).status).toBe(303);
    expect(await (await devBrowser.request(`/developers/modules/${moduleId}`)).text()).toContain("Suspended: Reported for spam.");
    expect(await (await adminBrowser.request("/marketplace")).text()).not.toContain("Team Notes");
    expect((await adminBrowser.request(`/admin-portal/modules/${moduleId}/unsuspend`, { method: "POST" })).status).toBe(303);
    expect(await (await adminBrowser.request("/marketplace")).text()).toContain("Team Notes");
  });
});
