// Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and ten recovery codes: set up,
// confirm, turn off, new codes, and the second step of a sign-in. Every change is re-authenticated,
// audited, mailed to the owner and ends the account's other sessions (account-notices.ts).
import { createTOTPKeyURI } from "@oslojs/otp";
import { decodeBase64, encodeBase32UpperCaseNoPadding, encodeBase64 } from "@oslojs/encoding";
import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { randomToken, sha256Hex } from "../../lib/crypto";
import { AppError, validationError } from "../../lib/errors";
import { openSecret, sealSecret } from "../../lib/secret-box";
import { recordAudit, type RequestMeta } from "../audit";
import { rateLimited, recordHit, retryAfterSeconds, takeHit } from "../ratelimit";
import { mailSecurityNotice, recordSecurityChange } from "./account-notices";
import { users } from "./schema";
import { matchingStep, pendingExpired, PENDING_SIGN_IN_TRIES, TOTP_DIGITS, TOTP_STEP_MS } from "./second-step";
import { confirmIdentity, openSession } from "./service";
import type { NewSession } from "./sessions";
import type { PublicUser } from "./users";
import { pendingSignIns, recoveryCodes, totpCredentials } from "./two-factor-schema";

const ISSUER = "Block on Block";
const RECOVERY_CODE_COUNT = 10;
const PURPOSE = "totp";

export interface TwoFactorStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(deps: Pick<Deps, "db">, userId: string): Promise<TwoFactorStatus> {
  const [totp] = await deps.db.select({ confirmedAt: totpCredentials.confirmedAt }).from(totpCredentials).where(eq(totpCredentials.userId, userId)).limit(1);
  const [codes] = await deps.db.select({ n: count() }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return { enabled: totp?.confirmedAt != null, recoveryCodesLeft: codes?.n ?? 0 };
}

/** A recovery code as shown: 24 base32 letters (120 bits) in groups of four. */
function newRecoveryCode(): string {
  return randomToken(15).match(/.{4}/g)!.join("-");
}
const normalizeCode = (code: string) => code.toLowerCase().replace(/[^a-z2-7]/g, "");

async function replaceRecoveryCodes(tx: Tx, userId: string, now: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(codes.map((code) => ({ codeHash: sha256Hex(normalizeCode(code)), userId, createdAt: now })));
  return codes;
}

export interface TotpSetup {
  /** The seed in base32, for typing into an app by hand. */
  secret: string;
  /** otpauth:// URI, what the QR code holds. */
  uri: string;
}

async function setupOf(deps: Pick<Deps, "config">, email: string, sealed: string): Promise<TotpSetup> {
  const key = decodeBase64(await openSecret(deps.config.secretKeys, PURPOSE, sealed));
  return { secret: encodeBase32UpperCaseNoPadding(key), uri: createTOTPKeyURI(ISSUER, email, key, TOTP_STEP_MS / 1000, TOTP_DIGITS) };
}

/**
 * Starts setting up an authenticator app (after the password, or a recent sign-in): a new seed,
 * sealed, not yet in force. Starting again replaces an unconfirmed seed; a confirmed one must be
 * turned off first.
 */
export async function startTotpSetup(deps: Deps, userId: string, session: { authenticatedAt: number }, currentPassword: string | undefined): Promise<TotpSetup> {
  const user = await confirmIdentity(deps, userId, session, currentPassword, "/profile#two-factor");
  if ((await twoFactorStatus(deps, userId)).enabled) throw new AppError(409, "two_factor_enabled", "Two-factor sign-in is already on. Turn it off first to use another app.");
  const key = crypto.getRandomValues(new Uint8Array(20));
  const sealed = await sealSecret(deps.config.secretKeys, PURPOSE, encodeBase64(key));
  await deps.db
    .insert(totpCredentials)
    .values({ userId, secretSealed: sealed, confirmedAt: null, createdAt: deps.now() })
    .onConflictDoUpdate({ target: totpCredentials.userId, set: { secretSealed: sealed, confirmedAt: null, lastUsedStep: 0, createdAt: deps.now() } });
  return setupOf(deps, user.email, sealed);
}

/** The seed waiting to be confirmed, to show its QR code again (a form shown with an error). */
export async function pendingTotpSetup(deps: Pick<Deps, "db" | "config">, userId: string, email: string): Promise<TotpSetup | null> {
  const [row] = await deps.db.select().from(totpCredentials).where(and(eq(totpCredentials.userId, userId), isNull(totpCredentials.confirmedAt))).limit(1);
  return row ? setupOf(deps, email, row.secretSealed) : null;
}

/** Second-factor codes one account may try per sign-in window, however many pending sign-ins it has. */
const codeTries = (deps: Pick<Deps, "config">, userId: string) => ({ bucket: `2fa:user:${userId}`, max: 10, windowMs: deps.config.LOGIN_FAILURE_WINDOW_SECONDS * 1000 });

/** Counts a second-factor try for this account before it is checked; a burst cannot try more codes than this allows. */
async function countCodeTry(deps: Deps, userId: string): Promise<void> {
  if (deps.config.RATE_LIMIT === "off") return;
  const wait = await takeHit(deps.db, deps.now(), [codeTries(deps, userId)]);
  if (wait > 0) throw rateLimited("Too many codes tried. Try again later.", wait);
}

/** Accepts a TOTP code once: its step must be newer than the last one used (in the caller's transaction). */
async function useTotpCode(deps: Pick<Deps, "config" | "now">, tx: Tx, userId: string, code: string, confirmed: boolean): Promise<boolean> {
  const [row] = await tx.select().from(totpCredentials).where(eq(totpCredentials.userId, userId)).limit(1);
  if (!row || (row.confirmedAt !== null) !== confirmed) return false;
  const key = decodeBase64(await openSecret(deps.config.secretKeys, PURPOSE, row.secretSealed));
  const step = matchingStep(key, code.replace(/\s/g, ""), deps.now());
  if (step === null || step <= row.lastUsedStep) return false;
  const updated = await tx
    .update(totpCredentials)
    .set({ lastUsedStep: step, ...(confirmed ? {} : { confirmedAt: deps.now() }) })
    .where(and(eq(totpCredentials.userId, userId), sql`${totpCredentials.lastUsedStep} < ${step}`))
    .returning();
  return updated.length === 1;
}

async function useRecoveryCode(tx: Tx, userId: string, code: string, now: number): Promise<boolean> {
  const normalized = normalizeCode(code);
  if (normalized.length !== 24) return false;
  const used = await tx
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.codeHash, sha256Hex(normalized)), eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .returning();
  return used.length === 1;
}

