// "Sign out everywhere else" on the profile, and the offer that follows it (and a password change):
// disconnect sign-in providers or passkeys an intruder may have added.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents } from "../schema";
import { createTestApp, loginToken, registerUser, signedInBrowser, strongPassword, type TestApp } from "../test/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await registerUser(t.app, "everywhere@example.com", "Every Where");
});
afterAll(() => t.close());

describe("ending the other sessions", () => {
  test("plain form: every other session ends, this one stays, and the page offers to disconnect providers", async () => {
    const phone = await loginToken(t.app, "everywhere@example.com");
    const browser = await signedInBrowser(t.app, "everywhere@example.com");
    expect(await (await browser.request("/profile")).text()).toContain("Sign out everywhere else");
    const ended = await browser.request("/profile/sessions/end-others", { method: "POST" });
    expect(ended.status).toBe(303);
    expect(ended.headers.get("location")).toBe("/profile?ended=others#sessions");
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${phone}` } })).status).toBe(401);
    const page = await (await browser.request("/profile?ended=others")).text();
    expect(page).toContain("Every other session is signed out.");
    expect(page).toContain('href="/profile#providers"');
    const events = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, "auth.sessions_end_others"));
    expect(events[0]!.details).toMatchObject({ sessionsEnded: 1 });
  });

  test("htmx: the sessions section comes back in place; a password change makes the same offer", async () => {
    await loginToken(t.app, "everywhere@example.com");
    const browser = await signedInBrowser(t.app, "everywhere@example.com");
    const fragment = await browser.request("/profile/sessions/end-others", { method: "POST", headers: { "hx-request": "true" } });
    expect(fragment.status).toBe(200);
    const html = await fragment.text();
    expect(html).toStartWith('<section id="sessions"');
    expect(html).toContain("disconnect any sign-in provider you do not recognise");
    const changed = await browser.request("/profile/password", {
      method: "POST",
      headers: { "hx-request": "true" },
      form: { currentPassword: strongPassword, newPassword: "lilac meadow sunrise", confirmPassword: "lilac meadow sunrise" },
    });
    expect(await changed.text()).toContain("disconnect any sign-in provider you do not recognise");
  });
});
