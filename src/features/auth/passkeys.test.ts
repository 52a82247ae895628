// Passkeys over HTTP, the parts a browser is not needed for: who may start a ceremony, what a forged
// or replayed response gets, and another account's passkeys. (The full ceremony with a real
// authenticator is tests/e2e/passkeys.e2e.test.ts.)
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, loginToken, registerUser, strongPassword, type TestApp } from "../../test/app";
import { passkeys } from "../../schema";

let t: TestApp;
let alice: string;
let mallory: string;
beforeAll(async () => {
  t = await createTestApp();
  const a = await registerUser(t.app, "alice-pk@example.com", "Alice Key");
  await registerUser(t.app, "mallory-pk@example.com", "Mallory Key");
  alice = await loginToken(t.app, "alice-pk@example.com");
  mallory = await loginToken(t.app, "mallory-pk@example.com");
  await t.deps.db.insert(passkeys).values({ id: "alice-credential", userId: a.id, publicKey: "AAAA", counter: 0, transports: [], name: "Alice's phone", createdAt: t.deps.now() });
});
afterAll(() => t.close());

const call = (token: string | null, method: string, path: string, body?: unknown) =>
  t.app.request(path, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const fakeResponse = (id: string) => ({ id, rawId: id, type: "public-key", response: { clientDataJSON: "e30", authenticatorData: "AAAA", signature: "AAAA" }, clientExtensionResults: {} });

describe("passkeys over HTTP", () => {
  test("starting to add one needs the password; the options name this site and ask for user verification", async () => {
    expect((await call(alice, "POST", "/api/auth/passkeys/options", {})).status).toBe(400);
    expect((await call(alice, "POST", "/api/auth/passkeys/options", { currentPassword: "not it at all" })).status).toBe(400);
    const started = await call(alice, "POST", "/api/auth/passkeys/options", { currentPassword: strongPassword });
    expect(started.status).toBe(200);
    const { options, challengeId } = (await started.json()) as { challengeId: string; options: { rp: { id: string }; authenticatorSelection: { userVerification: string }; excludeCredentials: { id: string }[] } };
    expect(options.rp.id).toBe("localhost");
    expect(options.authenticatorSelection.userVerification).toBe("required");
    expect(options.excludeCredentials.map((c) => c.id)).toEqual(["alice-credential"]);
    // A forged response is refused, and the ceremony is used up by the try.
    const forged = await call(alice, "POST", "/api/auth/passkeys", { challengeId, response: { ...fakeResponse("x"), response: { clientDataJSON: "e30", attestationObject: "AAAA" } } });
    expect(forged.status).toBe(400);
    const replay = await call(alice, "POST", "/api/auth/passkeys", { challengeId, response: { ...fakeResponse("x"), response: { clientDataJSON: "e30", attestationObject: "AAAA" } } });
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe("passkey_ceremony_expired");
    // Another account cannot use Alice's ceremony.
    const again = (await (await call(alice, "POST", "/api/auth/passkeys/options", { currentPassword: strongPassword })).json()) as { challengeId: string };
    const stolen = await call(mallory, "POST", "/api/auth/passkeys", { challengeId: again.challengeId, response: { ...fakeResponse("x"), response: { clientDataJSON: "e30", attestationObject: "AAAA" } } });
    expect(((await stolen.json()) as { error: { code: string } }).error.code).toBe("passkey_ceremony_expired");
  });

  test("signing in with an unknown, forged or replayed assertion opens no session", async () => {
    const { challengeId } = (await (await call(null, "POST", "/api/auth/passkeys/signin/options")).json()) as { challengeId: string };
    const forged = await call(null, "POST", "/api/auth/passkeys/signin", { challengeId, response: fakeResponse("alice-credential") });
    expect(forged.status).toBe(400);
    expect(forged.headers.getSetCookie().some((c) => c.startsWith("session="))).toBe(false);
    expect((await call(null, "POST", "/api/auth/passkeys/signin", { challengeId, response: fakeResponse("alice-credential") })).status).toBe(400);
    expect((await call(null, "POST", "/api/auth/passkeys/signin", { challengeId: "made-up", response: fakeResponse("nobody") })).status).toBe(400);
    expect((await call(null, "POST", "/api/auth/passkeys/signin", { challengeId: "x", response: { id: 1 } })).status).toBe(400);
  });

  test("another account's passkey: 404 on rename and remove, and it stays", async () => {
    expect((await call(mallory, "PATCH", "/api/auth/passkeys/alice-credential", { name: "mine now" })).status).toBe(404);
    expect((await call(mallory, "DELETE", "/api/auth/passkeys/alice-credential", { currentPassword: strongPassword })).status).toBe(404);
    const list = (await (await call(alice, "GET", "/api/auth/passkeys")).json()) as { passkeys: { name: string }[] };
    expect(list.passkeys.map((p) => p.name)).toEqual(["Alice's phone"]);
    expect((await call(alice, "PATCH", "/api/auth/passkeys/alice-credential", { name: "Work phone" })).status).toBe(204);
    expect((await call(alice, "DELETE", "/api/auth/passkeys/alice-credential", { currentPassword: strongPassword })).status).toBe(204);
    expect(((await (await call(alice, "GET", "/api/auth/passkeys")).json()) as { passkeys: unknown[] }).passkeys).toEqual([]);
  });
});

describe("a passkey as the second step after a password", () => {
  test("the password alone gives no session; the options name only this account's passkeys; a forged answer is refused", async () => {
    const bob = await registerUser(t.app, "bob-pk@example.com", "Bob Key");
    await t.deps.db.insert(passkeys).values({ id: "bob-credential", userId: bob.id, publicKey: "AAAA", counter: 0, transports: [], name: "Bob's key", createdAt: t.deps.now() });
    const first = (await (await call(null, "POST", "/api/auth/login", { email: "bob-pk@example.com", password: strongPassword })).json()) as { twoFactorRequired: boolean; pendingToken: string; token?: string };
    expect(first.twoFactorRequired).toBe(true);
    expect(first.token).toBeUndefined();
    const started = await call(null, "POST", "/api/auth/login/two-factor/passkey/options", { pendingToken: first.pendingToken });
    const { options, challengeId } = (await started.json()) as { challengeId: string; options: { allowCredentials: { id: string }[] } };
    expect(options.allowCredentials.map((c) => c.id)).toEqual(["bob-credential"]);
    // Another account's credential id, or a forged signature: refused, no session.
    const forged = await call(null, "POST", "/api/auth/login/two-factor/passkey", { pendingToken: first.pendingToken, challengeId, response: fakeResponse("bob-credential") });
    expect(forged.status).toBe(400);
    expect(forged.headers.getSetCookie().some((c) => c.startsWith("session="))).toBe(false);
    // Without a pending sign-in there is nothing to answer.
    expect((await call(null, "POST", "/api/auth/login/two-factor/passkey/options", { pendingToken: "made-up-token-000000" })).status).toBe(401);
  });
});
