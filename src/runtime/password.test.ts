import { describe, expect, test } from "bun:test";
import { portablePasswordHasher } from "../lib/password";
import { bunPasswordHasher } from "./bun-password";

describe("password hashing", () => {
  test("Bun writes OWASP Argon2id PHC strings", async () => {
    const phc = await bunPasswordHasher.hash("correct horse battery");
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await bunPasswordHasher.verify(phc, "correct horse battery")).toBe(true);
    expect(await bunPasswordHasher.verify(phc, "wrong horse battery")).toBe(false);
  });

  test("a hash made on one runtime verifies on the other", async () => {
    const fromWorker = await portablePasswordHasher.hash("über-secret ☃");
    const fromBun = await bunPasswordHasher.hash("über-secret ☃");
    expect(fromWorker).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await bunPasswordHasher.verify(fromWorker, "über-secret ☃")).toBe(true);
    expect(await portablePasswordHasher.verify(fromBun, "über-secret ☃")).toBe(true);
    expect(await portablePasswordHasher.verify(fromBun, "uber-secret ☃")).toBe(false);
  });

  test("a malformed stored hash never verifies", async () => {
    expect(await portablePasswordHasher.verify("plaintext", "plaintext")).toBe(false);
    expect(await bunPasswordHasher.verify("$2b$10$abc", "x")).toBe(false);
  });
});
