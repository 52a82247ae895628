import { count, eq } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { AppError, validationError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { recordSignUpConsents } from "../consents";
import { resolveLocation, type ResolvedLocation } from "../location";
import { clearBucket, type LimitCheck, rateLimited, releaseHit, takeHit } from "../ratelimit";
import { giveFirstBlockId } from "./block-ids";
import { newPassword, type LoginInput, type RegisterInput } from "./input";
import { checkNewPassword } from "./password-policy";
import { mailSecurityNotice } from "./account-notices";
import { isRecentlyAuthenticated, reauthenticationRequired } from "./recent-auth";
import { hasTwoFactor, startPendingSignIn } from "./second-step";
import { deletionScheduled } from "./deletion-offer";
import { becomesPlatformAdmin, sendVerification } from "./email-verification";
import type { Config } from "../../config";
import { users, type UserRow } from "./schema";
import { createSession, deleteAllSessionsOf, deleteSession, deleteSessionOf, type NewSession, type SessionInfo, type SignInProof } from "./sessions";
import { toPublicUser, type PublicUser } from "./users";

const WRONG_CREDENTIALS = "That email and password do not match an account.";

export async function findUserByEmail(deps: Pick<Deps, "db">, email: string): Promise<UserRow | null> {
  const [row] = await deps.db.select().from(users).where(eq(users.email, email)).limit(1);
  return row ?? null;
}

export async function findUser(deps: Pick<Deps, "db">, id: string): Promise<UserRow> {
  const [row] = await deps.db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!row) throw new AppError(401, "unauthenticated", "Sign in to continue.");
  return row;
}

/** Whether the account has a password (one made through a provider may not have, yet). */
export async function hasPassword(deps: Pick<Deps, "db">, id: string): Promise<boolean> {
  return (await findUser(deps, id)).passwordHash !== null;
}

function emailTaken(): AppError {
  return new AppError(409, "email_taken", "An account with this email already exists.", {
    fieldErrors: { email: ["An account with this email already exists."] },
  });
}

/** A UNIQUE constraint failed; with `column` (like "users.email"), only that one. */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  const text = String((error as { cause?: unknown })?.cause ?? error);
  return text.includes("UNIQUE constraint failed") && (column === undefined || text.includes(column));
}

/** Creates an account with a password. */
export async function register(deps: Deps, input: RegisterInput, meta: RequestMeta): Promise<PublicUser> {
  const windowMs = 3600_000;
  const clientBucket = `register:client:${meta.ipAddress}`;
  // Counted before anything else, in one transaction: a burst of sign-ups cannot pass the limit together.
  await countGuess(deps, [{ bucket: clientBucket, max: deps.config.REGISTER_MAX_PER_CLIENT, windowMs }], "Too many sign-ups from this network. Try again later.");

  await checkNewPassword(deps, input.password, input, "password");
  const location = await resolveLocation(deps, input, { edge: meta.edge ?? null, ip: meta.ipAddress });
  const passwordHash = await deps.passwords.hash(input.password);
  try {
    const user = await writeTransaction(deps.db, async (tx) => {
      const row = await insertUser(tx, deps.config, deps.now(), { email: input.email, name: input.name, passwordHash, emailVerified: false }, location, meta);
      await recordAudit(tx, row.createdAt, meta, {
        actorUserId: row.id,
        action: "auth.register",
        targetType: "user",
        targetId: row.id,
        details: { email: row.email, method: "password", platformAdmin: row.isPlatformAdmin, blockId: row.blockId },
      });
      // The input holds `acceptTerms: true` (checked at the edge): the acceptance is recorded with the account.
      await recordSignUpConsents(tx, deps.config, row.id, row.createdAt, meta);
      return row;
    });
    await sendVerification(deps, user, "signup", user.email);
    return toPublicUser(user);
  } catch (error) {
    if (isUniqueViolation(error, "users.email")) throw emailTaken();
    throw error;
  }
}

