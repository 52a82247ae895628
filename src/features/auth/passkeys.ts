// Passkeys (WebAuthn) with @simplewebauthn/server: register one (after the password or a recent
// sign-in), sign in with one and no password (it proves possession and, with user verification, a
// second factor too), list, rename and remove them. Adding and removing are audited, mailed and end
// the account's other sessions. The relying party is PUBLIC_URL's host.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { and, desc, eq, gt, lt } from "drizzle-orm";
import { publicLink } from "../../config";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import type { RequestMeta } from "../audit";
import { mailSecurityNotice, recordSecurityChange } from "./account-notices";
import { passkeys, webauthnChallenges } from "./passkey-schema";
import { users } from "./schema";
import { finishPendingSignIn, pendingExpired, pendingSignInOf } from "./second-step";
import { confirmIdentity, openSession } from "./service";
import type { NewSession } from "./sessions";
import type { PublicUser } from "./users";

const CEREMONY_MS = 5 * 60_000;
const MAX_PASSKEYS = 20;

function relyingParty(deps: Pick<Deps, "config">) {
  const origin = new URL(publicLink(deps.config, "/")).origin;
  return { origin, rpID: new URL(origin).hostname, rpName: "Block on Block" };
}

export interface PasskeyItem {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export async function listPasskeys(deps: Pick<Deps, "db">, userId: string): Promise<PasskeyItem[]> {
  const rows = await deps.db.select().from(passkeys).where(eq(passkeys.userId, userId)).orderBy(desc(passkeys.createdAt));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: row.lastUsedAt === null ? null : new Date(row.lastUsedAt).toISOString(),
  }));
}

async function storeChallenge(deps: Pick<Deps, "db" | "now">, purpose: "register" | "signin", userId: string | null, challenge: string): Promise<string> {
  const id = newId();
  await writeTransaction(deps.db, async (tx) => {
    await tx.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, deps.now()));
    await tx.insert(webauthnChallenges).values({ id, purpose, userId, challenge, expiresAt: deps.now() + CEREMONY_MS });
  });
  return id;
}

/** Takes a ceremony's challenge: once, while it is fresh, for its purpose (and user). */
async function takeChallenge(deps: Pick<Deps, "db" | "now">, id: string, purpose: "register" | "signin", userId: string | null): Promise<string> {
  const [row] = await deps.db
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.id, id), eq(webauthnChallenges.purpose, purpose), gt(webauthnChallenges.expiresAt, deps.now())))
    .returning();
  if (!row || row.userId !== userId) throw new AppError(400, "passkey_ceremony_expired", "That passkey request expired. Try again.");
  return row.challenge;
}

const refused = () => new AppError(400, "passkey_refused", "The passkey could not be verified. Try again.");

