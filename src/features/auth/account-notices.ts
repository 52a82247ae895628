// What every change to how an account signs in does besides the change itself: an audit entry and
// the end of every other session (in the change's transaction), then a mail to the account's owner
// (after the commit, so nothing is announced that did not happen). Password, email, TOTP, recovery
// codes, passkeys and linked providers all go through here.
import type { Deps } from "../../deps";
import type { Tx } from "../../db/types";
import { publicLink } from "../../config";
import { recordAudit, type RequestMeta } from "../audit";
import { deleteAllSessionsOf } from "./sessions";

export interface SecurityChange {
  userId: string;
  /** The audit action, like "auth.totp_enable". */
  action: string;
  details?: Record<string, unknown>;
  /** The session that made the change stays signed in; every other one ends. null ends them all. */
  keepSessionId: string | null;
}

/** Audits the change and ends the other sessions, inside the change's transaction. Returns how many ended. */
export async function recordSecurityChange(tx: Tx, now: number, meta: RequestMeta, change: SecurityChange): Promise<number> {
  const ended = await deleteAllSessionsOf(tx, change.userId, change.keepSessionId ?? undefined);
  await recordAudit(tx, now, meta, {
    actorUserId: change.userId,
    action: change.action,
    targetType: "user",
    targetId: change.userId,
    details: { ...change.details, sessionsEnded: ended },
  });
  return ended;
}

/**
 * Tells the account's owner what changed, when and from where, and what to do if it was not them.
 * Called after the commit; a mail that cannot be sent is logged, never undoes the change.
 */
export async function mailSecurityNotice(
  deps: Pick<Deps, "mailer" | "config" | "log" | "now">,
  to: string,
  notice: { subject: string; what: string },
  meta: RequestMeta,
): Promise<void> {
  const when = `${new Date(deps.now()).toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const text = [
    "Hello,",
    "",
    `${notice.what}`,
    "",
    `When: ${when}`,
    `From: ${meta.ipAddress || "unknown address"}${meta.userAgent ? ` (${meta.userAgent.slice(0, 120)})` : ""}`,
    "",
    "Every other session of your account was signed out.",
    `If this was not you, sign in and change your password at once: ${publicLink(deps.config, "/profile")}`,
  ].join("\n");
  try {
    await deps.mailer.send({ to, subject: `Block on Block: ${notice.subject}`, text }, {});
  } catch (error) {
    deps.log({ level: "error", msg: "security notice not sent", error: error instanceof Error ? error.message : String(error) });
  }
}
