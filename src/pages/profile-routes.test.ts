// The profile's account forms (name, email, password, sessions), with and without htmx. The Block
// ID section is in profile-block-id.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, registerUser, signedInBrowser, type TestApp } from "../test/app";

const htmx = { "hx-request": "true" };
/** The account whose profile most tests look at. */
const PAGE_EMAIL = "page@example.com";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await registerUser(t.app, PAGE_EMAIL, "Page Person");
});
afterAll(() => t.close());

const signedIn = (email = PAGE_EMAIL) => signedInBrowser(t.app, email);

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

});
