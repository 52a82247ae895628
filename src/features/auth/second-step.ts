// The pieces of two-factor sign-in that the first step needs: whether an account has a second factor,
// the pending sign-in a correct password (or provider) starts, and the TOTP arithmetic. Managing the
// factors and finishing the sign-in are in two-factor.ts.
import { generateHOTP } from "@oslojs/otp";
import { and, eq, gt, isNotNull, lt } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import { constantTimeEqual, randomToken, sha256Hex } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { passkeys } from "./passkey-schema";
import { pendingSignIns, totpCredentials } from "./two-factor-schema";

export const TOTP_STEP_MS = 30_000;
export const TOTP_DIGITS = 6;
/** How long the second step may take after the first. */
export const PENDING_SIGN_IN_MS = 5 * 60_000;
/** Wrong codes one pending sign-in allows before the password must be given again. */
export const PENDING_SIGN_IN_TRIES = 5;

/** A pending sign-in that is gone: too old, used up, or out of tries. */
export const pendingExpired = () => new AppError(401, "sign_in_expired", "The sign-in took too long or had too many wrong codes. Sign in again.");

/** Whether the account must give a second factor after its password: it has a confirmed authenticator app or a passkey. */
export async function hasTwoFactor(db: Db | Tx, userId: string): Promise<boolean> {
  const [totp] = await db
    .select({ userId: totpCredentials.userId })
    .from(totpCredentials)
    .where(and(eq(totpCredentials.userId, userId), isNotNull(totpCredentials.confirmedAt)))
    .limit(1);
  if (totp) return true;
  const [key] = await db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, userId)).limit(1);
  return key !== undefined;
}

/** The account a live pending sign-in belongs to, with whether it can answer with an app code and with a passkey. */
export async function pendingSignInOf(deps: Pick<Deps, "db" | "now">, token: string): Promise<{ userId: string; method: string; firstFactorOk: boolean; totp: boolean; passkeys: boolean } | null> {
  const [pending] = await deps.db
    .select({ userId: pendingSignIns.userId, method: pendingSignIns.method, firstFactorOk: pendingSignIns.firstFactorOk })
    .from(pendingSignIns)
    .where(and(eq(pendingSignIns.tokenHash, sha256Hex(token)), gt(pendingSignIns.expiresAt, deps.now())))
    .limit(1);
  if (!pending) return null;
  const [totp] = await deps.db.select({ id: totpCredentials.userId }).from(totpCredentials).where(and(eq(totpCredentials.userId, pending.userId), isNotNull(totpCredentials.confirmedAt))).limit(1);
  const [key] = await deps.db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, pending.userId)).limit(1);
  return { ...pending, totp: totp !== undefined, passkeys: key !== undefined };
}

/**
 * The 30-second step whose code this is — the current one or one either side (clock drift) — or
 * null. Time comes from the server (deps.now), never the client.
 */
export function matchingStep(key: Uint8Array, code: string, now: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const current = Math.floor(now / TOTP_STEP_MS);
  for (const step of [current - 1, current, current + 1]) {
    if (constantTimeEqual(generateHOTP(key, BigInt(step), TOTP_DIGITS), code)) return step;
  }
  return null;
}

/** A sign-in whose first factor is proved; the token goes in a cookie (or the JSON answer), its hash here. */
export async function startPendingSignIn(deps: Pick<Deps, "db" | "now">, userId: string, method: string, firstFactorOk = true): Promise<string> {
  const token = randomToken(20);
  const now = deps.now();
  await writeTransaction(deps.db, async (tx) => {
    await tx.delete(pendingSignIns).where(lt(pendingSignIns.expiresAt, now));
    await tx.insert(pendingSignIns).values({ tokenHash: sha256Hex(token), userId, method, createdAt: now, expiresAt: now + PENDING_SIGN_IN_MS, firstFactorOk });
  });
  return token;
}

/** Ends a pending sign-in that its second factor has just answered; false when it was already used or gone. */
export async function finishPendingSignIn(deps: Pick<Deps, "db">, token: string): Promise<boolean> {
  const removed = await writeTransaction(deps.db, (tx) => tx.delete(pendingSignIns).where(eq(pendingSignIns.tokenHash, sha256Hex(token))).returning());
  return removed.length === 1;
}
