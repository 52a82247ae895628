// Sign-up records the acceptance of the terms and privacy notice in force: the register page (a
// required checkbox, never ticked in advance, its error beside it), the JSON register API (a required
// `acceptTerms`, 400 with field details), and the first sign-in through a provider (which makes the
// account and then asks on the accept page before anything else). Optional purposes start off.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { consentRecords, users } from "../../schema";
import { Browser, createTestApp, strongPassword, type TestApp } from "../../test/app";
import { signIn, useOAuthApp } from "../auth/oauth-flow.fixture";
import { google } from "../auth/oauth-providers.fixture";

const htmx = { "hx-request": "true" };
const recordsOf = async (t: TestApp, email: string) => {
  const [user] = await t.deps.db.select().from(users).where(eq(users.email, email));
  if (!user) return null;
  return (await t.deps.db.select().from(consentRecords).where(eq(consentRecords.userId, user.id)).orderBy(asc(consentRecords.id))).map((r) => ({ purpose: r.purpose, version: r.version, granted: r.granted, how: r.how }));
};

describe("the register page and the register API", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TERMS_VERSION: "2026-11-01", PRIVACY_VERSION: "2026-10-15" });
  });
  afterAll(() => t.close());

  test("the page shows the required checkbox unticked, with the documents and their versions", async () => {
    const html = await (await t.app.request("/register")).text();
    const box = /<input id="register-acceptTerms"[^>]*>/.exec(html)?.[0];
    expect(box).toBeDefined();
    expect(box).toContain("required");
    expect(box).not.toContain("checked");
    expect(html).toContain('href="/terms"');
    expect(html).toContain('href="/privacy"');
    expect(html).toContain("version 2026-11-01");
    expect(html).toContain("version 2026-10-15");
  });

  test("the page without the box ticked: 422, the error beside the checkbox, what was typed kept, no account", async () => {
    for (const headers of [htmx, {}]) {
      const response = await new Browser(t.app).request("/register", { method: "POST", headers, form: { name: "Una", email: "una@example.com", password: strongPassword } });
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain('id="register-acceptTerms-error"');
      expect(html).toContain("Accept the terms of service and the privacy notice");
      expect(html).toMatch(/<input id="register-acceptTerms"[^>]*aria-invalid="true"/);
      expect(html).toContain('value="Una"');
    }
    expect(await recordsOf(t, "una@example.com")).toBeNull();
  });

  test("the page with the box ticked: the account, and both acceptances recorded at the versions in force, at sign-up", async () => {
    const browser = new Browser(t.app);
    const response = await browser.request("/register", { method: "POST", form: { name: "Vic", email: "vic@example.com", password: strongPassword, acceptTerms: "on" } });
    expect(response.status).toBe(303);
    expect(await recordsOf(t, "vic@example.com")).toEqual([
      { purpose: "terms", version: "2026-11-01", granted: true, how: "signup" },
      { purpose: "privacy", version: "2026-10-15", granted: true, how: "signup" },
    ]);
    // Straight on, not asked again.
    expect((await browser.request("/home")).status).toBe(200);
  });

  test("the API without acceptTerms (or with false): 400 with the field named, no account", async () => {
    for (const extra of [{}, { acceptTerms: false }, { acceptTerms: "no" }]) {
      const response = await t.app.request("/api/auth/register", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "wren@example.com", password: strongPassword, name: "Wren", ...extra }),
      });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; details: { fieldErrors: Record<string, string[]> } } };
      expect(error.code).toBe("validation_failed");
      expect(Object.keys(error.details.fieldErrors)).toEqual(["acceptTerms"]);
    }
    expect(await recordsOf(t, "wren@example.com")).toBeNull();
  });

  test("the API with acceptTerms: true records both at sign-up; every optional purpose is off", async () => {
    const response = await t.app.request("/api/auth/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "xan@example.com", password: strongPassword, name: "Xan", acceptTerms: true }),
    });
    expect(response.status).toBe(201);
    expect((await recordsOf(t, "xan@example.com"))!.map((r) => [r.purpose, r.how])).toEqual([
      ["terms", "signup"],
      ["privacy", "signup"],
    ]);
  });

  test("/terms and /privacy show their text and version to anyone", async () => {
    const terms = await (await t.app.request("/terms")).text();
    expect(terms).toContain("Terms of service");
    expect(terms).toContain('<strong class="version">2026-11-01</strong>');
    const privacy = await (await t.app.request("/privacy")).text();
    expect(privacy).toContain("Privacy notice");
    expect(privacy).toContain('<strong class="version">2026-10-15</strong>');
  });
});

describe("the first sign-in through a provider", () => {
  const f = useOAuthApp();

  test("makes the account, then asks on the accept page before anything else; accepting records it as the sign-up's", async () => {
    const browser = new Browser(f.t.app);
    const { response } = await signIn(f.providers, browser, "google", google({ sub: "g-newcomer", email: "newcomer@example.org", email_verified: true, name: "New Comer" }));
    expect(response.status).toBe(303);
    expect(await recordsOf(f.t, "newcomer@example.org")).toEqual([]);

    const home = await browser.request(response.headers.get("location")!);
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toBe("/consents/accept?next=%2Fhome");
    const page = await (await browser.request("/consents/accept?next=%2Fhome")).text();
    expect(page).toContain("Before you start");
    expect(page).not.toMatch(/<input id="accept-acceptTerms"[^>]*checked/);
    // The API waits too; the consent endpoints answer.
    const api = await browser.request("/api/businesses");
    expect(api.status).toBe(403);
    expect(((await api.json()) as { error: { code: string; details: { purposes: string[] } } }).error).toMatchObject({ code: "consent_required", details: { purposes: ["terms", "privacy"] } });
    expect((await browser.request("/api/me/consents")).status).toBe(200);

    const unticked = await browser.request("/consents/accept", { method: "POST", form: { next: "/home" } });
    expect(unticked.status).toBe(422);
    expect(await unticked.text()).toContain('id="accept-acceptTerms-error"');
    const accepted = await browser.request("/consents/accept", { method: "POST", form: { next: "/home", acceptTerms: "on" } });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("location")).toBe("/home");
    const records = await recordsOf(f.t, "newcomer@example.org");
    expect(records).toEqual([
      { purpose: "terms", version: f.t.deps.config.TERMS_VERSION, granted: true, how: "signup" },
      { purpose: "privacy", version: f.t.deps.config.PRIVACY_VERSION, granted: true, how: "signup" },
    ]);
    expect((await browser.request("/home")).status).toBe(200);
    expect((await browser.request("/api/businesses")).status).toBe(200);
  });
});