/** Options for navigator.credentials.create(), after the password (or a recent sign-in). */
export async function passkeyRegistrationOptions(deps: Deps, userId: string, session: { authenticatedAt: number }, currentPassword: string | undefined) {
  const user = await confirmIdentity(deps, userId, session, currentPassword, "/profile#passkeys");
  const existing = await deps.db.select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, userId));
  if (existing.length >= MAX_PASSKEYS) throw new AppError(409, "too_many_passkeys", `An account has at most ${MAX_PASSKEYS} passkeys; remove one first.`);
  const { rpID, rpName } = relyingParty(deps);
  const options = await generateRegistrationOptions({
    rpName,
    rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    excludeCredentials: existing.map((row) => ({ id: row.id, transports: row.transports })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  return { challengeId: await storeChallenge(deps, "register", userId, options.challenge), options };
}

/** Verifies the new credential and keeps its public key; audited, mailed, other sessions end. */
export async function registerPasskey(
  deps: Deps,
  userId: string,
  sessionId: string,
  input: { challengeId: string; response: RegistrationResponseJSON; name?: string },
  meta: RequestMeta,
): Promise<PasskeyItem> {
  const expectedChallenge = await takeChallenge(deps, input.challengeId, "register", userId);
  const { origin, rpID } = relyingParty(deps);
  const verified = await verifyRegistrationResponse({ response: input.response, expectedChallenge, expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: true }).catch(() => null);
  if (!verified?.verified || !verified.registrationInfo) throw refused();
  const { credential } = verified.registrationInfo;
  const now = deps.now();
  const name = input.name?.trim() || `Passkey added ${new Date(now).toISOString().slice(0, 10)}`;
  const email = await writeTransaction(deps.db, async (tx) => {
    const [taken] = await tx.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.id, credential.id)).limit(1);
    if (taken) throw new AppError(409, "passkey_exists", "This passkey is already registered.");
    await tx.insert(passkeys).values({
      id: credential.id,
      userId,
      publicKey: encodeBase64urlNoPadding(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
      name,
      createdAt: now,
    });
    await recordSecurityChange(tx, now, meta, { userId, action: "auth.passkey_add", details: { passkeyId: credential.id, name }, keepSessionId: sessionId });
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    return user!.email;
  });
  await mailSecurityNotice(deps, email, { subject: "a passkey was added", what: `A passkey ("${name}") was added to your Block on Block account.` }, meta);
  return { id: credential.id, name, createdAt: new Date(now).toISOString(), lastUsedAt: null };
}

export async function renamePasskey(deps: Pick<Deps, "db">, userId: string, id: string, name: string): Promise<void> {
  const renamed = await writeTransaction(deps.db, (tx) => tx.update(passkeys).set({ name }).where(and(eq(passkeys.id, id), eq(passkeys.userId, userId))).returning());
  if (renamed.length === 0) throw new AppError(404, "not_found", "There is no such passkey.");
}

/** Removes one (after the password or a recent sign-in); the account keeps its password or provider to sign in with. */
export async function removePasskey(deps: Deps, userId: string, session: { id: string; authenticatedAt: number }, id: string, currentPassword: string | undefined, meta: RequestMeta): Promise<void> {
  const user = await confirmIdentity(deps, userId, session, currentPassword, "/profile#passkeys");
  await writeTransaction(deps.db, async (tx) => {
    const [removed] = await tx.delete(passkeys).where(and(eq(passkeys.id, id), eq(passkeys.userId, userId))).returning();
    if (!removed) throw new AppError(404, "not_found", "There is no such passkey.");
    await recordSecurityChange(tx, deps.now(), meta, { userId, action: "auth.passkey_remove", details: { passkeyId: id, name: removed.name }, keepSessionId: session.id });
  });
  await mailSecurityNotice(deps, user.email, { subject: "a passkey was removed", what: "A passkey was removed from your Block on Block account." }, meta);
}

/** Options for navigator.credentials.get() on the sign-in page: any passkey of this site (discoverable). */
export async function passkeySignInOptions(deps: Pick<Deps, "db" | "now" | "config">) {
  const { rpID } = relyingParty(deps);
  const options = await generateAuthenticationOptions({ rpID, userVerification: "required" });
  return { challengeId: await storeChallenge(deps, "signin", null, options.challenge), options };
}

/**
 * The passkey that answered a ceremony, checked: known (and, with `ownerId`, that account's), its
 * account enabled, its signature right over the challenge for this site. Its counter and last use
 * are written. Refused (400) otherwise.
 */
async function verifiedAssertion(
  deps: Pick<Deps, "db" | "now" | "config">,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  check: { ownerId: string | null; requireUserVerification: boolean },
) {
  const owned = check.ownerId === null ? eq(passkeys.id, response.id) : and(eq(passkeys.id, response.id), eq(passkeys.userId, check.ownerId));
  const [found] = await deps.db.select({ passkey: passkeys, user: users }).from(passkeys).innerJoin(users, eq(users.id, passkeys.userId)).where(owned).limit(1);
  if (!found || found.user.disabledAt !== null) throw refused();
  const { origin, rpID } = relyingParty(deps);
  const publicKey = new Uint8Array(decodeBase64urlIgnorePadding(found.passkey.publicKey));
  const verified = await verifyAuthenticationResponse({
    response,
    expectedChallenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    credential: { id: found.passkey.id, publicKey, counter: found.passkey.counter, transports: found.passkey.transports as never },
    requireUserVerification: check.requireUserVerification,
  }).catch(() => null);
  if (!verified?.verified) throw refused();
  await writeTransaction(deps.db, (tx) => tx.update(passkeys).set({ counter: verified.authenticationInfo.newCounter, lastUsedAt: deps.now() }).where(eq(passkeys.id, found.passkey.id)));
  return found;
}

/**
 * Signs in with a passkey alone: the credential must be known, its signature right and the user
 * verified (PIN or biometrics), which makes it two factors; the session records both.
 */
export async function signInWithPasskey(deps: Deps, input: { challengeId: string; response: AuthenticationResponseJSON }, meta: RequestMeta): Promise<NewSession & { user: PublicUser }> {
  const expectedChallenge = await takeChallenge(deps, input.challengeId, "signin", null);
  const { passkey, user } = await verifiedAssertion(deps, input.response, expectedChallenge, { ownerId: null, requireUserVerification: true });
  return openSession(deps, user, meta, "auth.login", { method: "passkey", passkeyId: passkey.id }, { method: "passkey", secondFactor: "passkey" });
}

/** Options for the second step with a passkey: only the pending account's own passkeys are asked for. */
export async function passkeySecondStepOptions(deps: Pick<Deps, "db" | "now" | "config">, pendingToken: string) {
  const pending = await pendingSignInOf(deps, pendingToken);
  if (!pending) throw pendingExpired();
  const keys = await deps.db.select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, pending.userId));
  const { rpID } = relyingParty(deps);
  const options = await generateAuthenticationOptions({ rpID, userVerification: "preferred", allowCredentials: keys.map((key) => ({ id: key.id, transports: key.transports as never })) });
  return { challengeId: await storeChallenge(deps, "signin", pending.userId, options.challenge), options };
}

/** The second step answered with a passkey of the pending account: the pending sign-in becomes a session. */
export async function completeWithPasskey(
  deps: Deps,
  pendingToken: string,
  input: { challengeId: string; response: AuthenticationResponseJSON },
  meta: RequestMeta,
): Promise<NewSession & { user: PublicUser }> {
  const pending = await pendingSignInOf(deps, pendingToken);
  if (!pending) throw pendingExpired();
  const expectedChallenge = await takeChallenge(deps, input.challengeId, "signin", pending.userId);
  // Possession is the second factor here; the password was the first.
  const { user } = await verifiedAssertion(deps, input.response, expectedChallenge, { ownerId: pending.userId, requireUserVerification: false });
  // A sign-in whose password was wrong never completes (see login: an account under attack).
  if (!pending.firstFactorOk) throw refused();
  if (!(await finishPendingSignIn(deps, pendingToken))) throw pendingExpired();
  return openSession(deps, user, meta, "auth.login", { method: pending.method, secondFactor: "passkey" }, { method: pending.method, secondFactor: "passkey" });
}