/**
 * Inserts a user and issues their Block ID, in the caller's transaction; who becomes platform admin
 * is `becomesPlatformAdmin`'s rule.
 */
export async function insertUser(
  tx: Tx,
  config: Pick<Config, "isProduction" | "ADMIN_EMAIL">,
  now: number,
  fields: Pick<UserRow, "email" | "name" | "passwordHash" | "emailVerified">,
  location: ResolvedLocation,
  meta: RequestMeta,
): Promise<UserRow> {
  const [existing] = await tx.select({ n: count() }).from(users);
  const row: UserRow = {
    id: newId(),
    ...fields,
    isPlatformAdmin: becomesPlatformAdmin(config, { ...fields, isFirstAccount: (existing?.n ?? 0) === 0 }),
    disabledAt: null,
    disabledReason: null,
    blockId: null,
    createdAt: now,
    updatedAt: now,
  };
  await tx.insert(users).values(row);
  const blockId = await giveFirstBlockId(tx, row.id, location, now, meta);
  return { ...row, blockId };
}

let dummyHash: Promise<string> | null = null;

/**
 * Counts a guess before it is checked, in one write transaction, so a burst of parallel guesses gets
 * no more tries than the limits allow; a right guess takes its count back. A known device (a browser
 * that signed in to this account before) is not held by the per-account limit, only the per-client one.
 */
async function countGuess(deps: Deps, checks: LimitCheck[], message: string): Promise<{ at: number; buckets: string[] }> {
  const at = deps.now();
  if (deps.config.RATE_LIMIT === "off") return { at, buckets: [] };
  const wait = await takeHit(deps.db, at, checks);
  if (wait > 0) throw rateLimited(message, wait);
  return { at, buckets: checks.map((check) => check.bucket) };
}

/** A first factor proved: a session, or — for an account with two factors — a sign-in waiting for the second. */
export type SignInOutcome = (NewSession & { user: PublicUser; pendingToken?: undefined }) | { pendingToken: string; user: PublicUser };

/**
 * After the first factor: an account with a second factor gets a pending sign-in (nothing else is
 * decided yet); any other a session.
 */
export async function afterFirstFactor(deps: Deps, user: UserRow, meta: RequestMeta, method: string, details: Record<string, unknown>): Promise<SignInOutcome> {
  if (await hasTwoFactor(deps.db, user.id)) {
    const pendingToken = await startPendingSignIn(deps, user.id, method);
    await recordAudit(deps.db, deps.now(), meta, { actorUserId: user.id, action: "auth.login_first_factor", targetType: "user", targetId: user.id, details: { ...details, method } });
    return { pendingToken, user: toPublicUser(user) };
  }
  return openSession(deps, user, meta, "auth.login", { ...details, method }, { method });
}

/**
 * Checks the password and opens a new session (or a pending sign-in). Unknown email and wrong
 * password look the same. The per-client limit always holds. The per-account limit (which an
 * attacker can trip to lock the owner out) does not hold a known device; and for an account with two
 * factors it does not refuse either: past it, every password — right or wrong — gets the same "now
 * your second factor" answer, and only a right password with a right code completes.
 */
