import { argon2idAsync } from "@noble/hashes/argon2.js";
import { decodeBase64IgnorePadding, encodeBase64NoPadding } from "@oslojs/encoding";
import { constantTimeEqual } from "./crypto";

/**
 * Passwords are stored as Argon2id PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), OWASP's
 * first choice. Bun hashes natively (src/runtime/bun-password.ts); Workers use this pure-JS
 * implementation. Both read and write the same format, so one database can serve both runtimes.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(phc: string, password: string): Promise<boolean>;
}

/** OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB, 2 iterations, 1 lane. */
export const ARGON2ID_PARAMS = { memoryKiB: 19456, iterations: 2, parallelism: 1 } as const;

interface ParsedArgon2id {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

export function parseArgon2idPhc(phc: string): ParsedArgon2id | null {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!match) return null;
  const [, m, t, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  return {
    memoryKiB: Number(m),
    iterations: Number(t),
    parallelism: Number(p),
    salt: decodeBase64IgnorePadding(salt),
    hash: decodeBase64IgnorePadding(hash),
  };
}

function formatArgon2idPhc(params: Omit<ParsedArgon2id, "salt" | "hash">, salt: Uint8Array, hash: Uint8Array) {
  return `$argon2id$v=19$m=${params.memoryKiB},t=${params.iterations},p=${params.parallelism}$${encodeBase64NoPadding(salt)}$${encodeBase64NoPadding(hash)}`;
}

async function derive(password: string, salt: Uint8Array, params: Omit<ParsedArgon2id, "salt" | "hash">, length: number) {
  return argon2idAsync(new TextEncoder().encode(password), salt, {
    m: params.memoryKiB,
    t: params.iterations,
    p: params.parallelism,
    dkLen: length,
  });
}

export const portablePasswordHasher: PasswordHasher = {
  async hash(password) {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const hash = await derive(password, salt, ARGON2ID_PARAMS, 32);
    return formatArgon2idPhc(ARGON2ID_PARAMS, salt, hash);
  },
  async verify(phc, password) {
    const parsed = parseArgon2idPhc(phc);
    if (!parsed) return false;
    const candidate = await derive(password, parsed.salt, parsed, parsed.hash.length);
    return constantTimeEqual(encodeBase64NoPadding(candidate), encodeBase64NoPadding(parsed.hash));
  },
};
