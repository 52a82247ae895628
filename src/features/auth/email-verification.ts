// Proof that an address belongs to its user. Sign-up mails a link to the account's address; an email
// change mails one to the NEW address and changes nothing until it is followed — then the old address
// is told and every other session ends. Until verified, an account can sign in and set itself up, but
// invitations and member search ignore it (features/invitations, features/workspace read
// `emailVerified`).
import { and, eq, gt, isNull } from "drizzle-orm";
import { publicLink, type Config } from "../../config";
import type { Deps } from "../../deps";
import type { Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { randomToken, sha256Hex } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { rateLimited, takeHit } from "../ratelimit";
import { mailSecurityNotice, recordSecurityChange } from "./account-notices";
import { users, type UserRow } from "./schema";
import { emailVerifications } from "./verification-schema";

/** How long a verification link works. */
export const VERIFICATION_TTL_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;
const RESENDS_PER_USER_PER_HOUR = 3;
const RESENDS_PER_CLIENT_PER_HOUR = 10;
const TOKEN_SHAPE = /^[a-z2-7]{16,64}$/;

const linkInvalid = () => new AppError(400, "verification_link_invalid", "This link has expired or was already used. Ask for a new one from your profile.");

/**
 * Who becomes platform admin when an account is made or its address proven: in production only the
 * verified account whose address ADMIN_EMAIL names (or one made with `npm run admin:create`); in
 * development and tests the first account too, so a first run needs no set-up.
 */
export function becomesPlatformAdmin(
  config: Pick<Config, "isProduction" | "ADMIN_EMAIL">,
  account: { email: string; emailVerified: boolean; isFirstAccount: boolean },
): boolean {
  if (account.emailVerified && config.ADMIN_EMAIL !== undefined && account.email === config.ADMIN_EMAIL) return true;
  return !config.isProduction && account.isFirstAccount;
}

/** Makes a link for `email` (replacing the user's earlier links of the same purpose) and mails it. */
export async function sendVerification(
  deps: Pick<Deps, "db" | "now" | "config" | "mailer">,
  user: Pick<UserRow, "id" | "name">,
  purpose: "signup" | "change",
  email: string,
): Promise<void> {
  const token = randomToken(20);
  const now = deps.now();
  await writeTransaction(deps.db, async (tx) => {
    await tx.delete(emailVerifications).where(and(eq(emailVerifications.userId, user.id), eq(emailVerifications.purpose, purpose), isNull(emailVerifications.usedAt)));
    await tx.insert(emailVerifications).values({ tokenHash: sha256Hex(token), userId: user.id, purpose, email, createdAt: now, expiresAt: now + VERIFICATION_TTL_MS });
  });
  const link = publicLink(deps.config, `/verify-email/${token}`);
  const intro =
    purpose === "signup"
      ? "Welcome to Block on Block. Confirm that this address is yours:"
      : "You asked to change the address of your Block on Block account to this one. Confirm it here (until then your old address stays):";
  await deps.mailer.send(
    {
      to: email,
      subject: purpose === "signup" ? "Block on Block: confirm your email address" : "Block on Block: confirm your new email address",
      text: [`Hello ${user.name},`, "", intro, link, "", `The link works once, for ${VERIFICATION_TTL_MS / HOUR_MS} hours.`, "", "If this was not you, ignore this email."].join("\n"),
    },
    {},
  );
}

/** Mails the sign-up link again; limited per user and per client. 409 when the address is already confirmed. */
export async function resendVerification(deps: Deps, userId: string, meta: RequestMeta): Promise<void> {
  const [user] = await deps.db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new AppError(401, "unauthenticated", "Sign in to continue.");
  if (user.emailVerified) throw new AppError(409, "already_verified", "Your address is already confirmed.");
  if (deps.config.RATE_LIMIT === "on") {
    const wait = await takeHit(deps.db, deps.now(), [
      { bucket: `verify-resend:user:${user.id}`, max: RESENDS_PER_USER_PER_HOUR, windowMs: HOUR_MS },
      { bucket: `verify-resend:client:${meta.ipAddress}`, max: RESENDS_PER_CLIENT_PER_HOUR, windowMs: HOUR_MS },
    ]);
    if (wait > 0) throw rateLimited("The link was sent a few times already. Try again later.", wait);
  }
  await sendVerification(deps, user, "signup", user.email);
}

/** The new address waiting for its link to be followed, if any. */
export async function pendingEmailChange(deps: Pick<Deps, "db" | "now">, userId: string): Promise<string | null> {
  const [row] = await deps.db
    .select({ email: emailVerifications.email })
    .from(emailVerifications)
    .where(and(eq(emailVerifications.userId, userId), eq(emailVerifications.purpose, "change"), isNull(emailVerifications.usedAt), gt(emailVerifications.expiresAt, deps.now())))
    .limit(1);
  return row?.email ?? null;
}

/** What a verification link is for, while it still works (the confirm page names the address). */
export async function verificationFor(deps: Pick<Deps, "db" | "now">, token: string): Promise<{ email: string; purpose: "signup" | "change" } | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const [row] = await deps.db
    .select({ email: emailVerifications.email, purpose: emailVerifications.purpose })
    .from(emailVerifications)
    .where(and(eq(emailVerifications.tokenHash, sha256Hex(token)), isNull(emailVerifications.usedAt), gt(emailVerifications.expiresAt, deps.now())))
    .limit(1);
  return row ?? null;
}