const wrongCode = () => validationError({ code: ["That code is not right (or was already used). Try the current one."] }, "That code is not right.");

/**
 * Confirms the app with a code from it: two-factor sign-in is on, the ten recovery codes are made
 * (shown once), this session counts as signed in with two factors, every other session ends.
 */
export async function confirmTotpSetup(deps: Deps, userId: string, sessionId: string, code: string, meta: RequestMeta): Promise<string[]> {
  await countCodeTry(deps, userId);
  const { codes, email } = await writeTransaction(deps.db, async (tx) => {
    if (!(await useTotpCode(deps, tx, userId, code, false))) throw wrongCode();
    const now = deps.now();
    const codes = await replaceRecoveryCodes(tx, userId, now);
    await tx.run(sql`update sessions set second_factor = 'totp' where id = ${sessionId}`);
    await recordSecurityChange(tx, now, meta, { userId, action: "auth.totp_enable", keepSessionId: sessionId });
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    return { codes, email: user!.email };
  });
  await mailSecurityNotice(deps, email, { subject: "two-factor sign-in is on", what: "Two-factor sign-in with an authenticator app was turned on for your Block on Block account." }, meta);
  return codes;
}

/** Turns two-factor sign-in off (the password or a recent sign-in, and a current code or a recovery code). */
export async function disableTwoFactor(
  deps: Deps,
  userId: string,
  session: { id: string; authenticatedAt: number },
  input: { currentPassword?: string; code: string },
  meta: RequestMeta,
): Promise<void> {
  const user = await confirmIdentity(deps, userId, session, input.currentPassword, "/profile#two-factor");
  await countCodeTry(deps, userId);
  await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const ok = (await useTotpCode(deps, tx, userId, input.code, true)) || (await useRecoveryCode(tx, userId, input.code, now));
    if (!ok) throw wrongCode();
    await tx.delete(totpCredentials).where(eq(totpCredentials.userId, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await recordSecurityChange(tx, now, meta, { userId, action: "auth.totp_disable", keepSessionId: session.id });
  });
  await mailSecurityNotice(deps, user.email, { subject: "two-factor sign-in is off", what: "Two-factor sign-in was turned off for your Block on Block account." }, meta);
}

