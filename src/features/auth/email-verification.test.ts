// Proof that an address belongs to its user: the sign-up link, the banner and its resend, an email
// change that waits for the new address, what an unconfirmed account cannot do, and who becomes
// platform admin. Tried as an attacker would: parallel resends, a reused link, someone else's address.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents, emailVerifications, users } from "../../schema";
import { Browser, confirmAddress, createTestApp, loginToken, registerUser, signedInBrowser, strongPassword, verificationPath, type TestApp } from "../../test/app";
import { mailTo } from "../../test/mail";
import { addBusinessMember, api, business, person } from "../../test/people";
import { bunMailer } from "../../runtime/bun-mailer";
import { parseConfig } from "../../config";
import { becomesPlatformAdmin, VERIFICATION_TTL_MS } from "./email-verification";
import { createPlatformAdmin } from "./service";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: "https://blocks.example.com" });
});
afterAll(() => t.close());

const meta = { ipAddress: "127.0.0.1", userAgent: "test", requestId: "test" };
const me = async (browser: Browser) => ((await (await browser.request("/api/auth/me")).json()) as { user: { email: string; emailVerified: boolean } }).user;

describe("sign-up", () => {
  test("mails a one-time link on PUBLIC_URL; GET only shows a button, the post confirms; the banner goes", async () => {
    await registerUser(t.app, "new@example.com", "New Comer", strongPassword, { verified: false });
    const mail = (await mailTo(t, "new@example.com")).at(-1)!;
    expect(mail.subject).toContain("confirm your email address");
    expect(mail.textBody).toMatch(/^https:\/\/blocks\.example\.com\/verify-email\/[a-z2-7]+$/m);
    const path = await verificationPath(t.app, "new@example.com");
    // Only the hash is stored.
    const [row] = await t.deps.db.select().from(emailVerifications).innerJoin(users, eq(users.id, emailVerifications.userId)).where(eq(users.email, "new@example.com"));
    expect(row!.email_verifications.tokenHash).not.toContain(path.split("/").at(-1)!);

    const browser = await signedInBrowser(t.app, "new@example.com");
    expect(await (await browser.request("/home")).text()).toContain("Confirm your address");
    const page = await browser.request(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("new@example.com");
    // A mail scanner fetching the link changes nothing.
    expect((await me(browser)).emailVerified).toBe(false);
    const confirmed = await browser.request(path, { method: "POST" });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).not.toContain('id="verify-banner"');
    expect((await me(browser)).emailVerified).toBe(true);
    expect(await (await browser.request("/home")).text()).not.toContain('id="verify-banner"');
    // Used once.
    expect((await browser.request(path, { method: "POST" })).status).toBe(400);
    expect((await browser.request(path)).status).toBe(400);
  });

  test("an expired or made-up link is a 400 page, never a 500", async () => {
    await registerUser(t.app, "slow@example.com", "Slow Reader", strongPassword, { verified: false });
    const path = await verificationPath(t.app, "slow@example.com");
    t.advance(VERIFICATION_TTL_MS + 1000);
    expect((await new Browser(t.app).request(path, { method: "POST" })).status).toBe(400);
    for (const bad of ["x", "A".repeat(500), "%00", "..%2f..%2f"]) {
      expect((await new Browser(t.app).request(`/verify-email/${bad}`)).status).toBe(400);
      expect((await new Browser(t.app).request(`/verify-email/${bad}`, { method: "POST" })).status).toBe(400);
    }
    const api = await t.app.request("/api/auth/email/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: "nope" }) });
    expect(api.status).toBe(400);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("verification_link_invalid");
  });

  test("resend: three an hour however many are sent at once; nothing to send once confirmed", async () => {
    await registerUser(t.app, "resend@example.com", "Re Sender", strongPassword, { verified: false });
    const token = await loginToken(t.app, "resend@example.com");
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.app.request("/api/auth/email/resend", { method: "POST", headers: { authorization: `Bearer ${token}`, "x-forwarded-for": `198.51.100.${i}` } }),
      ),
    );
    expect(burst.filter((r) => r.status === 202)).toHaveLength(3);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(7);
    // One sign-up mail and three resends; only the newest link works.
    const mails = (await mailTo(t, "resend@example.com")).filter((m) => m.subject.includes("confirm your email"));
    expect(mails).toHaveLength(4);
    const oldest = /\/verify-email\/([a-z2-7]+)/.exec(mails[0]!.textBody)![1];
    const stale = await t.app.request("/api/auth/email/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: oldest }) });
    expect(stale.status).toBe(400);
    await confirmAddress(t.app, "resend@example.com");
    const again = await t.app.request("/api/auth/email/resend", { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(409);
    // The banner's button, without JavaScript, for a confirmed account: a clear message, not a 500.
    const browser = await signedInBrowser(t.app, "resend@example.com");
    expect((await browser.request("/verify-email/resend", { method: "POST" })).status).toBe(409);
  });
});

describe("changing the address", () => {
  test("waits for the new address; then it takes effect, the old address is told, other sessions end", async () => {
    await registerUser(t.app, "before@example.com", "Moving Person");
    const phone = await loginToken(t.app, "before@example.com");
    const laptop = await signedInBrowser(t.app, "before@example.com");
    const asked = await laptop.request("/profile/email", { method: "POST", form: { email: "after@example.com", currentPassword: strongPassword } });
    expect(asked.status).toBe(303);
    const profile = await (await laptop.request("/profile?saved=email")).text();
    expect(profile).toContain("We sent a link to after@example.com");
    // Nothing changed yet: the old address still signs in, the new one does not.
    expect((await me(laptop)).email).toBe("before@example.com");
    expect(await loginToken(t.app, "before@example.com")).toBeString();
    await expect(loginToken(t.app, "after@example.com")).rejects.toThrow("401");

    const path = await verificationPath(t.app, "after@example.com");
    expect((await laptop.request(path, { method: "POST" })).status).toBe(200);
    expect(await me(laptop)).toMatchObject({ email: "after@example.com", emailVerified: true });
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${phone}` } })).status).toBe(401);
    const notice = (await mailTo(t, "before@example.com")).at(-1)!;
    expect(notice.subject).toContain("your email address was changed");
    expect(notice.textBody).toContain("after@example.com");
    const [event] = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, "auth.email_change"));
    expect(event!.details).toMatchObject({ from: "before@example.com", to: "after@example.com" });
  });

  test("an address taken meanwhile is refused when the link is followed, and the account keeps its own", async () => {
    await registerUser(t.app, "racer@example.com", "Racer One");
    const racer = await loginToken(t.app, "racer@example.com");
    const asked = await t.app.request("/api/auth/email", {
      method: "POST",
      headers: { authorization: `Bearer ${racer}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "contested@example.com", currentPassword: strongPassword }),
    });
    expect(asked.status).toBe(202);
    const path = await verificationPath(t.app, "contested@example.com");
    await registerUser(t.app, "contested@example.com", "Quick Other");
    const late = await t.app.request("/api/auth/email/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: path.split("/").at(-1) }) });
    expect(late.status).toBe(409);
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${racer}` } })).status).toBe(200);
  });
});

describe("what an unconfirmed address cannot do", () => {
  test("member search never finds an account by an address it has not confirmed", async () => {
    const owner = await person(t, "Searching Owner");
    const squatter = await person(t, "Squatting Sid", { verified: false });
    const acme = await business(t, owner);
    await addBusinessMember(t, acme, squatter, "member");
    const found = async (q: string) =>
      ((await (await api(t, owner, `/api/member/users/search?q=${encodeURIComponent(q)}`)).json()) as { users: { name: string }[] }).users.map((u) => u.name);
    expect(await found(squatter.email)).toEqual([]);
    expect(await found("Squatting")).toEqual(["Squatting Sid"]);
    await confirmAddress(t.app, squatter.email);
    expect(await found(squatter.email)).toEqual(["Squatting Sid"]);
  });
});

describe("who becomes platform admin", () => {
  test("the rule: ADMIN_EMAIL once verified; the first account only outside production", () => {
    const production = { isProduction: true, ADMIN_EMAIL: "boss@example.com" };
    expect(becomesPlatformAdmin(production, { email: "first@example.com", emailVerified: true, isFirstAccount: true })).toBe(false);
    expect(becomesPlatformAdmin(production, { email: "boss@example.com", emailVerified: false, isFirstAccount: false })).toBe(false);
    expect(becomesPlatformAdmin(production, { email: "boss@example.com", emailVerified: true, isFirstAccount: false })).toBe(true);
    expect(becomesPlatformAdmin({ isProduction: true, ADMIN_EMAIL: undefined }, { email: "a@example.com", emailVerified: true, isFirstAccount: true })).toBe(false);
    expect(becomesPlatformAdmin({ isProduction: false, ADMIN_EMAIL: undefined }, { email: "a@example.com", emailVerified: false, isFirstAccount: true })).toBe(true);
  });

  test("in production the first account is nobody special; the ADMIN_EMAIL account is admin once it confirms, not before", async () => {
    const prod = await createTestApp({ NODE_ENV: "production", PUBLIC_URL: "http://localhost", ADMIN_EMAIL: "Boss@Example.com", SECRET_KEYS: "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" });
    try {
      const first = await registerUser(prod.app, "first@example.com", "First Comer");
      expect(first.isPlatformAdmin).toBe(false);
      const boss = await registerUser(prod.app, "boss@example.com", "The Boss", strongPassword, { verified: false });
      expect(boss.isPlatformAdmin).toBe(false);
      const token = await loginToken(prod.app, "boss@example.com");
      const adminApi = () => prod.app.request("/api/admin/users/block-ids?q=boss", { headers: { authorization: `Bearer ${token}` } });
      expect((await adminApi()).status).toBe(403);
      await confirmAddress(prod.app, "boss@example.com");
      expect((await adminApi()).status).toBe(200);
      const [row] = await prod.deps.db.select().from(users).where(eq(users.email, "boss@example.com"));
      expect(row!.isPlatformAdmin).toBe(true);
      const [event] = await prod.deps.db.select().from(auditEvents).where(eq(auditEvents.action, "auth.platform_admin_by_config"));
      expect(event!.targetId).toBe(row!.id);
    } finally {
      prod.close();
    }
  });

  test("admin:create makes a verified admin, promotes a verified account, and refuses an unconfirmed holder of the address", async () => {
    const made = await createPlatformAdmin(t.deps, { email: "operator@example.com", name: "Ops", password: "violet harbour lamps" }, meta);
    expect(made).toMatchObject({ created: true, user: { isPlatformAdmin: true, emailVerified: true } });
    await registerUser(t.app, "promoted@example.com", "Promoted");
    expect((await createPlatformAdmin(t.deps, { email: "promoted@example.com", name: "x", password: null }, meta)).user.isPlatformAdmin).toBe(true);
    await registerUser(t.app, "squatted-admin@example.com", "Squatter", strongPassword, { verified: false });
    await expect(createPlatformAdmin(t.deps, { email: "squatted-admin@example.com", name: "x", password: null }, meta)).rejects.toThrow("without having confirmed");
    const [row] = await t.deps.db.select().from(users).where(eq(users.email, "squatted-admin@example.com"));
    expect(row!.isPlatformAdmin).toBe(false);
  });
});

describe("development mail without SMTP", () => {
  test("is printed to the log, links included; never in production", async () => {
    const lines: Record<string, unknown>[] = [];
    const log = (entry: Record<string, unknown>) => void lines.push(entry);
    const development = bunMailer(parseConfig({ NODE_ENV: "development" }), { db: t.deps.db, now: t.deps.now, log: log as never });
    await development.send({ to: "dev@example.com", subject: "Confirm", text: "http://localhost:3000/verify-email/abc" }, {});
    expect(lines).toHaveLength(1);
    expect(String(lines[0]!.text)).toContain("/verify-email/abc");
    const production = bunMailer(parseConfig({ NODE_ENV: "production", PUBLIC_URL: "https://blocks.example.com", SECRET_KEYS: "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }), { db: t.deps.db, now: t.deps.now, log: log as never });
    await production.send({ to: "prod@example.com", subject: "Confirm", text: "https://blocks.example.com/verify-email/abc" }, {});
    expect(lines).toHaveLength(1);
  });
});
