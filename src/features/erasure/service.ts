// Deletion requests: asking (the person, re-authenticated, or a platform admin with a reason), the
// last-owner block, cancelling (through the sign-in offer, a session, or an admin), and the lists
// admins read. The erasure itself is job.ts.
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import type { RequestMeta, RequestSession } from "../../http/types";
import { newId } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { recordAudit } from "../audit";
import { confirmIdentity, deletionOfferOf, disableForDeletion, enableAfterDeletionCancelled, findUser, openSession, useDeletionOffer, users } from "../auth";
import { householdsSolelyOwnedBy } from "../households";
import { businessesSolelyOwnedBy } from "../workspace";
import { deletionRequests, erasureProofs, type DeletionRequestRow, type ErasureProofRow } from "./schema";

const DAY_MS = 86_400_000;

/** A business or household the person is the last owner of: the account cannot go before it is handed over. */
export interface OwnershipBlock {
  kind: "business" | "household";
  id: string;
  name: string;
  why: string;
  url: string;
}

export interface DeletionView {
  id: string;
  status: DeletionRequestRow["status"];
  requestedAt: number;
  eraseAfter: number;
  requestedBy: "self" | "admin";
}

const view = (row: DeletionRequestRow): DeletionView => ({ id: row.id, status: row.status, requestedAt: row.requestedAt, eraseAfter: row.eraseAfter, requestedBy: row.requestedBy });

export function deletionJson(row: DeletionView) {
  return { ...row, requestedAt: new Date(row.requestedAt).toISOString(), eraseAfter: new Date(row.eraseAfter).toISOString() };
}

/** Every business and household the person is the only owner of. */
export async function ownershipBlocks(db: Db | Tx, userId: string): Promise<OwnershipBlock[]> {
  const [businesses, households] = await Promise.all([businessesSolelyOwnedBy(db, userId), householdsSolelyOwnedBy(db, userId)]);
  return [
    ...businesses.map((b) => ({ kind: "business" as const, id: b.id, name: b.name, why: "You are its only owner: make another member an owner, or delete the business.", url: `/business/${b.id}/workspace/members` })),
    ...households.map((h) => ({ kind: "household" as const, id: h.id, name: h.name, why: "You are its only owner: make another member an owner, or delete the household.", url: `/household/${h.id}` })),
  ];
}

function lastOwner(blocks: OwnershipBlock[]): AppError {
  return new AppError(409, "last_owner", "You are the last owner of a business or household. Hand each one over (or delete it) first.", { blocks });
}

/** The person's pending (or running) request, if any. */
export async function activeRequestOf(db: Db | Tx, userId: string): Promise<DeletionRequestRow | null> {
  const [row] = await db
    .select()
    .from(deletionRequests)
    .where(and(eq(deletionRequests.userId, userId), inArray(deletionRequests.status, ["pending", "erasing"])))
    .limit(1);
  return row ?? null;
}

/**
 * In one transaction: the request, the account disabled, every session ended (audited). Refused while
 * the person is the last owner of a business or household (409 with the list).
 */
async function createRequest(deps: Deps, userId: string, by: { kind: "self" } | { kind: "admin"; adminId: string; reason: string; immediate: boolean }, meta: RequestMeta): Promise<DeletionView> {
  return writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const blocks = await ownershipBlocks(tx, userId);
    if (blocks.length) throw lastOwner(blocks);
    const existing = await activeRequestOf(tx, userId);
    if (existing) return view(existing);
    const immediate = by.kind === "admin" && by.immediate;
    const row: DeletionRequestRow = {
      id: newId(),
      userId,
      requestedAt: now,
      eraseAfter: immediate ? now : now + deps.config.ERASURE_GRACE_DAYS * DAY_MS,
      requestedBy: by.kind,
      reason: by.kind === "admin" ? by.reason : null,
      status: "pending",
      cancelledAt: null,
      claimedAt: null,
      tombstone: null,
      person: null,
      counts: {},
      proofMailedAt: null,
      erasedAt: null,
    };
    await tx.insert(deletionRequests).values(row);
    const { disabled, sessionsEnded } = await disableForDeletion(tx, userId, now);
    await recordAudit(tx, now, meta, {
      actorUserId: by.kind === "admin" ? by.adminId : userId,
      action: by.kind === "admin" ? "admin.deletion_request" : "privacy.deletion_request",
      targetType: "user",
      targetId: userId,
      details: { requestId: row.id, eraseAfter: row.eraseAfter, accountDisabled: disabled, sessionsEnded, ...(by.kind === "admin" ? { reason: by.reason, immediate } : {}) },
    });
    return view(row);
  });
}

/**
 * "Delete my account": the person proves who they are again — their password, or, for an account
 * without one, a sign-in in the last few minutes (auth's confirmIdentity: 400 / 403) — and, unless
 * they are a last owner (409), the account is disabled at once and erased after the grace period.
 */
export async function requestDeletion(deps: Deps, userId: string, session: Pick<RequestSession, "authenticatedAt">, password: string | undefined, meta: RequestMeta): Promise<DeletionView> {
  try {
    await confirmIdentity(deps, userId, session, password, "/profile#delete-account");
  } catch (error) {
    // auth names the field currentPassword; this form calls it password.
    if (error instanceof AppError && error.fieldErrors.currentPassword) throw new AppError(error.status, error.code, error.message, { fieldErrors: { password: error.fieldErrors.currentPassword } });
    throw error;
  }
  const blocks = await ownershipBlocks(deps.db, userId);
  if (blocks.length) throw lastOwner(blocks);
  return createRequest(deps, userId, { kind: "self" }, meta);
}

