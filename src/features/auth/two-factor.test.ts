// Two-factor sign-in over HTTP, as its owner and as an attacker who has the password: set-up,
// second step, one-time codes, recovery codes, bursts of guesses, and turning it off.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generateHOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { eq } from "drizzle-orm";
import { auditEvents, sessions, totpCredentials, users } from "../../schema";
import { Browser, createTestApp, loginToken, registerUser, signedInBrowser, strongPassword, type TestApp } from "../../test/app";
import { mailTo } from "../../test/mail";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** The code an authenticator app shows now (the test's clock), from the key the profile showed. */
const codeFor = (secret: string, offsetSteps = 0) => generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(t.deps.now() / 30_000) + offsetSteps), 6);

/** Registers an account and turns two-factor sign-in on through the JSON API; its key and recovery codes. */
async function withTwoFactor(email: string) {
  await registerUser(t.app, email, "Two Factor");
  const token = await loginToken(t.app, email);
  const setup = (await (await json("/api/auth/two-factor/setup", { currentPassword: strongPassword }, bearer(token))).json()) as { secret: string; uri: string };
  const confirmed = await json("/api/auth/two-factor/confirm", { code: codeFor(setup.secret) }, bearer(token));
  expect(confirmed.status).toBe(200);
  const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
  t.advance(30_000); // the code just used is spent; the next sign-in needs the next one
  return { secret: setup.secret, recoveryCodes, token };
}

describe("setting up", () => {
  test("needs the password; the key is sealed in the database; a wrong code does not turn it on", async () => {
    await registerUser(t.app, "setup@example.com", "Set Up");
    const token = await loginToken(t.app, "setup@example.com");
    const other = await loginToken(t.app, "setup@example.com");
    expect((await json("/api/auth/two-factor/setup", { currentPassword: "not it at all" }, bearer(token))).status).toBe(400);
    const setup = (await (await json("/api/auth/two-factor/setup", { currentPassword: strongPassword }, bearer(token))).json()) as { secret: string; uri: string };
    expect(setup.uri).toStartWith("otpauth://totp/Block%20on%20Block:setup%40example.com?");
    const [user] = await t.deps.db.select().from(users).where(eq(users.email, "setup@example.com"));
    const [row] = await t.deps.db.select().from(totpCredentials).where(eq(totpCredentials.userId, user!.id));
    expect(row!.secretSealed).toStartWith("v1.dev.");
    expect(row!.secretSealed).not.toContain(setup.secret);

    expect((await json("/api/auth/two-factor/confirm", { code: "000000" }, bearer(token))).status).toBe(400);
    expect(((await (await t.app.request("/api/auth/two-factor", { headers: bearer(token) })).json()) as { enabled: boolean }).enabled).toBe(false);

    const confirmed = await json("/api/auth/two-factor/confirm", { code: codeFor(setup.secret) }, bearer(token));
    const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    // This session proved the factor and stays; the other ended; audited and mailed.
    expect((await t.app.request("/api/auth/me", { headers: bearer(token) })).status).toBe(200);
    expect((await t.app.request("/api/auth/me", { headers: bearer(other) })).status).toBe(401);
    const [event] = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, "auth.totp_enable"));
    expect(event!.targetId).toBe(user!.id);
    expect((await mailTo(t, "setup@example.com")).at(-1)!.subject).toContain("two-factor sign-in is on");
    const [current] = await t.deps.db.select().from(sessions).where(eq(sessions.userId, user!.id));
    expect(current!.secondFactor).toBe("totp");
  });
});

