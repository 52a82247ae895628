// Key rotation end to end: secrets sealed with an old key still work, `resealAll` moves them to the
// new key, and then the old key can go — two-factor sign-in keeps working throughout.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { openSecret, parseSecretKeys } from "./lib/secret-box";
import { totpCredentials, users } from "./schema";
import { resealAll } from "./sealed-columns";
import { createTestApp, loginToken, registerUser, strongPassword, type TestApp } from "./test/app";

const OLD = `old:${Buffer.alloc(32, 7).toString("base64")}`;
const NEW = `new:${Buffer.alloc(32, 9).toString("base64")}`;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ SECRET_KEYS: OLD });
});
afterAll(() => t.close());

describe("rotating SECRET_KEYS", () => {
  test("re-seals every TOTP seed with the new key, once, without changing what it holds", async () => {
    await registerUser(t.app, "rotate@example.com", "Rotating");
    const token = await loginToken(t.app, "rotate@example.com");
    const setup = await t.app.request("/api/auth/two-factor/setup", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ currentPassword: strongPassword }),
    });
    const { secret } = (await setup.json()) as { secret: string };
    const [user] = await t.deps.db.select().from(users).where(eq(users.email, "rotate@example.com"));
    const before = (await t.deps.db.select().from(totpCredentials).where(eq(totpCredentials.userId, user!.id)))[0]!.secretSealed;
    expect(before).toStartWith("v1.old.");

    const both = parseSecretKeys(`${NEW},${OLD}`);
    expect(await resealAll(t.deps.db, both)).toBe(1);
    expect(await resealAll(t.deps.db, both)).toBe(0);
    const after = (await t.deps.db.select().from(totpCredentials).where(eq(totpCredentials.userId, user!.id)))[0]!.secretSealed;
    expect(after).toStartWith("v1.new.");

    // With only the new key, the app still reads the same seed.
    const seed = await openSecret(parseSecretKeys(NEW), "totp", after);
    expect(encodeBase32UpperCaseNoPadding(new Uint8Array(Buffer.from(seed, "base64")))).toBe(secret);
  });
});
