// Sign-in limits as an attacker would test them: a burst of parallel guesses, a locked-out owner,
// a forged device cookie, and guessing the password through a stolen session's re-authentication.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Browser, createTestApp, loginToken, registerUser, strongPassword, type TestApp } from "../../test/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: "5", LOGIN_MAX_FAILURES_PER_CLIENT: "1000" });
  await registerUser(t.app, "burst@example.com", "Burst Target");
  await registerUser(t.app, "owner@example.com", "Rightful Owner");
  await registerUser(t.app, "stolen@example.com", "Stolen Session");
});
afterAll(() => t.close());

const attempt = (email: string, password: string, ip: string, cookie?: string) =>
  t.app.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ email, password }),
  });

describe("sign-in limits under a burst", () => {
  test("40 parallel wrong passwords get exactly the allowed 5 tries; the rest are 429 without a check", async () => {
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt("burst@example.com", `wrong guess ${i}`, `198.51.100.${i}`)));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    // Even the right password from an unknown browser waits now.
    expect((await attempt("burst@example.com", strongPassword, "203.0.113.200")).status).toBe(429);
  });

  test("an account under attack is not locked against its owner's known browser", async () => {
    // The owner signed in from this browser earlier: it holds a signed device cookie.
    const owner = new Browser(t.app, "192.0.2.10");
    expect((await owner.request("/login", { method: "POST", form: { email: "owner@example.com", password: strongPassword } })).status).toBe(303);
    const device = owner.cookie("device");
    expect(device).toBeString();
    await owner.request("/logout", { method: "POST" });
    // The attacker trips the per-account limit.
    for (let i = 0; i < 6; i++) await attempt("owner@example.com", `attack ${i}`, `198.18.0.${i}`);
    expect((await attempt("owner@example.com", strongPassword, "198.18.0.99")).status).toBe(429);
    // The owner's browser still gets in, by the form and by the API.
    expect((await owner.request("/login", { method: "POST", form: { email: "owner@example.com", password: strongPassword } })).status).toBe(303);
    expect((await attempt("owner@example.com", strongPassword, "192.0.2.10", `device=${device}`)).status).toBe(200);
  });

  test("a forged, altered or borrowed device cookie is just an unknown browser", async () => {
    const owner = new Browser(t.app, "192.0.2.11");
    await owner.request("/login", { method: "POST", form: { email: "owner@example.com", password: strongPassword } });
    const [userId, issuedAt, sig] = owner.cookie("device")!.split(".");
    // That sign-in cleared the account's failures: the attacker trips the limit again.
    for (let i = 0; i < 6; i++) await attempt("owner@example.com", `attack again ${i}`, `198.18.2.${i}`);
    const forged = [
      `${userId}.${issuedAt}.${sig!.slice(0, -2)}AA`,
      `${userId}.${Number(issuedAt) + 1}.${sig}`,
      `someone-else.${issuedAt}.${sig}`,
      "garbage",
    ];
    for (const cookie of forged) expect((await attempt("owner@example.com", strongPassword, "198.18.1.1", `device=${cookie}`)).status).toBe(429);
    // Another account's genuine device cookie does not lift this account's limit either.
    const other = new Browser(t.app, "192.0.2.12");
    await other.request("/login", { method: "POST", form: { email: "stolen@example.com", password: strongPassword } });
    expect((await attempt("owner@example.com", strongPassword, "198.18.1.2", `device=${other.cookie("device")}`)).status).toBe(429);
  });

  test("the current-password prompt cannot be used to guess the password from a stolen session", async () => {
    const token = await loginToken(t.app, "stolen@example.com");
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.app.request("/api/auth/email", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ email: "thief@example.com", currentPassword: `guess ${i}` }),
        }),
      ),
    );
    expect(guesses.filter((r) => r.status === 400)).toHaveLength(5);
    expect(guesses.filter((r) => r.status === 429)).toHaveLength(15);
  });
});

describe("sign-up limit under a burst", () => {
  test("30 parallel sign-ups from one network: exactly the allowed number are made", async () => {
    const limited = await createTestApp({ REGISTER_MAX_PER_CLIENT: "5" });
    try {
      const burst = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          limited.app.request("/api/auth/register", {
            method: "POST",
            headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.250" },
            body: JSON.stringify({ acceptTerms: true, email: `flood-${i}@example.com`, password: strongPassword, name: `Flood ${i}` }),
          }),
        ),
      );
      expect(burst.filter((r) => r.status === 201)).toHaveLength(5);
      expect(burst.filter((r) => r.status === 429)).toHaveLength(25);
    } finally {
      limited.close();
    }
  });
});
