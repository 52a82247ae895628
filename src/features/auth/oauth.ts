import { and, eq } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Db, Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { resolveLocation, type ResolvedLocation } from "../location";
import { providerLabel, signInErrorMessage } from "./oauth-messages";
import { mailSecurityNotice, recordSecurityChange } from "./account-notices";
import { planProviderSignIn, type SignInPlan, type SignInRefusal, type SignInSnapshot } from "./oauth-rules";
import type { ProviderId, ProviderProfile } from "./providers";
import { oauthAccounts, users, type UserRow } from "./schema";
import { isRecentlyAuthenticated } from "./recent-auth";
import { afterFirstFactor, insertUser, isUniqueViolation, openSession, type SignInOutcome } from "./service";
import { deleteAllSessionsOf } from "./sessions";
import type { PublicUser } from "./users";

/** The accounts a provider sign-in may touch, as they are now (in the write transaction, or just before it). */
async function readSnapshot(db: Db | Tx, provider: ProviderId, profile: ProviderProfile, signedIn: PublicUser | null): Promise<SignInSnapshot> {
  const [link] = await db
    .select({ user: users })
    .from(oauthAccounts)
    .innerJoin(users, eq(users.id, oauthAccounts.userId))
    .where(and(eq(oauthAccounts.provider, provider), eq(oauthAccounts.providerUserId, profile.providerUserId)))
    .limit(1);
  const userWhere = signedIn ? eq(users.id, signedIn.id) : profile.email ? eq(users.email, profile.email) : null;
  const [account = null] = userWhere ? await db.select().from(users).where(userWhere).limit(1) : [];
  return {
    profile,
    linked: link?.user ?? null,
    signedIn: signedIn ? { id: signedIn.id, account } : null,
    byEmail: signedIn ? null : account,
  };
}

function refusalError(refusal: SignInRefusal): AppError {
  if (refusal.code === "unauthenticated") return new AppError(401, "unauthenticated", "Sign in to continue.");
  return new AppError(refusal.status, refusal.code, signInErrorMessage(refusal.code)!);
}

/**
 * Carries out a plan inside the transaction, with its audit entries; returns the user to sign in.
 * `location` is the new account's, resolved before the transaction (it may ask a service).
 */
async function writePlan(
  tx: Tx,
  config: Deps["config"],
  now: number,
  meta: RequestMeta,
  provider: ProviderId,
  profile: ProviderProfile,
  plan: SignInPlan,
  location: ResolvedLocation | null,
): Promise<UserRow> {
  if (plan.kind === "refuse") throw refusalError(plan.refusal);
  if (plan.kind === "sign_in_linked") return plan.user;
  let target: UserRow;
  if (plan.kind === "create") {
    // Planned a new account where the look before the transaction saw none to make: another sign-in got in between.
    if (!location) throw new AppError(409, "overlapped", signInErrorMessage("overlapped")!);
    target = await insertUser(tx, config, now, { email: plan.email, name: plan.name, passwordHash: null, emailVerified: plan.emailVerified }, location, meta);
    await recordAudit(tx, now, meta, {
      actorUserId: target.id,
      action: "auth.register",
      targetType: "user",
      targetId: target.id,
      details: { email: target.email, method: provider, platformAdmin: target.isPlatformAdmin },
    });
  } else {
    target = plan.user;
    if (plan.proveEmail) target = await proveEmail(tx, now, meta, provider, target);
  }
  await tx.insert(oauthAccounts).values({ provider, providerUserId: profile.providerUserId, userId: target.id, email: profile.email, createdAt: now });
  await recordAudit(tx, now, meta, {
    actorUserId: target.id,
    action: "auth.provider_link",
    targetType: "user",
    targetId: target.id,
    details: { provider, email: profile.email },
  });
  return target;
}

/**
 * The provider proves this person owns the account's address; whoever set the password, or
 * connected a provider, while it was unproven did not (account pre-hijacking): that password,
 * those sessions and those provider links go.
 */
async function proveEmail(tx: Tx, now: number, meta: RequestMeta, provider: ProviderId, target: UserRow): Promise<UserRow> {
  await tx.update(users).set({ emailVerified: true, passwordHash: null, updatedAt: now }).where(eq(users.id, target.id));
  const ended = await deleteAllSessionsOf(tx, target.id);
  const unlinked = await tx.delete(oauthAccounts).where(eq(oauthAccounts.userId, target.id)).returning({ provider: oauthAccounts.provider });
  await recordAudit(tx, now, meta, {
    actorUserId: target.id,
    action: "auth.email_verified_by_provider",
    targetType: "user",
    targetId: target.id,
    details: {
      provider,
      passwordCleared: target.passwordHash !== null,
      sessionsEnded: ended,
      providersUnlinked: unlinked.map((row) => row.provider),
    },
  });
  return { ...target, emailVerified: true, passwordHash: null };
}

/**
 * Turns a provider's profile into a signed-in user (see planProviderSignIn): reads the accounts
 * involved inside one write transaction, plans, writes the plan, then opens a session.
 */
export async function signInWithProvider(
  deps: Deps,
  provider: ProviderId,
  profile: ProviderProfile,
  signedIn: PublicUser | null,
  meta: RequestMeta,
  signedInSession: { authenticatedAt: number } | null = null,
): Promise<SignInOutcome> {
  // Only a new account needs a location; resolved before the transaction, as it may ask a service.
  const expected = planProviderSignIn(await readSnapshot(deps.db, provider, profile, signedIn));
  // Connecting a new way in to an account: only right after proving who you are.
  if (expected.kind === "connect" && !(signedInSession && isRecentlyAuthenticated(signedInSession, deps.now()))) {
    throw new AppError(403, "reauthenticate", signInErrorMessage("reauthenticate", provider)!);
  }
  const location = expected.kind === "create" ? await resolveLocation(deps, {}, { edge: meta.edge ?? null, ip: meta.ipAddress }) : null;
  let user: UserRow;
  try {
    user = await writeTransaction(deps.db, async (tx) => {
      const plan = planProviderSignIn(await readSnapshot(tx, provider, profile, signedIn));
      return writePlan(tx, deps.config, deps.now(), meta, provider, profile, plan, location);
    });
  } catch (error) {
    // Two callbacks for the same provider account at once: the second finds the link taken.
    if (isUniqueViolation(error)) throw new AppError(409, "overlapped", signInErrorMessage("overlapped")!);
    throw error;
  }
  // Connecting a provider while signed in keeps you signed in; a sign-in still owes its second factor.
  if (signedIn) {
    const opened = await openSession(deps, user, meta, "auth.login", { method: provider }, { method: provider });
    if (expected.kind === "connect") {
      // A new way in: like every factor change, the other sessions end and the owner is told.
      await writeTransaction(deps.db, (tx) => recordSecurityChange(tx, deps.now(), meta, { userId: user.id, action: "auth.provider_connect", details: { provider }, keepSessionId: opened.session.id }));
      await mailSecurityNotice(deps, user.email, { subject: `${providerLabel(provider)} was connected`, what: `${providerLabel(provider)} can now be used to sign in to your Block on Block account.` }, meta);
    }
    return opened;
  }
  return afterFirstFactor(deps, user, meta, provider, {});
}