export async function login(deps: Deps, input: LoginInput, meta: RequestMeta, knownDeviceOf: string | null = null): Promise<SignInOutcome> {
  const windowMs = deps.config.LOGIN_FAILURE_WINDOW_SECONDS * 1000;
  const accountBucket = `login:account:${input.email}`;
  const clientBucket = `login:client:${meta.ipAddress}`;
  const limited = "Too many failed sign-in attempts. Try again later.";
  const user = await findUserByEmail(deps, input.email);
  const knownDevice = user !== null && knownDeviceOf === user.id;
  const clientGuess = await countGuess(deps, [{ bucket: clientBucket, max: deps.config.LOGIN_MAX_FAILURES_PER_CLIENT, windowMs }], limited);
  let accountGuess = { at: clientGuess.at, buckets: [] as string[] };
  let underAttack = false;
  if (!knownDevice) {
    try {
      accountGuess = await countGuess(deps, [{ bucket: accountBucket, max: deps.config.LOGIN_MAX_FAILURES_PER_ACCOUNT, windowMs }], limited);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 429 || !user || user.disabledAt !== null || !(await hasTwoFactor(deps.db, user.id))) {
        await releaseHit(deps.db, clientGuess.at, clientGuess.buckets);
        throw error;
      }
      underAttack = true;
    }
  }

  // Hash even when there is no such user, so timing does not tell which emails have accounts.
  dummyHash ??= deps.passwords.hash("not a real password, only for timing");
  const valid = await deps.passwords.verify(user?.passwordHash ?? (await dummyHash), input.password);
  const now = deps.now();
  // An account disabled by its own deletion request signs in as far as the offer to cancel it (openSession).
  const ok = user !== null && user.passwordHash !== null && valid && (user.disabledAt === null || user.disabledReason === "deletion");

  if (!ok) {
    const reason = !user ? "unknown_email" : user.disabledAt !== null ? "disabled" : "wrong_password";
    await recordAudit(deps.db, now, meta, {
      actorUserId: null,
      action: "auth.login_failed",
      targetType: "user",
      targetId: user?.id ?? null,
      details: { email: input.email, reason, underAttack },
    });
    // Under attack, a two-factor account answers a wrong password as it would a right one.
    if (underAttack && user) return { pendingToken: await startPendingSignIn(deps, user.id, "password", false), user: toPublicUser(user) };
    throw new AppError(401, "invalid_credentials", WRONG_CREDENTIALS);
  }

  await releaseHit(deps.db, clientGuess.at, clientGuess.buckets);
  await releaseHit(deps.db, accountGuess.at, accountGuess.buckets);
  if (!underAttack) await clearBucket(deps.db, accountBucket);
  return afterFirstFactor(deps, user, meta, "password", { knownDevice, underAttack });
}

/** A fresh session for a user who has just proved who they are, with its audit event. */
export async function openSession(
  deps: Deps,
  user: UserRow,
  meta: RequestMeta,
  action: string,
  details: Record<string, unknown>,
  proof: SignInProof,
): Promise<NewSession & { user: PublicUser }> {
  if (user.disabledAt !== null) {
    // Only an account disabled by its deletion request gets here (every sign-in refuses the others
    // first): instead of a session, a short-lived pending sign-in that can only cancel the deletion.
    if (user.disabledReason !== "deletion") throw new AppError(401, "invalid_credentials", WRONG_CREDENTIALS);
    throw deletionScheduled(await startPendingSignIn(deps, user.id, `deletion:${proof.method}`));
  }
  return writeTransaction(deps.db, async (tx) => {
    const created = await createSession(deps, tx, user.id, meta, proof);
    await recordAudit(tx, deps.now(), meta, { actorUserId: user.id, action, targetType: "user", targetId: user.id, details });
    return { ...created, user: toPublicUser(user) };
  });
}

export async function logout(deps: Deps, userId: string, sessionId: string, meta: RequestMeta): Promise<void> {
  await writeTransaction(deps.db, async (tx) => {
    await deleteSession(tx, sessionId);
    await recordAudit(tx, deps.now(), meta, { actorUserId: userId, action: "auth.logout", targetType: "session", targetId: null });
  });
}

export async function revokeSession(deps: Deps, userId: string, publicId: string, meta: RequestMeta): Promise<void> {
  await writeTransaction(deps.db, async (tx) => {
    const removed = await deleteSessionOf(tx, userId, publicId);
    if (!removed) throw new AppError(404, "not_found", "That session does not exist or has already ended.");
    await recordAudit(tx, deps.now(), meta, {
      actorUserId: userId,
      action: "auth.session_revoke",
      targetType: "session",
      targetId: publicId,
    });
  });
}

