import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { auditEvents } from "../../schema";
import { bearerRequest, createTestApp, loginToken, registerUser, signedInBrowser, type TestApp } from "../../test/app";

let t: TestApp;
let ada: string;
let bob: string;
beforeAll(async () => {
  t = await createTestApp();
  await registerUser(t.app, "ada@example.com", "Ada");
  await registerUser(t.app, "bob@example.com", "Bob");
  ada = await loginToken(t.app, "ada@example.com");
  bob = await loginToken(t.app, "bob@example.com");
});
afterAll(() => t.close());

const api = (token: string, path: string, init: { method?: string; json?: unknown } = {}) => bearerRequest(t.app, token, path, init);
const signedIn = (email: string) => signedInBrowser(t.app, email);

describe("businesses API", () => {
  test("POST creates a business with the caller as owner; GET lists only the caller's", async () => {
    const created = await api(ada, "/api/businesses", { method: "POST", json: { name: "Acme Ltd", kind: "company" } });
    expect(created.status).toBe(201);
    const { business } = (await created.json()) as { business: { id: string; name: string; kind: string; role: string } };
    expect(business).toMatchObject({ name: "Acme Ltd", kind: "company", role: "owner" });
    const mine = (await (await api(ada, "/api/businesses")).json()) as { businesses: { id: string }[] };
    expect(mine.businesses.map((b) => b.id)).toEqual([business.id]);
    const theirs = (await (await api(bob, "/api/businesses")).json()) as { businesses: unknown[] };
    expect(theirs.businesses).toEqual([]);
    const audit = await t.deps.db.select().from(auditEvents);
    expect(audit.some((e) => e.action === "business.create" && e.targetId === business.id)).toBe(true);
  });

  test("a business the caller does not belong to answers 404, exactly like one that does not exist", async () => {
    const { business } = (await (await api(ada, "/api/businesses", { method: "POST", json: { name: "Secret Co", kind: "institution" } })).json()) as { business: { id: string } };
    const foreign = await api(bob, `/api/businesses/${business.id}`);
    const missing = await api(bob, "/api/businesses/doesnotexist00000000");
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await foreign.json()).toEqual(await missing.json());
    expect((await api(ada, `/api/businesses/${business.id}`)).status).toBe(200);
  });

  test("bad input is a 400 with field details; no session is a 401", async () => {
    const bad = await api(ada, "/api/businesses", { method: "POST", json: { name: "x", kind: "guild" } });
    expect(bad.status).toBe(400);
    const details = ((await bad.json()) as { error: { details: { fieldErrors: Record<string, unknown> } } }).error.details.fieldErrors;
    expect(Object.keys(details).sort()).toEqual(["kind", "name"]);
    expect((await t.app.request("/api/businesses")).status).toBe(401);
  });
});

describe("contexts", () => {
  test("the header lists Personal, each business and each household, and remembers the chosen one", async () => {
    const browser = await signedIn("bob@example.com");
    const created = await browser.request("/businesses/new", { method: "POST", form: { name: "Bob's Bakery", kind: "company", description: "Bread" } });
    expect(created.status).toBe(303);
    const workspace = created.headers.get("location")!;
    expect(workspace).toMatch(/^\/business\/[a-z0-9]+\/workspace$/);
    const household = await browser.request("/households/new", { method: "POST", form: { name: "The Bobs" } });
    expect(household.status).toBe(303);

    const home = await (await browser.request("/home")).text();
    expect(home.match(/<header/g)).toHaveLength(1);
    for (const label of ["Personal", "Bob&#39;s Bakery", "The Bobs"]) expect(home).toContain(label);
    // The household was created last, so it is the active context now.
    expect(home).toMatch(/<summary><span class="visually-hidden">Switch context: <\/span><span class="context-kind kind-household">Household<\/span><span class="context-name">The Bobs<\/span>/);

    const switched = await browser.request("/contexts/switch", { method: "POST", form: { context: "personal" } });
    expect(switched.status).toBe(303);
    expect(switched.headers.get("location")).toBe("/home");
    expect(await (await browser.request("/home")).text()).toMatch(/<summary><span class="visually-hidden">Switch context: <\/span><span class="context-kind kind-personal">Personal<\/span><span class="context-name">Personal<\/span>/);
  });

  test("switching to a context one does not belong to is a 404 and changes nothing", async () => {
    const { business } = (await (await api(ada, "/api/businesses", { method: "POST", json: { name: "Ada Only", kind: "company" } })).json()) as { business: { id: string } };
    const browser = await signedIn("bob@example.com");
    const response = await browser.request("/contexts/switch", { method: "POST", form: { context: `business:${business.id}` } });
    expect(response.status).toBe(404);
    const garbage = await browser.request("/contexts/switch", { method: "POST", form: { context: "'; drop table users; --" } });
    expect(garbage.status).toBe(404);
  });

  test("creation forms show errors beside the fields, with htmx and without", async () => {
    const browser = await signedIn("ada@example.com");
    const plain = await browser.request("/businesses/new", { method: "POST", form: { name: "", kind: "nope" } });
    expect(plain.status).toBe(422);
    const html = await plain.text();
    expect(html).toContain('id="business-name-error"');
    expect(html).toContain('id="business-kind-error"');
    expect(html).toContain("<header");
    const fragment = await browser.request("/households/new", { method: "POST", headers: { "hx-request": "true" }, form: { name: "x" } });
    expect(fragment.status).toBe(422);
    const text = await fragment.text();
    expect(text).toStartWith('<form id="household-form"');
    expect(text).toContain('id="household-name-error"');
  });

  test("signed-out visitors are sent to sign in", async () => {
    for (const path of ["/home", "/businesses/new", "/households/new"]) {
      const response = await t.app.request(path);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toStartWith("/login?next=");
    }
  });
});