/** Ten new recovery codes (the old ones stop working), after the password or a recent sign-in. */
export async function regenerateRecoveryCodes(deps: Deps, userId: string, session: { id: string; authenticatedAt: number }, currentPassword: string | undefined, meta: RequestMeta): Promise<string[]> {
  const user = await confirmIdentity(deps, userId, session, currentPassword, "/profile#two-factor");
  if (!(await twoFactorStatus(deps, userId)).enabled) throw new AppError(409, "two_factor_off", "Turn two-factor sign-in on first.");
  const codes = await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const codes = await replaceRecoveryCodes(tx, userId, now);
    await recordSecurityChange(tx, now, meta, { userId, action: "auth.recovery_codes_regenerate", keepSessionId: session.id });
    return codes;
  });
  await mailSecurityNotice(deps, user.email, { subject: "new recovery codes", what: "New recovery codes were made for your Block on Block account; the old ones no longer work." }, meta);
  return codes;
}

/**
 * The second step: a code from the app or a recovery code for the pending sign-in `token`. Right: a
 * session that records the second factor. Wrong: counted (per sign-in and per account); after a few,
 * the pending sign-in is gone and the password must be given again.
 */
export async function completePendingSignIn(deps: Deps, token: string, code: string, meta: RequestMeta): Promise<NewSession & { user: PublicUser }> {
  const tokenHash = sha256Hex(token);
  // One write transaction for the try and everything it decides (counted, checked, failures
  // recorded): nothing is thrown inside, so a wrong code's count is never rolled back.
  const outcome = await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const [pending] = await tx
      .select({ userId: pendingSignIns.userId, method: pendingSignIns.method, firstFactorOk: pendingSignIns.firstFactorOk, user: users })
      .from(pendingSignIns)
      .innerJoin(users, eq(users.id, pendingSignIns.userId))
      .where(and(eq(pendingSignIns.tokenHash, tokenHash), gt(pendingSignIns.expiresAt, now)))
      .limit(1);
    if (!pending || (pending.user.disabledAt !== null && pending.user.disabledReason !== "deletion") || pending.method.startsWith("deletion:")) return { kind: "expired" as const };
    if (deps.config.RATE_LIMIT === "on") {
      const check = codeTries(deps, pending.userId);
      const wait = await retryAfterSeconds(tx, now, [check]);
      if (wait > 0) return { kind: "limited" as const, wait };
      await recordHit(tx, now, [check.bucket]);
    }
    // A sign-in whose password was wrong (an account under attack, see login) is never completed, and
    // its codes are not even looked at, so none is used up.
    const factor = !pending.firstFactorOk
      ? null
      : (await useTotpCode(deps, tx, pending.userId, code, true))
        ? "totp"
        : (await useRecoveryCode(tx, pending.userId, code, now))
          ? "recovery"
          : null;
    if (factor) {
      await tx.delete(pendingSignIns).where(eq(pendingSignIns.tokenHash, tokenHash));
      return { kind: "ok" as const, factor, user: pending.user, method: pending.method };
    }
    const [counted] = await tx
      .update(pendingSignIns)
      .set({ failures: sql`${pendingSignIns.failures} + 1` })
      .where(eq(pendingSignIns.tokenHash, tokenHash))
      .returning({ failures: pendingSignIns.failures });
    await recordAudit(tx, now, meta, { actorUserId: null, action: "auth.login_failed", targetType: "user", targetId: pending.userId, details: { reason: "wrong_second_factor" } });
    if (!counted || counted.failures >= PENDING_SIGN_IN_TRIES) {
      await tx.delete(pendingSignIns).where(eq(pendingSignIns.tokenHash, tokenHash));
      return { kind: "expired" as const };
    }
    return { kind: "wrong" as const };
  });
  if (outcome.kind === "expired") throw pendingExpired();
  if (outcome.kind === "limited") {
    throw rateLimited("Too many codes tried. Try again later.", outcome.wait);
  }
  if (outcome.kind === "wrong") throw wrongCode();
  const { user, factor, method } = outcome;
  const opened = await openSession(deps, user, meta, "auth.login", { method, secondFactor: factor }, { method, secondFactor: factor });
  if (factor === "recovery") {
    await mailSecurityNotice(deps, user.email, { subject: "a recovery code was used", what: "Someone signed in to your Block on Block account with one of your recovery codes. Make new ones on your profile if you are running low." }, meta);
  }
  return opened;
}
