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

/** 403 `reauthentication_required`, naming the page that asks the user to prove who they are again. */
export function reauthenticationRequired(next: string): AppError {
  return new AppError(403, "reauthentication_required", "Confirm it is you first: sign in again, then repeat this change.", {
    reauthenticateAt: `/reauthenticate?next=${encodeURIComponent(next)}`,
  });
}