describe("signing in with two factors", () => {
  test("the password alone gives no session; the right code does, and works only once", async () => {
    const { secret } = await withTwoFactor("second@example.com");
    const first = await json("/api/auth/login", { email: "second@example.com", password: strongPassword });
    expect(first.status).toBe(200);
    const body = (await first.json()) as { twoFactorRequired: boolean; pendingToken: string; token?: string };
    expect(body.twoFactorRequired).toBe(true);
    expect(body.token).toBeUndefined();
    // The pending token is not a session.
    expect((await t.app.request("/api/auth/me", { headers: bearer(body.pendingToken) })).status).toBe(401);

    const code = codeFor(secret);
    const done = await json("/api/auth/login/two-factor", { pendingToken: body.pendingToken, code });
    expect(done.status).toBe(200);
    const { token } = (await done.json()) as { token: string };
    const me = await t.app.request("/api/auth/me", { headers: bearer(token) });
    expect(me.status).toBe(200);
    // The same code again, on a new sign-in: refused (a code works once).
    const again = (await (await json("/api/auth/login", { email: "second@example.com", password: strongPassword })).json()) as { pendingToken: string };
    expect((await json("/api/auth/login/two-factor", { pendingToken: again.pendingToken, code })).status).toBe(400);
    // The pending sign-in is used up once it succeeds.
    expect((await json("/api/auth/login/two-factor", { pendingToken: body.pendingToken, code: codeFor(secret, 1) })).status).toBe(401);
  });

  test("a recovery code signs in once, and the owner is told", async () => {
    const { recoveryCodes } = await withTwoFactor("recovery@example.com");
    const sign = async (code: string) => {
      const { pendingToken } = (await (await json("/api/auth/login", { email: "recovery@example.com", password: strongPassword })).json()) as { pendingToken: string };
      return json("/api/auth/login/two-factor", { pendingToken, code });
    };
    expect((await sign(recoveryCodes[0]!.toUpperCase())).status).toBe(200);
    expect((await sign(recoveryCodes[0]!)).status).toBe(400);
    expect((await mailTo(t, "recovery@example.com")).at(-1)!.subject).toContain("a recovery code was used");
    const status = (await (await t.app.request("/api/auth/two-factor", { headers: bearer(await loginTokenWith(recoveryCodes[1]!)) })).json()) as { recoveryCodesLeft: number };
    expect(status.recoveryCodesLeft).toBe(8);
  });

  async function loginTokenWith(code: string) {
    const { pendingToken } = (await (await json("/api/auth/login", { email: "recovery@example.com", password: strongPassword })).json()) as { pendingToken: string };
    return ((await (await json("/api/auth/login/two-factor", { pendingToken, code })).json()) as { token: string }).token;
  }

  test("an attacker with the password: five wrong codes end the pending sign-in; a burst of guesses is cut off", async () => {
    await withTwoFactor("guessed@example.com");
    const { pendingToken } = (await (await json("/api/auth/login", { email: "guessed@example.com", password: strongPassword })).json()) as { pendingToken: string };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await json("/api/auth/login/two-factor", { pendingToken, code: String(100000 + i) })).status);
    expect(statuses).toEqual([400, 400, 400, 400, 401, 401]);
    // New pending sign-ins, 30 parallel guesses: the account allows 10 tries per window, all told.
    const pendings: string[] = [];
    for (let i = 0; i < 6; i++) {
      pendings.push(((await (await json("/api/auth/login", { email: "guessed@example.com", password: strongPassword })).json()) as { pendingToken: string }).pendingToken);
    }
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => json("/api/auth/login/two-factor", { pendingToken: pendings[i % 6], code: String(200000 + i) })));
    // Five tries were spent above: at most five more codes are checked (400, or 401 when a sign-in
    // runs out of tries); every other guess is refused unchecked.
    expect(burst.filter((r) => r.status === 400 || r.status === 401).length).toBeLessThanOrEqual(5);
    expect(burst.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(25);
    expect(burst.some((r) => r.status === 200)).toBe(false);
  });

  test("without JavaScript: the password, then the code on its own page, then where you were going", async () => {
    const { secret } = await withTwoFactor("pages-2fa@example.com");
    const browser = new Browser(t.app, "192.0.2.50");
    const first = await browser.request("/login", { method: "POST", form: { email: "pages-2fa@example.com", password: strongPassword, next: "/profile" } });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/login/two-factor?next=%2Fprofile");
    expect((await browser.request("/profile")).status).toBe(303);
    const page = await browser.request("/login/two-factor?next=%2Fprofile");
    expect(await page.text()).toContain("Two-factor sign-in");
    const wrong = await browser.request("/login/two-factor", { method: "POST", form: { code: "12", next: "/profile" } });
    expect(wrong.status).toBe(422);
    const done = await browser.request("/login/two-factor", { method: "POST", form: { code: codeFor(secret), next: "/profile" } });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/profile");
    expect((await browser.request("/profile")).status).toBe(200);
    // Without a pending sign-in the page sends you to sign in.
    expect((await new Browser(t.app).request("/login/two-factor")).status).toBe(303);
  });
});