/** A platform admin starts an erasure on the person's request (reason required; `immediate` skips the grace period). */
export async function adminRequestDeletion(deps: Deps, adminId: string, userId: string, input: { reason: string; immediate: boolean }, meta: RequestMeta): Promise<DeletionView> {
  const [target] = await deps.db.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1);
  if (!target) throw new AppError(404, "not_found", "There is no such user.");
  if (target.id === adminId) throw new AppError(409, "own_account", "Delete your own account from your profile.");
  return createRequest(deps, userId, { kind: "admin", adminId, ...input }, meta);
}

/** Cancels the person's pending request and enables the account again (only if the request disabled it), in the caller's transaction. */
async function cancelIn(tx: Tx, userId: string, now: number, meta: RequestMeta, actorUserId: string): Promise<boolean> {
  const cancelled = await tx
    .update(deletionRequests)
    .set({ status: "cancelled", cancelledAt: now })
    .where(and(eq(deletionRequests.userId, userId), eq(deletionRequests.status, "pending")))
    .returning({ id: deletionRequests.id });
  if (!cancelled.length) return false;
  const enabled = await enableAfterDeletionCancelled(tx, userId, now);
  await recordAudit(tx, now, meta, {
    actorUserId,
    action: actorUserId === userId ? "privacy.deletion_cancel" : "admin.deletion_cancel",
    targetType: "user",
    targetId: userId,
    details: { requestId: cancelled[0]!.id, accountEnabled: enabled },
  });
  return true;
}

const tooLate = () => new AppError(409, "deletion_not_pending", "There is no pending deletion to cancel: it was cancelled already, or the erasure has started.");

/** The grace-period sign-in's offer, taken: cancel the deletion and open a session. 401 when the offer is gone. */
export async function cancelByOffer(deps: Deps, token: string, meta: RequestMeta) {
  const offer = await deletionOfferOf(deps, token);
  if (!offer) throw new AppError(401, "sign_in_expired", "The sign-in took too long. Sign in again.");
  await writeTransaction(deps.db, async (tx) => {
    if (!(await useDeletionOffer(tx, token))) throw new AppError(401, "sign_in_expired", "The sign-in took too long. Sign in again.");
    if (!(await cancelIn(tx, offer.userId, deps.now(), meta, offer.userId))) throw tooLate();
  });
  const user = await findUser(deps, offer.userId);
  // An account an admin had disabled stays disabled: cancelled, but no session.
  if (user.disabledAt !== null) throw new AppError(403, "account_disabled", "The deletion is cancelled, but this account is disabled by a platform admin.");
  return openSession(deps, user, meta, "auth.login", { method: offer.method, deletionCancelled: true }, { method: offer.method });
}

/** The grace-period offer, declined: the offer is used up, the deletion stays scheduled. */
export async function declineOffer(deps: Deps, token: string): Promise<void> {
  await writeTransaction(deps.db, (tx) => useDeletionOffer(tx, token));
}

/** DELETE /api/me/deletion from a session (one opened by the offer, or any other the person holds). */
export async function cancelBySession(deps: Deps, userId: string, meta: RequestMeta): Promise<void> {
  await writeTransaction(deps.db, async (tx) => {
    if (!(await cancelIn(tx, userId, deps.now(), meta, userId))) throw tooLate();
  });
}

/** An admin cancels a pending request. */
export async function adminCancelDeletion(deps: Deps, adminId: string, requestId: string, meta: RequestMeta): Promise<void> {
  await writeTransaction(deps.db, async (tx) => {
    const [row] = await tx.select().from(deletionRequests).where(eq(deletionRequests.id, requestId)).limit(1);
    if (!row || row.status !== "pending") throw new AppError(404, "not_found", "There is no such pending deletion.");
    await cancelIn(tx, row.userId, deps.now(), meta, adminId);
  });
}

/** When the deletion a live offer is about is due; null when the offer is gone. */
export async function offerDetails(deps: Pick<Deps, "db" | "now">, token: string): Promise<{ eraseAfter: number } | null> {
  const offer = await deletionOfferOf(deps, token);
  if (!offer) return null;
  const request = await activeRequestOf(deps.db, offer.userId);
  return request && request.status === "pending" ? { eraseAfter: request.eraseAfter } : null;
}

export interface PendingErasure extends DeletionView {
  userId: string;
  name: string;
  email: string;
  reason: string | null;
}

/** Pending (and running) erasures, soonest first, for platform admins. */
export async function listPendingErasures(db: Db): Promise<PendingErasure[]> {
  const rows = await db
    .select({ request: deletionRequests, name: users.name, email: users.email })
    .from(deletionRequests)
    .leftJoin(users, eq(users.id, deletionRequests.userId))
    .where(inArray(deletionRequests.status, ["pending", "erasing"]))
    .orderBy(deletionRequests.eraseAfter);
  return rows.map((row) => ({ ...view(row.request), userId: row.request.userId, name: row.name ?? "", email: row.email ?? "", reason: row.request.reason }));
}

/** The newest erasure proofs. */
export async function listErasureProofs(db: Db, limit = 100): Promise<ErasureProofRow[]> {
  return db.select().from(erasureProofs).orderBy(desc(erasureProofs.erasedAt)).limit(limit);
}