async function useToken(tx: Tx, token: string, now: number) {
  const [row] = await tx
    .update(emailVerifications)
    .set({ usedAt: now })
    .where(and(eq(emailVerifications.tokenHash, sha256Hex(token)), isNull(emailVerifications.usedAt), gt(emailVerifications.expiresAt, now)))
    .returning();
  return row ?? null;
}

/**
 * Follows a link: the sign-up address is confirmed, or the new address takes effect (confirmed, every
 * session but `currentSessionId` ends, the old address is told). Exactly once, in one transaction.
 * The account becomes platform admin here when ADMIN_EMAIL names the confirmed address.
 */
export async function confirmEmail(deps: Deps, token: string, currentSessionId: string | null, meta: RequestMeta): Promise<{ email: string; purpose: "signup" | "change" }> {
  if (!TOKEN_SHAPE.test(token)) throw linkInvalid();
  const outcome = await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const used = await useToken(tx, token, now);
    if (!used) throw linkInvalid();
    const [user] = await tx.select().from(users).where(eq(users.id, used.userId)).limit(1);
    if (!user || user.disabledAt !== null) throw linkInvalid();
    // A sign-up link for an address the account no longer has proves nothing.
    if (used.purpose === "signup" && user.email !== used.email) throw linkInvalid();
    if (used.purpose === "change") {
      const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, used.email)).limit(1);
      if (taken && taken.id !== user.id) throw new AppError(409, "email_taken", "Another account took this address meanwhile; ask for the change again with another one.");
    }
    const admin = user.isPlatformAdmin || becomesPlatformAdmin(deps.config, { email: used.email, emailVerified: true, isFirstAccount: false });
    await tx.update(users).set({ email: used.email, emailVerified: true, isPlatformAdmin: admin, updatedAt: now }).where(eq(users.id, user.id));
    if (used.purpose === "change") {
      await tx.delete(emailVerifications).where(and(eq(emailVerifications.userId, user.id), isNull(emailVerifications.usedAt)));
      await recordSecurityChange(tx, now, meta, {
        userId: user.id,
        action: "auth.email_change",
        details: { from: user.email, to: used.email },
        keepSessionId: currentSessionId,
      });
    } else {
      await recordAudit(tx, now, meta, { actorUserId: user.id, action: "auth.email_verify", targetType: "user", targetId: user.id, details: { email: used.email } });
    }
    if (admin && !user.isPlatformAdmin) {
      await recordAudit(tx, now, meta, { actorUserId: null, action: "auth.platform_admin_by_config", targetType: "user", targetId: user.id, details: { email: used.email } });
    }
    return { oldEmail: user.email, email: used.email, purpose: used.purpose };
  });
  if (outcome.purpose === "change") {
    await mailSecurityNotice(
      deps,
      outcome.oldEmail,
      { subject: "your email address was changed", what: `The address of your Block on Block account was changed from ${outcome.oldEmail} to ${outcome.email}.` },
      meta,
    );
  }
  return { email: outcome.email, purpose: outcome.purpose };
}
