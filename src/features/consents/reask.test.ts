// A new version of the terms (or privacy notice) asks once, at the next sign-in, whatever the way in
// (password, after a second factor, a provider): until accepted, pages lead to the accept page
// (which goes on to a same-site `next` only) and the JSON API answers 403 consent_required — except
// the account itself (sign-out, profile, /api/auth/*, /api/me/*) and the documents.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generateHOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { and, desc, eq } from "drizzle-orm";
import { consentRecords, households } from "../../schema";
import { Browser, createTestApp, signedInBrowser, strongPassword, type TestApp } from "../../test/app";
import { api, person, type Person } from "../../test/people";
import { signIn, useOAuthApp } from "../auth/oauth-flow.fixture";
import { google } from "../auth/oauth-providers.fixture";
import { openWhileUnaccepted } from "./gate";
import { publishNewVersion } from "./consents.fixture";

const htmx = { "hx-request": "true" };
const latestTerms = async (t: TestApp, userId: string) => {
  const [row] = await t.deps.db.select().from(consentRecords).where(and(eq(consentRecords.userId, userId), eq(consentRecords.purpose, "terms"))).orderBy(desc(consentRecords.id)).limit(1);
  return row!;
};

describe("a new terms version, signing in with a password", () => {
  let t: TestApp;
  let ada: Person;
  let restore: () => void;
  let signedUpWith: string;
  beforeAll(async () => {
    t = await createTestApp();
    ada = await person(t, "Ada Reask");
    signedUpWith = t.deps.config.TERMS_VERSION;
    restore = publishNewVersion(t, "TERMS_VERSION", "2099-01-01");
  });
  afterAll(() => {
    restore();
    t.close();
  });

  test("after the sign-in form, the page asked for leads to the accept page, which names the change", async () => {
    const browser = new Browser(t.app);
    const login = await browser.request("/login", { method: "POST", form: { email: ada.email, password: strongPassword, next: "/notifications?page=2" } });
    expect(login.status).toBe(303);
    const target = await browser.request(login.headers.get("location")!);
    expect(target.status).toBe(303);
    expect(target.headers.get("location")).toBe("/consents/accept?next=%2Fnotifications%3Fpage%3D2");
    const page = await (await browser.request(target.headers.get("location")!)).text();
    expect(page).toContain("Our terms have changed");
    expect(page).toContain("version 2099-01-01");
    expect(page).toContain(`you accepted ${signedUpWith}`);
    expect(page).toContain('name="next" value="/notifications?page=2"');
  });

  test("while not accepted: other pages lead there (htmx by HX-Redirect), a form post does nothing; the account and documents stay open", async () => {
    const browser = await signedInBrowser(t.app, ada.email);
    for (const path of ["/home", "/chat", "/households/new", "/admin"]) {
      const response = await browser.request(path);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toStartWith("/consents/accept?next=");
    }
    const boosted = await browser.request("/notifications", { headers: { ...htmx, "hx-boosted": "true" } });
    expect(boosted.status).toBe(204);
    expect(boosted.headers.get("hx-redirect")).toBe("/consents/accept?next=%2Fnotifications");
    // A header region loading itself (on the accept page too) gets nothing to swap, not a redirect loop.
    const region = await browser.request("/chat/badge", { headers: htmx });
    expect(region.status).toBe(204);
    expect(region.headers.get("hx-redirect")).toBeNull();
    const action = await browser.request("/notifications/read-all", { method: "POST", headers: { ...htmx, "hx-current-url": "http://localhost/notifications?page=2" } });
    expect(action.headers.get("hx-redirect")).toBe("/consents/accept?next=%2Fnotifications%3Fpage%3D2");
    const elsewhere = await browser.request("/notifications/read-all", { method: "POST", headers: { ...htmx, "hx-current-url": "https://evil.example/x" } });
    expect(elsewhere.headers.get("hx-redirect")).toBe("/consents/accept?next=%2Fhome");
    const post = await browser.request("/households/new", { method: "POST", form: { name: "Not yet" } });
    expect(post.headers.get("location")).toBe("/consents/accept?next=%2Fhome");
    expect(await t.deps.db.select().from(households).where(eq(households.name, "Not yet"))).toEqual([]);
    for (const path of ["/profile", "/terms", "/privacy", "/consents/accept"]) expect((await browser.request(path)).status).toBe(200);
    expect(openWhileUnaccepted("/logout")).toBe(true);
    expect(openWhileUnaccepted("/profilex")).toBe(false);
    expect(openWhileUnaccepted("/api/me/consents")).toBe(true);
    // Taking one's data stays possible whatever one thinks of the new terms: the export and its download.
    expect(openWhileUnaccepted("/me/exports/abc/download")).toBe(true);
    expect(openWhileUnaccepted("/me/other")).toBe(false);
    expect(openWhileUnaccepted("/api/businesses")).toBe(false);
    const out = await browser.request("/logout", { method: "POST" });
    expect(out.headers.get("location")).toBe("/login");
  });

  test("the JSON API answers 403 consent_required with what to accept; /api/auth and /api/me answer", async () => {
    const listed = await api(t, ada, "/api/businesses");
    expect(listed.status).toBe(403);
    const { error } = (await listed.json()) as { error: { code: string; details: Record<string, unknown> } };
    expect(error).toMatchObject({ code: "consent_required", details: { purposes: ["terms"], versions: { terms: "2099-01-01" }, accept: "PUT /api/me/consents" } });
    expect((await api(t, ada, "/api/notifications")).status).toBe(403);
    expect((await api(t, ada, "/api/auth/me")).status).toBe(200);
    const mine = (await (await api(t, ada, "/api/me/consents")).json()) as { mustAccept: string[]; purposes: Record<string, { effective: boolean; version: string }> };
    expect(mine.mustAccept).toEqual(["terms"]);
    expect(mine.purposes.terms).toMatchObject({ effective: false });
  });

  test("accepting: the box is required, `next` stays on this site, the acceptance is recorded once, and nothing asks again", async () => {
    const browser = await signedInBrowser(t.app, ada.email);
    const unticked = await browser.request("/consents/accept", { method: "POST", form: { next: "/notifications" } });
    expect(unticked.status).toBe(422);
    expect(await unticked.text()).toContain('id="accept-acceptTerms-error"');
    expect((await latestTerms(t, ada.id)).version).not.toBe("2099-01-01");

    const evil = await browser.request("/consents/accept", { method: "POST", form: { next: "//evil.example/x", acceptTerms: "on" } });
    expect(evil.status).toBe(303);
    expect(evil.headers.get("location")).toBe("/home");
    expect(await latestTerms(t, ada.id)).toMatchObject({ version: "2099-01-01", granted: true, how: "sign-in" });

    expect((await browser.request("/notifications")).status).toBe(200);
    expect((await api(t, ada, "/api/businesses")).status).toBe(200);
    // The accept page has nothing left to ask: straight on to a safe next.
    const done = await browser.request("/consents/accept?next=%2Fnotifications");
    expect(done.headers.get("location")).toBe("/notifications");
    expect((await browser.request("/consents/accept?next=https%3A%2F%2Fevil.example")).headers.get("location")).toBe("/home");
    // Signing in again asks nothing.
    const again = new Browser(t.app);
    const login = await again.request("/login", { method: "POST", form: { email: ada.email, password: strongPassword } });
    expect((await again.request(login.headers.get("location")!)).status).toBe(200);
  });

  test("an API client accepts with PUT /api/me/consents (recorded as given through the API)", async () => {
    const bob = await person(t, "Bob Reask");
    const restorePrivacy = publishNewVersion(t, "PRIVACY_VERSION", "2099-02-01");
    try {
      expect((await api(t, bob, "/api/businesses")).status).toBe(403);
      const accepted = await api(t, bob, "/api/me/consents", { method: "PUT", json: { purposes: { privacy: true } } });
      expect(accepted.status).toBe(200);
      expect(((await accepted.json()) as { mustAccept: string[] }).mustAccept).toEqual([]);
      expect((await api(t, bob, "/api/businesses")).status).toBe(200);
      const [latest] = await t.deps.db.select().from(consentRecords).where(and(eq(consentRecords.userId, bob.id), eq(consentRecords.purpose, "privacy"))).orderBy(desc(consentRecords.id)).limit(1);
      expect(latest).toMatchObject({ version: "2099-02-01", granted: true, how: "api" });
    } finally {
      restorePrivacy();
    }
  });
});

