// An account disabled by its own deletion request (features/erasure): the right password, and the
// second factor if it has one, lead not to a session but to a pending sign-in of method
// "deletion:<method>" that can only cancel the deletion (erasure's /account/deletion page, or
// DELETE /api/me/deletion with the token). A wrong password answers as for any disabled account.
import { and, eq, gt, isNull, like } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Tx } from "../../db/types";
import { sha256Hex } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { users } from "./schema";
import { deleteAllSessionsOf } from "./sessions";
import { pendingSignIns } from "./two-factor-schema";

export const DELETION_SCHEDULED = "deletion_scheduled";

/** 409 with the pending token: the JSON answer of a sign-in during the grace period (pages redirect instead). */
export function deletionScheduled(pendingToken: string): AppError {
  return new AppError(409, DELETION_SCHEDULED, "Your account is scheduled for deletion. Cancel the deletion to sign in, or keep it scheduled.", {
    pendingToken,
    offer: "/account/deletion",
    cancel: { method: "DELETE", path: "/api/me/deletion", body: { pendingToken: "<this token>" } },
  });
}

/** The pending token of a deletion-scheduled answer, or null for any other error. */
export function deletionOfferToken(error: unknown): string | null {
  return error instanceof AppError && error.code === DELETION_SCHEDULED ? String(error.details.pendingToken ?? "") || null : null;
}

/** A sign-in's outcome, or the deletion offer it led to (pages redirect to it rather than showing an error). */
export function orDeletionOffer<T>(signIn: Promise<T>): Promise<{ done: T } | { offer: string }> {
  return signIn.then(
    (done) => ({ done }),
    (error: unknown) => {
      const offer = deletionOfferToken(error);
      if (offer === null) throw error;
      return { offer };
    },
  );
}

/** Whose account a live deletion offer (pending sign-in token) is, and how they proved it; null when gone. */
export async function deletionOfferOf(deps: Pick<Deps, "db" | "now">, token: string): Promise<{ userId: string; method: string } | null> {
  const [row] = await deps.db
    .select({ userId: pendingSignIns.userId, method: pendingSignIns.method })
    .from(pendingSignIns)
    .where(and(eq(pendingSignIns.tokenHash, sha256Hex(token)), gt(pendingSignIns.expiresAt, deps.now()), like(pendingSignIns.method, "deletion:%"), eq(pendingSignIns.firstFactorOk, true)))
    .limit(1);
  return row ? { userId: row.userId, method: row.method.slice("deletion:".length) } : null;
}

/** Uses up a deletion offer in the caller's transaction; false when it was already used or gone. */
export async function useDeletionOffer(tx: Tx, token: string): Promise<boolean> {
  const removed = await tx.delete(pendingSignIns).where(and(eq(pendingSignIns.tokenHash, sha256Hex(token)), like(pendingSignIns.method, "deletion:%"))).returning({ userId: pendingSignIns.userId });
  return removed.length === 1;
}

/**
 * Disables the account for its deletion request and ends every session, in the caller's
 * transaction. An account an admin has already disabled stays as it is (`disabled: false`): cancelling
 * the request must not enable it.
 */
export async function disableForDeletion(tx: Tx, userId: string, now: number): Promise<{ disabled: boolean; sessionsEnded: number }> {
  const changed = await tx.update(users).set({ disabledAt: now, disabledReason: "deletion", updatedAt: now }).where(and(eq(users.id, userId), isNull(users.disabledAt)));
  return { disabled: changed.rowsAffected === 1, sessionsEnded: await deleteAllSessionsOf(tx, userId) };
}

/** Enables the account again when its deletion request is cancelled — only if that request disabled it. */
export async function enableAfterDeletionCancelled(tx: Tx, userId: string, now: number): Promise<boolean> {
  const changed = await tx.update(users).set({ disabledAt: null, disabledReason: null, updatedAt: now }).where(and(eq(users.id, userId), eq(users.disabledReason, "deletion")));
  return changed.rowsAffected === 1;
}
