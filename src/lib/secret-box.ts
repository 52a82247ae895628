// Every secret the platform must keep readable (TOTP seeds now; calendar provider tokens and module
// webhook secrets later) is stored through here: AES-256-GCM (WebCrypto, on Bun and Workers) with a
// key from SECRET_KEYS, the key's id in each value so keys can rotate, and the value's purpose as
// additional data so a ciphertext moved to another column does not decrypt.
//   SECRET_KEYS="k2:<base64 of 32 bytes>,k1:<…>"   the first key encrypts; every listed key decrypts.
// A stored value: "v1.<key id>.<iv, base64url>.<ciphertext+tag, base64url>".
import { decodeBase64, decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { sha256 } from "@oslojs/crypto/sha2";

export interface SecretKey {
  id: string;
  raw: Uint8Array<ArrayBuffer>;
}

export class SecretKeysError extends Error {
  override name = "SecretKeysError";
}

/**
 * Parses SECRET_KEYS. Without it (development and tests only; production refuses to start) one key is
 * derived from a fixed phrase: values stay readable across restarts, and protect nothing.
 */
export function parseSecretKeys(value: string | undefined): SecretKey[] {
  if (!value) return [{ id: "dev", raw: new Uint8Array(sha256(new TextEncoder().encode("block-on-block development key, not secret"))) }];
  const keys = value.split(",").map((part) => {
    const [id, encoded] = part.trim().split(":");
    if (!id || !/^[a-z0-9_-]{1,16}$/i.test(id) || !encoded) throw new SecretKeysError("each key is <id>:<base64 of 32 bytes>, the id 1–16 letters, digits, _ or -");
    let raw: Uint8Array;
    try {
      raw = decodeBase64(encoded);
    } catch {
      throw new SecretKeysError(`key ${id} is not valid base64`);
    }
    if (raw.length !== 32) throw new SecretKeysError(`key ${id} must be 32 bytes (base64 of 32 random bytes, e.g. openssl rand -base64 32)`);
    return { id, raw: new Uint8Array(raw) };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new SecretKeysError("key ids must be unique");
  return keys;
}

const cryptoKeys = new WeakMap<SecretKey, Promise<CryptoKey>>();
function aesKey(key: SecretKey): Promise<CryptoKey> {
  let found = cryptoKeys.get(key);
  if (!found) cryptoKeys.set(key, (found = crypto.subtle.importKey("raw", key.raw, "AES-GCM", false, ["encrypt", "decrypt"])));
  return found;
}

const bytes = (text: string) => new TextEncoder().encode(text);

/** Encrypts `plaintext` for `purpose` (like "totp") with the first (current) key. */
export async function sealSecret(keys: SecretKey[], purpose: string, plaintext: string): Promise<string> {
  const key = keys[0]!;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: bytes(purpose) }, await aesKey(key), bytes(plaintext)));
  return `v1.${key.id}.${encodeBase64urlNoPadding(iv)}.${encodeBase64urlNoPadding(sealed)}`;
}

/** Decrypts a value sealed for `purpose` with any listed key; throws when the key is gone or the value was tampered with. */
export async function openSecret(keys: SecretKey[], purpose: string, value: string): Promise<string> {
  const [version, keyId, iv, sealed] = value.split(".");
  if (version !== "v1" || !keyId || !iv || !sealed) throw new SecretKeysError("not a sealed value");
  const key = keys.find((k) => k.id === keyId);
  if (!key) throw new SecretKeysError(`key ${keyId} is not in SECRET_KEYS`);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: new Uint8Array(decodeBase64urlIgnorePadding(iv)), additionalData: bytes(purpose) },
    await aesKey(key),
    new Uint8Array(decodeBase64urlIgnorePadding(sealed)),
  );
  return new TextDecoder().decode(plain);
}

/** Whether a sealed value was made with a key other than the current one (so rotation should re-seal it). */
export function sealedWithOldKey(keys: SecretKey[], value: string): boolean {
  return value.split(".")[1] !== keys[0]!.id;
}

/** HMAC-SHA-256 of `message` with the current key, base64url: for signed cookies (a known device). */
export async function signWithKey(key: SecretKey, message: string): Promise<string> {
  const hmac = await crypto.subtle.importKey("raw", key.raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return encodeBase64urlNoPadding(new Uint8Array(await crypto.subtle.sign("HMAC", hmac, bytes(`sign:${message}`))));
}
