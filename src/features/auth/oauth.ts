import { and, eq } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import type { ProviderId, ProviderProfile } from "./providers";
import { oauthAccounts, users, type UserRow } from "./schema";
import { signInErrorMessage } from "./oauth-messages";
import { findUserByEmail, insertUser, isUniqueViolation, openSession } from "./service";
import { resolveLocation } from "../location";
import { deleteAllSessionsOf } from "./sessions";
import type { PublicUser } from "./users";

async function linkedUser(deps: Deps, provider: ProviderId, providerUserId: string): Promise<UserRow | null> {
  const [row] = await deps.db
    .select({ user: users })
    .from(oauthAccounts)
    .innerJoin(users, eq(users.id, oauthAccounts.userId))
    .where(and(eq(oauthAccounts.provider, provider), eq(oauthAccounts.providerUserId, providerUserId)))
    .limit(1);
  return row?.user ?? null;
}

/**
 * Turns a provider's profile into a signed-in user: the account already linked to it; else the
 * signed-in user (connecting a provider); else the account with the same email, but only when the
 * provider has verified that email; else a new account.
 */
export async function signInWithProvider(
  deps: Deps,
  provider: ProviderId,
  profile: ProviderProfile,
  signedIn: PublicUser | null,
  meta: RequestMeta,
) {
  const linked = await linkedUser(deps, provider, profile.providerUserId);
  if (linked) {
    if (signedIn && signedIn.id !== linked.id) {
      throw new AppError(409, "provider_linked_elsewhere", signInErrorMessage("provider_linked_elsewhere")!);
    }
    if (linked.disabledAt !== null) throw new AppError(403, "account_disabled", signInErrorMessage("account_disabled")!);
    return openSession(deps, linked, meta, "auth.login", { method: provider });
  }

  const existing = signedIn ? null : profile.email ? await findUserByEmail(deps, profile.email) : null;
  if (existing && !profile.emailVerified) {
    throw new AppError(409, "email_not_verified", signInErrorMessage("email_not_verified")!);
  }
  if (existing?.disabledAt != null) throw new AppError(403, "account_disabled", signInErrorMessage("account_disabled")!);
  if (!signedIn && !existing && !profile.email) {
    throw new AppError(400, "email_required", signInErrorMessage("email_required")!);
  }
  // Only needed for a new account; resolved before the transaction, as it may ask a service.
  const location = !signedIn && !existing ? await resolveLocation(deps, {}, { edge: meta.edge ?? null, ip: meta.ipAddress }) : null;

  let user: UserRow;
  try {
    user = await writeTransaction(deps.db, async (tx) => {
      const now = deps.now();
      let target: UserRow | null = existing;
      if (signedIn) {
        [target = null] = await tx.select().from(users).where(eq(users.id, signedIn.id)).limit(1);
      }
      // Only the account's own address counts: a signed-in user connecting a provider that vouches for
      // some other address has proven nothing about this account's email.
      if (target && !target.emailVerified && profile.emailVerified && profile.email === target.email) {
        // The provider proves this person owns the address; whoever set the password, or connected a
        // provider, while it was unproven did not (account pre-hijacking): that password, those
        // sessions and those provider links go.
        await tx.update(users).set({ emailVerified: true, passwordHash: null, updatedAt: now }).where(eq(users.id, target.id));
        const ended = await deleteAllSessionsOf(tx, target.id);
        const unlinked = await tx
          .delete(oauthAccounts)
          .where(eq(oauthAccounts.userId, target.id))
          .returning({ provider: oauthAccounts.provider });
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
        target = { ...target, emailVerified: true, passwordHash: null };
      }
      if (!target) {
        // A signed-in user whose account is gone by now (removed mid-flow): nothing to link to.
        if (!location) throw new AppError(401, "unauthenticated", "Sign in to continue.");
        target = await insertUser(tx, now, {
          email: profile.email!,
          name: profile.name.slice(0, 100),
          passwordHash: null,
          emailVerified: profile.emailVerified,
        }, location, meta);
        await recordAudit(tx, now, meta, {
          actorUserId: target.id,
          action: "auth.register",
          targetType: "user",
          targetId: target.id,
          details: { email: target.email, method: provider, platformAdmin: target.isPlatformAdmin },
        });
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
    });
  } catch (error) {
    // Two callbacks for the same provider account at once: the second finds the link taken.
    if (isUniqueViolation(error)) throw new AppError(409, "overlapped", signInErrorMessage("overlapped")!);
    throw error;
  }
  return openSession(deps, user, meta, "auth.login", { method: provider });
}
