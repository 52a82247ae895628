// A browser that has signed in to an account before carries a signed cookie naming that account.
// The per-account sign-in limit (which an attacker can trip to lock the owner out) does not apply to
// it; the per-client limit still does. Signed with SECRET_KEYS, so it cannot be forged.
import { getCookie, setCookie } from "hono/cookie";
import type { Config } from "../../config";
import type { AppContext } from "../../http/types";
import { constantTimeEqual } from "../../lib/crypto";
import { signWithKey } from "../../lib/secret-box";
import { isSecureRequest } from "./session-cookie";

const MAX_AGE_SECONDS = 90 * 24 * 3600;
const PLAIN = "device";
const SECURE = "__Host-device";

async function signature(config: Pick<Config, "secretKeys">, keyIndex: number, userId: string, issuedAt: number) {
  return signWithKey(config.secretKeys[keyIndex]!, `device:${userId}:${issuedAt}`);
}

/** Marks this browser as one that signed in to `userId`. */
export async function rememberDevice(c: AppContext, userId: string): Promise<void> {
  const issuedAt = c.var.deps.now();
  const value = `${userId}.${issuedAt}.${await signature(c.var.deps.config, 0, userId, issuedAt)}`;
  const secure = isSecureRequest(c);
  setCookie(c, secure ? SECURE : PLAIN, value, { path: "/", httpOnly: true, secure, sameSite: "Lax", maxAge: MAX_AGE_SECONDS });
}

/** The account this browser has signed in to before, if its cookie is genuine and not too old. */
export async function knownDeviceUser(c: AppContext): Promise<string | null> {
  const raw = getCookie(c, isSecureRequest(c) ? SECURE : PLAIN);
  const [userId, issued, sig] = raw?.split(".") ?? [];
  const issuedAt = Number(issued);
  if (!userId || !sig || !Number.isSafeInteger(issuedAt)) return null;
  if (c.var.deps.now() - issuedAt > MAX_AGE_SECONDS * 1000) return null;
  const keys = c.var.deps.config.secretKeys;
  for (let i = 0; i < keys.length; i++) {
    if (constantTimeEqual(sig, await signature(c.var.deps.config, i, userId, issuedAt))) return userId;
  }
  return null;
}
