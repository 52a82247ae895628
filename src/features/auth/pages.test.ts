import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Browser, createTestApp, registerUser, strongPassword, type TestApp } from "../../test/app";
import { safeNext } from "./pages";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await registerUser(t.app, "page@example.com", "Page Person");
});
afterAll(() => t.close());

const htmx = { "hx-request": "true" };

async function signedIn(email = "page@example.com") {
  const browser = new Browser(t.app);
  const response = await browser.request("/login", { method: "POST", form: { email, password: strongPassword } });
  expect(response.status).toBe(303);
  return browser;
}

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
    const response = await browser.request("/register", { method: "POST", headers: htmx, form: { name: "Zed", email: "zed@", password: "short" } });
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
    const response = await browser.request("/register", { method: "POST", form: { name: "", email: "page@example.com", password: strongPassword } });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("<header");
    expect(html).toContain('id="register-name-error"');
  });

  test("a taken email is reported beside the email field", async () => {
    const response = await new Browser(t.app).request("/register", { method: "POST", headers: htmx, form: { name: "Again", email: "PAGE@example.com", password: strongPassword } });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('id="register-email-error"');
  });

  test("registering signs you in: a 303 for plain forms, HX-Redirect for htmx", async () => {
    const plain = new Browser(t.app);
    const response = await plain.request("/register", { method: "POST", form: { name: "Nia", email: "nia@example.com", password: strongPassword } });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/home");
    expect((await plain.request("/profile")).status).toBe(200);

    const boosted = new Browser(t.app);
    const viaHtmx = await boosted.request("/register", { method: "POST", headers: htmx, form: { name: "Oli", email: "oli@example.com", password: strongPassword } });
    expect(viaHtmx.headers.get("hx-redirect")).toBe("/home");
    expect(await (await boosted.request("/profile")).text()).toContain("oli@example.com");
  });

  test("registering from a link with ?next= (an invitation, say) comes back there; the sign-in link keeps it", async () => {
    const page = await (await t.app.request("/register?next=%2Finvitations%2Fabc")).text();
    expect(page).toContain('name="next" value="/invitations/abc"');
    expect(page).toContain('href="/login?next=%2Finvitations%2Fabc"');
    const response = await new Browser(t.app).request("/register", { method: "POST", form: { name: "Pat", email: "pat@example.com", password: strongPassword, next: "/invitations/abc" } });
    expect(response.headers.get("location")).toBe("/invitations/abc");
    const evil = await new Browser(t.app).request("/register", { method: "POST", form: { name: "Eve", email: "eve@example.com", password: strongPassword, next: "//evil.example" } });
    expect(evil.headers.get("location")).toBe("/home");
  });

  test("a wrong password shows one message in the form, never which part was wrong", async () => {
    const response = await new Browser(t.app).request("/login", { method: "POST", headers: htmx, form: { email: "page@example.com", password: "not it at all" } });
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain("That email and password do not match an account.");
    expect(html).toContain('value="page@example.com"');
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

describe("profile", () => {
  test("shows name, email and this browser's session", async () => {
    const browser = await signedIn();
    const html = await (await browser.request("/profile")).text();
    expect(html).toContain('value="Page Person"');
    expect(html).toContain('value="page@example.com"');
    expect(html).toContain("This browser");
  });

  test("saving the name answers the form fragment with a confirmation (htmx) or redirects (plain)", async () => {
    const browser = await signedIn();
    const viaHtmx = await browser.request("/profile/name", { method: "POST", headers: htmx, form: { name: "Paige" } });
    expect(viaHtmx.status).toBe(200);
    const html = await viaHtmx.text();
    expect(html).toStartWith('<form id="name-form"');
    expect(html).toContain("Your name is saved.");
    const plain = await browser.request("/profile/name", { method: "POST", form: { name: "Page Person" } });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe("/profile?saved=name");
    expect(await (await browser.request("/profile?saved=name")).text()).toContain("Your name is saved.");
  });

  test("a wrong current password on email change is shown beside that field, in the page without htmx", async () => {
    const browser = await signedIn();
    const response = await browser.request("/profile/email", { method: "POST", form: { email: "new@example.com", currentPassword: "nope" } });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('id="email-currentPassword-error"');
    expect(html).toContain('value="new@example.com"');
    expect(html).toContain('id="name-form"');
  });

  test("revoking another session from the page ends it; revoking this one signs you out", async () => {
    const first = await signedIn();
    const second = await signedIn();
    const html = await (await first.request("/profile")).text();
    const others = [...html.matchAll(/data-session="([a-z0-9]+)"/g)].map((m) => m[1]!);
    expect(others.length).toBeGreaterThanOrEqual(2);
    const secondId = [...(await (await second.request("/profile")).text()).matchAll(/<li class="session-item" data-session="([a-z0-9]+)"><div><strong>[^<]*<\/strong><span class="badge">This browser/g)][0]![1]!;
    const revoked = await first.request(`/profile/sessions/${secondId}/revoke`, { method: "POST", headers: htmx });
    expect(revoked.status).toBe(200);
    expect(await revoked.text()).toContain("The session is revoked.");
    expect((await second.request("/profile")).status).toBe(303);

    const own = [...(await (await first.request("/profile")).text()).matchAll(/<li class="session-item" data-session="([a-z0-9]+)"><div><strong>[^<]*<\/strong><span class="badge">This browser/g)][0]![1]!;
    const out = await first.request(`/profile/sessions/${own}/revoke`, { method: "POST" });
    expect(out.headers.get("location")).toBe("/login");
    expect((await first.request("/profile")).status).toBe(303);
  });

  test("someone else's session id cannot be revoked", async () => {
    const mine = await signedIn();
    await registerUser(t.app, "other@example.com");
    const theirs = await signedIn("other@example.com");
    const theirId = [...(await (await theirs.request("/profile")).text()).matchAll(/data-session="([a-z0-9]+)"/g)][0]![1]!;
    const response = await mine.request(`/profile/sessions/${theirId}/revoke`, { method: "POST", headers: htmx });
    expect(response.status).toBe(404);
    expect((await theirs.request("/profile")).status).toBe(200);
  });

  test("sign out from the header form ends the session", async () => {
    const browser = await signedIn();
    const response = await browser.request("/logout", { method: "POST" });
    expect(response.status).toBe(303);
    expect((await browser.request("/profile")).status).toBe(303);
  });
});