/** Signs out every session of the user but this one; audited. How many ended. */
export async function endOtherSessions(deps: Deps, userId: string, sessionId: string, meta: RequestMeta): Promise<number> {
  return writeTransaction(deps.db, async (tx) => {
    const ended = await deleteAllSessionsOf(tx, userId, sessionId);
    await recordAudit(tx, deps.now(), meta, { actorUserId: userId, action: "auth.sessions_end_others", targetType: "user", targetId: userId, details: { sessionsEnded: ended } });
    return ended;
  });
}

export async function updateName(deps: Deps, userId: string, name: string, meta: RequestMeta): Promise<PublicUser> {
  return writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const [row] = await tx.update(users).set({ name, updatedAt: now }).where(eq(users.id, userId)).returning();
    if (!row) throw new AppError(401, "unauthenticated", "Sign in to continue.");
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "auth.profile_update", targetType: "user", targetId: userId, details: { fields: ["name"] } });
    return toPublicUser(row);
  });
}

/**
 * Who is changing a sign-in factor proves it again: with the current password, or — for an account
 * without one — by a sign-in within the last few minutes (ASVS V7.5.1).
 */
export async function confirmIdentity(deps: Deps, userId: string, session: { authenticatedAt: number }, currentPassword: string | undefined, next: string): Promise<UserRow> {
  const user = await findUser(deps, userId);
  if (user.passwordHash) await requireCurrentPassword(deps, user, currentPassword ?? "");
  else if (!isRecentlyAuthenticated(session, deps.now())) throw reauthenticationRequired(next);
  return user;
}

/**
 * The current password, asked again before a sensitive change; each try is counted first (the same
 * way as sign-in), so a stolen session cannot be used to guess the password.
 */
async function requireCurrentPassword(deps: Deps, user: UserRow, password: string): Promise<void> {
  if (!user.passwordHash) {
    throw validationError({ currentPassword: ["Set a password first, in the password section."] }, "Your account has no password yet.");
  }
  const windowMs = deps.config.LOGIN_FAILURE_WINDOW_SECONDS * 1000;
  const guess = await countGuess(deps, [{ bucket: `reauth:user:${user.id}`, max: deps.config.LOGIN_MAX_FAILURES_PER_ACCOUNT, windowMs }], "Too many wrong passwords. Try again later.");
  if (!(await deps.passwords.verify(user.passwordHash, password))) {
    throw validationError({ currentPassword: ["That is not your current password."] }, "Your current password is needed.");
  }
  await releaseHit(deps.db, guess.at, guess.buckets);
}

/**
 * Asks to change the account's address: after the current password, a link goes to the NEW address;
 * nothing changes until it is followed (email-verification.ts confirmEmail). The answer names the
 * address waiting for confirmation.
 */
export async function changeEmail(
  deps: Deps,
  userId: string,
  input: { email: string; currentPassword: string },
  meta: RequestMeta,
): Promise<{ user: PublicUser; pendingEmail: string | null }> {
  const user = await findUser(deps, userId);
  await requireCurrentPassword(deps, user, input.currentPassword);
  if (input.email === user.email) return { user: toPublicUser(user), pendingEmail: null };
  if (await findUserByEmail(deps, input.email)) throw emailTaken();
  await recordAudit(deps.db, deps.now(), meta, {
    actorUserId: userId,
    action: "auth.email_change_request",
    targetType: "user",
    targetId: userId,
    details: { from: user.email, to: input.email },
  });
  await sendVerification(deps, user, "change", input.email);
  return { user: toPublicUser(user), pendingEmail: input.email };
}

