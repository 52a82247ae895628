import { describe, expect, test } from "bun:test";
import { openSecret, parseSecretKeys, sealSecret, sealedWithOldKey, SecretKeysError } from "./secret-box";

const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");

describe("the secret box", () => {
  test("seals with the current key, opens with any listed key, and names the key in each value", async () => {
    const old = parseSecretKeys(`k1:${key(1)}`);
    const sealed = await sealSecret(old, "totp", "JBSWY3DPEHPK3PXP");
    expect(sealed).toMatch(/^v1\.k1\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    // The same plaintext twice: two different values (a fresh IV each time).
    expect(await sealSecret(old, "totp", "JBSWY3DPEHPK3PXP")).not.toBe(sealed);

    const rotated = parseSecretKeys(`k2:${key(2)},k1:${key(1)}`);
    expect(await openSecret(rotated, "totp", sealed)).toBe("JBSWY3DPEHPK3PXP");
    expect(sealedWithOldKey(rotated, sealed)).toBe(true);
    const resealed = await sealSecret(rotated, "totp", await openSecret(rotated, "totp", sealed));
    expect(sealedWithOldKey(rotated, resealed)).toBe(false);
    // Once k1 is dropped, only the re-sealed value opens.
    const onlyNew = parseSecretKeys(`k2:${key(2)}`);
    expect(await openSecret(onlyNew, "totp", resealed)).toBe("JBSWY3DPEHPK3PXP");
    await expect(openSecret(onlyNew, "totp", sealed)).rejects.toThrow("k1");
  });

  test("a value for another purpose, a flipped bit or garbage does not open", async () => {
    const keys = parseSecretKeys(`k1:${key(1)}`);
    const sealed = await sealSecret(keys, "totp", "secret");
    await expect(openSecret(keys, "webhook", sealed)).rejects.toThrow();
    const parts = sealed.split(".");
    const last = parts[3]!;
    const flipped = [...parts.slice(0, 3), (last[0] === "A" ? "B" : "A") + last.slice(1)].join(".");
    await expect(openSecret(keys, "totp", flipped)).rejects.toThrow();
    await expect(openSecret(keys, "totp", "not sealed")).rejects.toThrow(SecretKeysError);
  });

  test("bad SECRET_KEYS are named; development gets a fixed key", () => {
    expect(() => parseSecretKeys("k1")).toThrow(SecretKeysError);
    expect(() => parseSecretKeys(`k1:${Buffer.alloc(16).toString("base64")}`)).toThrow("32 bytes");
    expect(() => parseSecretKeys(`k1:${key(1)},k1:${key(2)}`)).toThrow("unique");
    expect(parseSecretKeys(undefined)).toHaveLength(1);
  });
});
