// "Forgot your password?": a one-time link by mail that sets a new password. It signs nobody in and
// ends every session, so the next sign-in still asks for every factor the account has (a reset never
// bypasses two-factor sign-in). The answer to a request is the same whether the address has an
// account or not.
import { and, eq, gt, isNull } from "drizzle-orm";
import { publicLink } from "../../config";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import { randomToken, sha256Hex } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { rateLimited, takeHit } from "../ratelimit";
import { mailSecurityNotice, recordSecurityChange } from "./account-notices";
import { checkNewPassword } from "./password-policy";
import { passwordResets } from "./reset-schema";
import { users } from "./schema";

/** How long a reset link works. */
export const RESET_TTL_MS = 30 * 60_000;
const HOUR_MS = 3600_000;
const MAX_PER_ADDRESS_PER_HOUR = 3;
const MAX_PER_CLIENT_PER_HOUR = 10;

const linkInvalid = () =>
  new AppError(400, "reset_link_invalid", "This link has expired or was already used. Ask for a new one.");

/**
 * Mails a reset link to the account with this address, if there is one that signs in with a
 * password (an account that only signs in through a provider is told to use it). Limited per address
 * and per client; the limits count every request, with or without an account, so they say nothing
 * about which addresses exist.
 */
export async function requestPasswordReset(deps: Deps, email: string, meta: RequestMeta): Promise<void> {
  if (deps.config.RATE_LIMIT === "on") {
    const wait = await takeHit(deps.db, deps.now(), [
      { bucket: `reset:address:${email}`, max: MAX_PER_ADDRESS_PER_HOUR, windowMs: HOUR_MS },
      { bucket: `reset:client:${meta.ipAddress}`, max: MAX_PER_CLIENT_PER_HOUR, windowMs: HOUR_MS },
    ]);
    if (wait > 0) {
      throw rateLimited("Too many reset requests. Try again later.", wait);
    }
  }
  const [user] = await deps.db.select().from(users).where(eq(users.email, email)).limit(1);
  if (!user || user.disabledAt !== null) return;

  if (!user.passwordHash) {
    await deps.mailer.send(
      {
        to: user.email,
        subject: "Block on Block: signing in to your account",
        text: [
          "Hello,",
          "",
          "Someone asked to reset the password of your Block on Block account. Your account has no password:",
          "it signs in through a provider (GitHub, Google or Microsoft). Use that button on the sign-in page:",
          publicLink(deps.config, "/login"),
          "",
          "If this was not you, you can ignore this email.",
        ].join("\n"),
      },
      {},
    );
    return;
  }

  const token = randomToken(20);
  const now = deps.now();
  await writeTransaction(deps.db, async (tx) => {
    await tx.insert(passwordResets).values({ tokenHash: sha256Hex(token), userId: user.id, createdAt: now, expiresAt: now + RESET_TTL_MS });
    await recordAudit(tx, now, meta, { actorUserId: null, action: "auth.password_reset_request", targetType: "user", targetId: user.id });
  });
  await deps.mailer.send(
    {
      to: user.email,
      subject: "Block on Block: reset your password",
      text: [
        "Hello,",
        "",
        "Someone (we hope you) asked to reset the password of your Block on Block account. Choose a new one here:",
        publicLink(deps.config, `/reset-password/${token}`),
        "",
        `The link works once, for ${RESET_TTL_MS / 60_000} minutes. Every session of your account will be signed out;`,
        "two-factor sign-in, if you use it, stays on.",
        "",
        "If this was not you, ignore this email: your password stays as it is.",
      ].join("\n"),
    },
    {},
  );
}

/** Whether a reset token is one that still works (for the page that asks for the new password). */
export async function resetLinkWorks(deps: Pick<Deps, "db" | "now">, token: string): Promise<boolean> {
  if (!/^[a-z2-7]{16,64}$/.test(token)) return false;
  const [row] = await deps.db
    .select({ userId: passwordResets.userId })
    .from(passwordResets)
    .where(and(eq(passwordResets.tokenHash, sha256Hex(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, deps.now())))
    .limit(1);
  return row !== undefined;
}

/**
 * Sets the new password from a working link: the link is used up (exactly once, even when two tabs
 * post at the same moment), every other link of the account dies, every session ends, the change is
 * audited and the owner is told by mail.
 */
export async function resetPassword(deps: Deps, token: string, newPassword: string, meta: RequestMeta): Promise<void> {
  if (!/^[a-z2-7]{16,64}$/.test(token)) throw linkInvalid();
  const tokenHash = sha256Hex(token);
  const [found] = await deps.db
    .select({ user: users })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, deps.now())))
    .limit(1);
  if (!found || found.user.disabledAt !== null) throw linkInvalid();
  const user = found.user;
  await checkNewPassword(deps, newPassword, user, "newPassword");
  const passwordHash = await deps.passwords.hash(newPassword);

  await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const used = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
      .returning({ userId: passwordResets.userId });
    if (used.length === 0) throw linkInvalid();
    await tx.delete(passwordResets).where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, user.id));
    await recordSecurityChange(tx, now, meta, { userId: user.id, action: "auth.password_reset", keepSessionId: null });
  });
  await mailSecurityNotice(deps, user.email, { subject: "your password was reset", what: "The password of your Block on Block account was reset through a link sent to this address." }, meta);
}