/** Sets a new password, ends every session of the user, and opens a new one for this browser. */
export async function changePassword(
  deps: Deps,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
  session: Pick<SessionInfo, "authenticatedAt" | "signInMethod" | "secondFactor">,
): Promise<NewSession> {
  const user = await findUser(deps, userId);
  if (user.passwordHash) await requireCurrentPassword(deps, user, input.currentPassword);
  // A first password on a provider-only account: only right after signing in with that provider.
  else if (session.signInMethod === "password" || !isRecentlyAuthenticated(session, deps.now())) throw reauthenticationRequired("/profile#password");
  await checkNewPassword(deps, input.newPassword, user, "newPassword");
  const passwordHash = await deps.passwords.hash(input.newPassword);
  const created = await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
    const ended = await deleteAllSessionsOf(tx, userId);
    // The new session keeps what this one proved (a second factor included).
    const created = await createSession(deps, tx, userId, meta, { method: session.signInMethod, secondFactor: session.secondFactor });
    await recordAudit(tx, now, meta, {
      actorUserId: userId,
      action: "auth.password_change",
      targetType: "user",
      targetId: userId,
      details: { sessionsEnded: ended },
    });
    return created;
  });
  await mailSecurityNotice(deps, user.email, { subject: "your password was changed", what: user.passwordHash ? "The password of your Block on Block account was changed." : "A password was set for your Block on Block account." }, meta);
  return created;
}

/**
 * A platform admin's change to an account (the admin portal decides who may make it): disable or
 * enable, grant or revoke platform admin. Disabling ends every session of the account at once.
 */
export async function setAccountStatus(
  tx: Tx,
  userId: string,
  change: { disabledAt: number | null } | { isPlatformAdmin: boolean },
  now: number,
): Promise<{ sessionsEnded: number | null }> {
  const reason = "disabledAt" in change ? { disabledReason: change.disabledAt === null ? null : ("admin" as const) } : {};
  await tx.update(users).set({ ...change, ...reason, updatedAt: now }).where(eq(users.id, userId));
  const disabling = "disabledAt" in change && change.disabledAt !== null;
  return { sessionsEnded: disabling ? await deleteAllSessionsOf(tx, userId) : null };
}

/**
 * `npm run admin:create`: a verified platform admin with this address — a new account with this
 * password, or the existing account promoted if its address is already confirmed. An unconfirmed
 * account holding the address is refused: whoever registered it first may not own that mailbox.
 */
export async function createPlatformAdmin(
  deps: Deps,
  input: { email: string; name: string; password: string | null },
  meta: RequestMeta,
): Promise<{ user: PublicUser; created: boolean }> {
  const existing = await findUserByEmail(deps, input.email);
  if (existing) {
    if (!existing.emailVerified) {
      throw new AppError(409, "email_unverified", `An account holds ${input.email} without having confirmed it. Confirm it, or remove that account, first.`);
    }
    const user = await writeTransaction(deps.db, async (tx) => {
      const now = deps.now();
      const [row] = await tx.update(users).set({ isPlatformAdmin: true, updatedAt: now }).where(eq(users.id, existing.id)).returning();
      await recordAudit(tx, now, meta, { actorUserId: null, action: "admin.platform_admin_grant", targetType: "user", targetId: existing.id, details: { email: existing.email, by: "admin:create" } });
      return row!;
    });
    return { user: toPublicUser(user), created: false };
  }
  if (!input.password) throw validationError({ password: ["A new account needs a password (ADMIN_PASSWORD or stdin)."] });
  const password = newPassword.safeParse(input.password);
  if (!password.success) throw validationError({ password: password.error.issues.map((issue) => issue.message) });
  await checkNewPassword(deps, input.password, input, "password");
  const location = await resolveLocation(deps, {}, { edge: null, ip: meta.ipAddress });
  const passwordHash = await deps.passwords.hash(input.password);
  const user = await writeTransaction(deps.db, async (tx) => {
    const row = await insertUser(tx, deps.config, deps.now(), { email: input.email, name: input.name, passwordHash, emailVerified: true }, location, meta);
    await tx.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, row.id));
    await recordAudit(tx, row.createdAt, meta, { actorUserId: null, action: "auth.register", targetType: "user", targetId: row.id, details: { email: row.email, method: "admin:create", platformAdmin: true, blockId: row.blockId } });
    return { ...row, isPlatformAdmin: true };
  });
  return { user: toPublicUser(user), created: true };
}
