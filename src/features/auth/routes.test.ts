import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Browser, createTestApp, registerUser, signedInBrowser, strongPassword, type TestApp } from "../../test/app";
import { safeRedirectTarget as safeNext } from "../../http/safe-redirect";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await registerUser(t.app, "page@example.com", "Page Person");
});
afterAll(() => t.close());

const htmx = { "hx-request": "true" };

describe("fragment or page", () => {
  test("a plain request gets the whole page in the shell; htmx gets the fragment; both vary on HX-Request", async () => {
    const page = await t.app.request("/login");
    const pageHtml = await page.text();
    expect(pageHtml).toStartWith("<!doctype html>");
    expect(pageHtml).toContain('<header class="app-header">');
    expect(page.headers.get("vary")).toContain("HX-Request");
    const fragment = await t.app.request("/login", { headers: htmx });
    const fragmentHtml = await fragment.text();
    expect(fragmentHtml).toStartWith('<form id="login-form"');
    expect(fragmentHtml).not.toContain("<header");
    expect(fragment.headers.get("vary")).toContain("HX-Request");
  });

  test("a boosted navigation and a history restore get the whole page", async () => {
    for (const headers of [{ ...htmx, "hx-boosted": "true" }, { ...htmx, "hx-history-restore-request": "true" }]) {
      const html = await (await t.app.request("/login", { headers })).text();
      expect(html).toStartWith("<!doctype html>");
    }
  });
});

describe("sign in and registration forms", () => {
  test("invalid input re-renders the form with errors beside the fields (422), keeping what was typed", async () => {
    const browser = new Browser(t.app);
    const response = await browser.request("/register", { method: "POST", headers: htmx, form: { acceptTerms: "on", name: "Zed", email: "zed@", password: "short" } });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toStartWith('<form id="register-form"');
    expect(html).toContain('id="register-email-error"');
    expect(html).toContain('id="register-password-error"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('value="Zed"');
    expect(html).not.toContain('value="short"');
  });

  test("without htmx the same errors come back in the whole page", async () => {
    const browser = new Browser(t.app);
    const response = await browser.request("/register", { method: "POST", form: { acceptTerms: "on", name: "", email: "page@example.com", password: strongPassword } });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("<header");
    expect(html).toContain('id="register-name-error"');
  });

  test("a taken email is reported beside the email field", async () => {
    const response = await new Browser(t.app).request("/register", { method: "POST", headers: htmx, form: { acceptTerms: "on", name: "Again", email: "PAGE@example.com", password: strongPassword } });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('id="register-email-error"');
  });

  test("registering signs you in: a 303 for plain forms, HX-Redirect for htmx", async () => {
    const plain = new Browser(t.app);
    const response = await plain.request("/register", { method: "POST", form: { acceptTerms: "on", name: "Nia", email: "nia@example.com", password: strongPassword } });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/home");
    expect((await plain.request("/profile")).status).toBe(200);

    const boosted = new Browser(t.app);
    const viaHtmx = await boosted.request("/register", { method: "POST", headers: htmx, form: { acceptTerms: "on", name: "Oli", email: "oli@example.com", password: strongPassword } });
    expect(viaHtmx.headers.get("hx-redirect")).toBe("/home");
    expect(await (await boosted.request("/profile")).text()).toContain("oli@example.com");
  });

  test("registering from a link with ?next= (an invitation, say) comes back there; the sign-in link keeps it", async () => {
    const page = await (await t.app.request("/register?next=%2Finvitations%2Fabc")).text();
    expect(page).toContain('name="next" value="/invitations/abc"');
    expect(page).toContain('href="/login?next=%2Finvitations%2Fabc"');
    const response = await new Browser(t.app).request("/register", { method: "POST", form: { acceptTerms: "on", name: "Pat", email: "pat@example.com", password: strongPassword, next: "/invitations/abc" } });
    expect(response.headers.get("location")).toBe("/invitations/abc");
    const evil = await new Browser(t.app).request("/register", { method: "POST", form: { acceptTerms: "on", name: "Eve", email: "eve@example.com", password: strongPassword, next: "//evil.example" } });
    expect(evil.headers.get("location")).toBe("/home");
  });

  test("a wrong password shows one message in the form, never which part was wrong", async () => {
    const response = await new Browser(t.app).request("/login", { method: "POST", headers: htmx, form: { email: "page@example.com", password: "not it at all" } });
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain("That email and password do not match an account.");
    expect(html).toContain('value="page@example.com"');
  });

  test("too many failed sign-ins: a 429 with Retry-After, its message in the form (htmx) and in the page (plain)", async () => {
    const browser = new Browser(t.app, "10.0.8.1");
    const form = { email: "nobody-here@example.com", password: "not it at all" };
    for (let i = 0; i < 5; i++) expect((await browser.request("/login", { method: "POST", headers: htmx, form })).status).toBe(401);
    const fragment = await browser.request("/login", { method: "POST", headers: htmx, form });
    expect(fragment.status).toBe(429);
    expect(Number(fragment.headers.get("retry-after"))).toBeGreaterThan(0);
    const html = await fragment.text();
    expect(html).toStartWith('<form id="login-form"');
    expect(html).toContain("Too many failed sign-in attempts. Try again later.");
    const page = await browser.request("/login", { method: "POST", form });
    expect(page.status).toBe(429);
    expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(0);
    const pageHtml = await page.text();
    expect(pageHtml).toContain("<header");
    expect(pageHtml).toContain("Too many failed sign-in attempts. Try again later.");
  });

  test("too many sign-ups from one network: a 429 with Retry-After and its message in the form", async () => {
    const limited = await createTestApp({ REGISTER_MAX_PER_CLIENT: "1" });
    try {
      const browser = new Browser(limited.app, "10.0.8.2");
      const first = await browser.request("/register", { method: "POST", form: { acceptTerms: "on", name: "First", email: "first@example.com", password: strongPassword } });
      expect(first.status).toBe(303);
      const second = await new Browser(limited.app, "10.0.8.2").request("/register", { method: "POST", headers: htmx, form: { acceptTerms: "on", name: "Second", email: "second@example.com", password: strongPassword } });
      expect(second.status).toBe(429);
      expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
      const html = await second.text();
      expect(html).toStartWith('<form id="register-form"');
      expect(html).toContain("Too many sign-ups from this network. Try again later.");
      expect(html).toContain('value="second@example.com"');
    } finally {
      limited.close();
    }
  });

  test("after sign-in you go where you were headed, but never to another site", async () => {
    const response = await new Browser(t.app).request("/login", { method: "POST", form: { email: "page@example.com", password: strongPassword, next: "/profile?tab=x" } });
    expect(response.headers.get("location")).toBe("/profile?tab=x");
    expect(safeNext("//evil.example")).toBe("/home");
    expect(safeNext("/\\evil.example")).toBe("/home");
    expect(safeNext("https://evil.example")).toBe("/home");
  });

  test("a signed-out visit to /profile goes to sign-in and remembers where it was going", async () => {
    const response = await t.app.request("/profile");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login?next=%2Fprofile");
  });
});

describe("signing out", () => {
  test("sign out from the header form ends the session", async () => {
    const browser = await signedInBrowser(t.app, "page@example.com");
    const response = await browser.request("/logout", { method: "POST" });
    expect(response.status).toBe(303);
    expect((await browser.request("/profile")).status).toBe(303);
  });
});