describe("after a second factor", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test("the password, the code, then the accept page before the page asked for", async () => {
    const cy = await person(t, "Cy Twofactor");
    const json = (path: string, body: unknown) => api(t, cy, path, { method: "POST", json: body });
    const setup = (await (await json("/api/auth/two-factor/setup", { currentPassword: strongPassword })).json()) as { secret: string };
    const code = () => generateHOTP(decodeBase32IgnorePadding(setup.secret), BigInt(Math.floor(t.deps.now() / 30_000)), 6);
    expect((await json("/api/auth/two-factor/confirm", { code: code() })).status).toBe(200);
    t.advance(30_000);
    const restore = publishNewVersion(t, "TERMS_VERSION", "2099-03-01");
    try {
      const browser = new Browser(t.app);
      const first = await browser.request("/login", { method: "POST", form: { email: cy.email, password: strongPassword, next: "/chat" } });
      expect(first.headers.get("location")).toStartWith("/login/two-factor");
      const second = await browser.request("/login/two-factor", { method: "POST", form: { code: code(), next: "/chat" } });
      expect(second.status).toBe(303);
      expect(second.headers.get("location")).toBe("/chat");
      const chat = await browser.request("/chat");
      expect(chat.headers.get("location")).toBe("/consents/accept?next=%2Fchat");
      const accepted = await browser.request("/consents/accept", { method: "POST", form: { next: "/chat", acceptTerms: "on" } });
      expect(accepted.headers.get("location")).toBe("/chat");
      expect((await browser.request("/chat")).status).toBe(200);
    } finally {
      restore();
    }
  });
});

describe("through a provider", () => {
  const f = useOAuthApp();

  test("a returning provider user is asked once for the new version", async () => {
    const identity = google({ sub: "g-returning", email: "returning@example.org", email_verified: true, name: "Re Turning" });
    const first = new Browser(f.t.app);
    await signIn(f.providers, first, "google", identity);
    expect((await first.request("/consents/accept", { method: "POST", form: { acceptTerms: "on" } })).status).toBe(303);
    expect((await first.request("/home")).status).toBe(200);

    const restore = publishNewVersion(f.t, "TERMS_VERSION", "2099-04-01");
    try {
      const browser = new Browser(f.t.app);
      const { response } = await signIn(f.providers, browser, "google", identity);
      expect(response.headers.get("location")).toBe("/home");
      expect((await browser.request("/home")).headers.get("location")).toBe("/consents/accept?next=%2Fhome");
      const page = await (await browser.request("/consents/accept?next=%2Fhome")).text();
      expect(page).toContain("Our terms have changed");
      expect((await browser.request("/consents/accept", { method: "POST", form: { next: "/home", acceptTerms: "on" } })).headers.get("location")).toBe("/home");
      expect((await browser.request("/home")).status).toBe(200);
    } finally {
      restore();
    }
  });
});
