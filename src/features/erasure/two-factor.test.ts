// An account with two factors during its deletion's grace period: the password alone is not enough
// for the offer — the second step comes first (the existing pending sign-in), and only then the
// offer, on the page (a redirect) and in JSON (409 with the offer's token). The offer's token is no
// second-step token.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { generateHOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { Browser, createTestApp, loginToken, registerUser, strongPassword, type TestApp } from "../../test/app";

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

const post = (path: string, body: unknown, token?: string) =>
  t.app.request(path, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
const codeFor = (secret: string) => generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(t.deps.now() / 30_000)), 6);

async function withTwoFactor(email: string) {
  await registerUser(t.app, email, "Two Factor Leaving");
  const token = await loginToken(t.app, email);
  const setup = (await (await post("/api/auth/two-factor/setup", { currentPassword: strongPassword }, token)).json()) as { secret: string };
  expect((await post("/api/auth/two-factor/confirm", { code: codeFor(setup.secret) }, token)).status).toBe(200);
  t.advance(30_000);
  expect((await post("/api/me/deletion", { password: strongPassword }, token)).status).toBe(202);
  return setup.secret;
}

test("JSON: password, then the code, then the offer (409 with its token), which cancels", async () => {
  const secret = await withTwoFactor("tf.json@example.com");
  const first = (await (await post("/api/auth/login", { email: "tf.json@example.com", password: strongPassword })).json()) as { twoFactorRequired: boolean; pendingToken: string };
  expect(first.twoFactorRequired).toBe(true);
  const second = await post("/api/auth/login/two-factor", { pendingToken: first.pendingToken, code: codeFor(secret) });
  expect(second.status).toBe(409);
  const { error } = (await second.json()) as { error: { code: string; details: { pendingToken: string } } };
  expect(error.code).toBe("deletion_scheduled");
  // The offer's token does not pass for a second step.
  t.advance(30_000);
  expect((await post("/api/auth/login/two-factor", { pendingToken: error.details.pendingToken, code: codeFor(secret) })).status).toBe(401);
  const cancelled = await t.app.request("/api/me/deletion", { method: "DELETE", headers: { "content-type": "application/json" }, body: JSON.stringify({ pendingToken: error.details.pendingToken }) });
  expect(cancelled.status).toBe(200);
});

test("pages: the two-factor form leads to the offer page", async () => {
  const secret = await withTwoFactor("tf.page@example.com");
  const browser = new Browser(t.app);
  const first = await browser.request("/login", { method: "POST", form: { email: "tf.page@example.com", password: strongPassword } });
  expect(first.headers.get("location")).toStartWith("/login/two-factor");
  const second = await browser.request("/login/two-factor", { method: "POST", form: { code: codeFor(secret) } });
  expect(second.status).toBe(303);
  expect(second.headers.get("location")).toBe("/account/deletion");
  expect(await (await browser.request("/account/deletion")).text()).toContain("Cancel the deletion and sign in");
  expect((await browser.request("/api/auth/me")).status).toBe(401);
});