describe("turning it off", () => {
  test("needs the password and a current code; then the password alone signs in again", async () => {
    const { secret } = await withTwoFactor("off@example.com");
    const browser = new Browser(t.app, "192.0.2.60");
    await browser.request("/login", { method: "POST", form: { email: "off@example.com", password: strongPassword } });
    await browser.request("/login/two-factor", { method: "POST", form: { code: codeFor(secret) } });
    t.advance(30_000);
    const noCode = await browser.request("/profile/two-factor/disable", { method: "POST", form: { currentPassword: strongPassword, code: "123456" } });
    expect(noCode.status).toBe(422);
    const noPassword = await browser.request("/profile/two-factor/disable", { method: "POST", form: { currentPassword: "wrong one", code: codeFor(secret) } });
    expect(noPassword.status).toBe(422);
    const off = await browser.request("/profile/two-factor/disable", { method: "POST", form: { currentPassword: strongPassword, code: codeFor(secret) } });
    expect(off.status).toBe(200);
    expect(await off.text()).toContain("Two-factor sign-in is off");
    expect(await loginToken(t.app, "off@example.com")).toBeString();
    expect((await mailTo(t, "off@example.com")).at(-1)!.subject).toContain("two-factor sign-in is off");
  });

  test("the profile page shows the section, and setting up by the page draws the QR code on the server as SVG", async () => {
    await registerUser(t.app, "qr@example.com", "Q R");
    const browser = await signedInBrowser(t.app, "qr@example.com");
    expect(await (await browser.request("/profile")).text()).toContain("Set up two-factor sign-in");
    const setup = await browser.request("/profile/two-factor/setup", { method: "POST", headers: { "hx-request": "true" }, form: { currentPassword: strongPassword } });
    const html = await setup.text();
    expect(html).toContain("<svg");
    expect(html).not.toContain("<script");
    expect(html).toMatch(/id="totp-secret">[A-Z2-7]{32}</);
  });
});

describe("an account with two factors under a password-guessing attack", () => {
  test("past the per-account limit, right and wrong passwords get the same answer; only the right one with a right code gets in", async () => {
    const attacked = await createTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: "3", LOGIN_MAX_FAILURES_PER_CLIENT: "1000" });
    try {
      const post = (path: string, body: unknown, ip: string) =>
        attacked.app.request(path, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": ip }, body: JSON.stringify(body) });
      await registerUser(attacked.app, "attacked@example.com", "Attacked Owner");
      const token = await loginToken(attacked.app, "attacked@example.com");
      const setup = (await (await attacked.app.request("/api/auth/two-factor/setup", { method: "POST", headers: { ...bearer(token), "content-type": "application/json" }, body: JSON.stringify({ currentPassword: strongPassword }) })).json()) as { secret: string };
      const code = (steps: number) => generateHOTP(decodeBase32IgnorePadding(setup.secret), BigInt(Math.floor(attacked.deps.now() / 30_000) + steps), 6);
      await attacked.app.request("/api/auth/two-factor/confirm", { method: "POST", headers: { ...bearer(token), "content-type": "application/json" }, body: JSON.stringify({ code: code(0) }) });
      attacked.advance(30_000);

      for (let i = 0; i < 3; i++) expect((await post("/api/auth/login", { email: "attacked@example.com", password: `guess ${i}` }, `198.18.9.${i}`)).status).toBe(401);
      // Now the limit is reached: a wrong and a right password look the same from outside.
      const wrong = await post("/api/auth/login", { email: "attacked@example.com", password: "another guess" }, "198.18.9.50");
      const right = await post("/api/auth/login", { email: "attacked@example.com", password: strongPassword }, "203.0.113.77");
      expect(wrong.status).toBe(200);
      expect(right.status).toBe(200);
      const wrongBody = (await wrong.json()) as { twoFactorRequired: boolean; pendingToken: string };
      const rightBody = (await right.json()) as { twoFactorRequired: boolean; pendingToken: string };
      expect(Object.keys(wrongBody).sort()).toEqual(Object.keys(rightBody).sort());
      // The wrong password never completes, even with a right code.
      expect((await post("/api/auth/login/two-factor", { pendingToken: wrongBody.pendingToken, code: code(1) }, "198.18.9.50")).status).toBe(400);
      // The owner, with the right password and code, gets in.
      const done = await post("/api/auth/login/two-factor", { pendingToken: rightBody.pendingToken, code: code(1) }, "203.0.113.77");
      expect(done.status).toBe(200);
    } finally {
      attacked.close();
    }
  });
});
