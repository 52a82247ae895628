import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents, passwordResets, sessions, users } from "../../schema";
import { Browser, createTestApp, loginToken, registerUser, strongPassword, type TestApp } from "../../test/app";
import { mailTo } from "../../test/mail";
import { RESET_TTL_MS } from "./password-reset";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: "https://blocks.example.com" });
});
afterAll(() => t.close());

const json = (path: string, body: unknown, ip = "198.51.100.1") =>
  t.app.request(path, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": ip }, body: JSON.stringify(body) });

/** The reset token in the last mail to this address (the link is on PUBLIC_URL, never the request's host). */
async function resetToken(email: string): Promise<string> {
  const last = (await mailTo(t, email)).at(-1)!;
  const match = /^https:\/\/blocks\.example\.com\/reset-password\/([a-z2-7]+)$/m.exec(last.textBody);
  if (!match) throw new Error(`no reset link in: ${last.textBody}`);
  return match[1]!;
}

describe("forgot password", () => {
  test("the link sets a new password once, ends every session, is audited and told by mail", async () => {
    const user = await registerUser(t.app, "reset-me@example.com", "Reset Me");
    const before = await loginToken(t.app, "reset-me@example.com");
    expect((await json("/api/auth/password-reset", { email: "Reset-Me@Example.com" })).status).toBe(202);
    const token = await resetToken("reset-me@example.com");
    // Only the hash is kept.
    const rows = await t.deps.db.select().from(passwordResets).where(eq(passwordResets.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(token);

    const newPassword = "a brand new passphrase";
    expect((await json("/api/auth/password-reset/confirm", { token, newPassword })).status).toBe(204);
    expect(await t.deps.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${before}` } })).status).toBe(401);
    await expect(loginToken(t.app, "reset-me@example.com")).rejects.toThrow("401");
    expect(await loginToken(t.app, "reset-me@example.com", newPassword)).toBeString();

    // Used once: the same link again is refused, and changes nothing.
    const again = await json("/api/auth/password-reset/confirm", { token, newPassword: "yet another passphrase" });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("reset_link_invalid");
    expect(await loginToken(t.app, "reset-me@example.com", newPassword)).toBeString();

    const actions = (await t.deps.db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id))).map((e) => e.action);
    expect(actions).toContain("auth.password_reset_request");
    expect(actions).toContain("auth.password_reset");
    const notice = (await mailTo(t, "reset-me@example.com")).at(-1)!;
    expect(notice.subject).toContain("your password was reset");
  });

  test("an unknown address gets the same answer and no mail; a provider-only account gets no link", async () => {
    const unknown = await json("/api/auth/password-reset", { email: "nobody-here@example.com" });
    const known = await json("/api/auth/password-reset", { email: "reset-me@example.com" });
    expect(unknown.status).toBe(known.status);
    expect(await unknown.text()).toBe(await known.text());
    expect(await mailTo(t, "nobody-here@example.com")).toHaveLength(0);

    await registerUser(t.app, "provider-only@example.com", "Provider Only");
    await t.deps.db.update(users).set({ passwordHash: null }).where(eq(users.email, "provider-only@example.com"));
    expect((await json("/api/auth/password-reset", { email: "provider-only@example.com" })).status).toBe(202);
    const mail = (await mailTo(t, "provider-only@example.com")).at(-1)!;
    expect(mail.textBody).toContain("signs in through a provider");
    expect(mail.textBody).not.toContain("/reset-password/");
  });

  test("an expired link, a made-up token and garbage all answer 400, never 500", async () => {
    await registerUser(t.app, "late@example.com", "Late Comer");
    await json("/api/auth/password-reset", { email: "late@example.com" });
    const token = await resetToken("late@example.com");
    t.advance(RESET_TTL_MS + 1000);
    expect((await json("/api/auth/password-reset/confirm", { token, newPassword: "too late a passphrase" })).status).toBe(400);
    for (const bad of ["x".repeat(40), "../../etc/passwd", "", "AAAA%00", "ü".repeat(100)]) {
      const response = await json("/api/auth/password-reset/confirm", { token: bad, newPassword: "some fine passphrase" });
      expect(response.status).toBe(400);
    }
    const page = await t.app.request("/reset-password/not-a-real-token");
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("Ask for a new link");
  });

  test("two posts of one link at the same moment: exactly one wins", async () => {
    await registerUser(t.app, "race@example.com", "Race Runner");
    await json("/api/auth/password-reset", { email: "race@example.com" });
    const token = await resetToken("race@example.com");
    const statuses = await Promise.all(
      ["first parallel passphrase", "second parallel passphrase", "third parallel passphrase"].map(async (newPassword) =>
        (await json("/api/auth/password-reset/confirm", { token, newPassword })).status,
      ),
    );
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(2);
  });

  test("requests are limited per address and per client, under a burst too", async () => {
    await registerUser(t.app, "flooded@example.com", "Flooded Inbox");
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => json("/api/auth/password-reset", { email: "flooded@example.com" }, `198.51.100.${50 + i}`)));
    // Three an hour for one address, however many clients ask at once.
    expect(burst.filter((r) => r.status === 202)).toHaveLength(3);
    const limited = burst.filter((r) => r.status === 429);
    expect(limited).toHaveLength(9);
    expect(limited[0]!.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await mailTo(t, "flooded@example.com")).filter((m) => m.subject.includes("reset your password"))).toHaveLength(3);
    // And ten an hour from one client, whatever the addresses.
    const oneClient = await Promise.all(Array.from({ length: 14 }, (_, i) => json("/api/auth/password-reset", { email: `someone-${i}@example.com` }, "198.51.100.200")));
    expect(oneClient.filter((r) => r.status === 202)).toHaveLength(10);
  });

  test("the pages work without JavaScript: ask, follow the link, set the password, sign in", async () => {
    await registerUser(t.app, "pages@example.com", "Paged Person");
    const browser = new Browser(t.app, "198.51.100.99");
    const form = await browser.request("/forgot-password");
    expect(form.status).toBe(200);
    const asked = await browser.request("/forgot-password", { method: "POST", form: { email: "pages@example.com" } });
    expect(asked.status).toBe(303);
    expect(asked.headers.get("location")).toBe("/forgot-password?sent=1");
    const token = await resetToken("pages@example.com");
    const page = await browser.request(`/reset-password/${token}`);
    expect(page.status).toBe(200);
    // Other sites never see the token: only the origin leaves as a referrer.
    expect(page.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");

    const mismatch = await browser.request(`/reset-password/${token}`, { method: "POST", form: { newPassword: "river stone lantern", confirmPassword: "something else" } });
    expect(mismatch.status).toBe(422);
    expect(await mismatch.text()).toContain("The two new passwords differ.");
    const common = await browser.request(`/reset-password/${token}`, { method: "POST", form: { newPassword: "password123", confirmPassword: "password123" } });
    expect(common.status).toBe(422);

    const done = await browser.request(`/reset-password/${token}`, { method: "POST", form: { newPassword: "river stone lantern", confirmPassword: "river stone lantern" } });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/login?reset=done");
    expect(await (await browser.request("/login?reset=done")).text()).toContain("Your password is changed");
    const signIn = await browser.request("/login", { method: "POST", form: { email: "pages@example.com", password: "river stone lantern" } });
    expect(signIn.status).toBe(303);
    expect(strongPassword).not.toBe("river stone lantern");
  });
});
