// Sensitive account changes (adding or removing a sign-in factor, linking a provider, setting a first
// password on a provider-only account) need the user to have proved who they are a few minutes ago,
// not merely to hold a session cookie that may be days old.
import type { RequestSession } from "../../http/types";
import { AppError } from "../../lib/errors";

/** How long a sign-in or a re-authentication counts as recent. */
export const RECENT_AUTH_MS = 10 * 60_000;

export function isRecentlyAuthenticated(session: Pick<RequestSession, "authenticatedAt">, now: number): boolean {
  return now - session.authenticatedAt < RECENT_AUTH_MS;
}

/**
 * 403 `reauthentication_required`: the change needs a sign-in from the last few minutes (an account
 * without a password proves itself through its provider again).
 */
export function reauthenticationRequired(next: string): AppError {
  return new AppError(
    403,
    "reauthentication_required",
    `For this change, sign in again first (with your provider, if your account has no password), then repeat it within ${RECENT_AUTH_MS / 60_000} minutes.`,
    { signInAt: `/login?next=${encodeURIComponent(next)}`, withinSeconds: RECENT_AUTH_MS / 1000 },
  );
}
