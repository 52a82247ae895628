// Requests for "download your data": one active export per person at a time, limited per day,
// every request audited and published on the person's live channel. The archive itself is built
// by the scheduled job (job.ts).
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import { newId } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { users } from "../auth";
import { rateLimited, retryAfterSeconds, recordHit } from "../ratelimit";
import { channel, publish } from "../realtime";
import { dataExports, type ExportRow, type ExportStatus } from "./schema";

export const EXPORT_CHANGED = "export.changed";
/** Exports one person may ask for in a day (a build reads all their data: not something to repeat in a loop). */
export const EXPORTS_PER_DAY = 5;
const DAY_MS = 24 * 3600_000;

export interface ExportView {
  id: string;
  status: ExportStatus;
  progress: { done: number; total: number };
  /** "you", or "admin" when a platform admin started it on the person's request. */
  requestedBy: "you" | "admin";
  reason: string | null;
  createdAt: string;
  readyAt: string | null;
  expiresAt: string | null;
  size: number | null;
  /** Only while ready and unexpired; the link works for its owner's session alone. */
  downloadUrl: string | null;
  error: string | null;
}

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export function exportView(row: ExportRow, now: number): ExportView {
  const downloadable = row.status === "ready" && row.expiresAt !== null && row.expiresAt > now;
  return {
    id: row.id,
    status: row.status,
    progress: { done: row.done, total: row.total },
    requestedBy: row.requestedBy === null ? "you" : "admin",
    reason: row.reason,
    createdAt: iso(row.createdAt)!,
    readyAt: iso(row.readyAt),
    expiresAt: iso(row.expiresAt),
    size: row.size,
    downloadUrl: downloadable ? `/me/exports/${row.id}/download` : null,
    error: row.error,
  };
}

export const ACTIVE: ExportStatus[] = ["queued", "building"];

export interface ExportRequest {
  /** The platform admin acting on the person's request, or null when the person asks. */
  adminId: string | null;
  reason: string | null;
  meta: RequestMeta;
}

/**
 * Queues an export for `userId`, or answers the one already queued or building (`created: false`).
 * A person may ask EXPORTS_PER_DAY times a day; an admin's request on their behalf is not limited.
 */
export async function requestExport(deps: Deps, userId: string, request: ExportRequest): Promise<{ row: ExportRow; created: boolean }> {
  const now = deps.now();
  return writeTransaction(deps.db, async (tx) => {
    const [active] = await tx.select().from(dataExports).where(and(eq(dataExports.userId, userId), inArray(dataExports.status, ACTIVE))).limit(1);
    if (active) return { row: active, created: false };
    if (request.adminId === null && deps.config.RATE_LIMIT === "on") {
      const check = { bucket: `exports:user:${userId}`, max: EXPORTS_PER_DAY, windowMs: DAY_MS };
      const wait = await retryAfterSeconds(tx, now, [check]);
      if (wait > 0) throw rateLimited(`You can ask for ${EXPORTS_PER_DAY} exports a day; try again later.`, wait);
      await recordHit(tx, now, [check.bucket]);
    }
    const row: ExportRow = {
      id: newId(),
      userId,
      status: "queued",
      done: 0,
      total: 0,
      partsDone: [],
      claimToken: null,
      claimedUntil: null,
      attempts: 0,
      storageKey: null,
      size: null,
      requestedBy: request.adminId,
      reason: request.reason,
      error: null,
      createdAt: now,
      readyAt: null,
      expiresAt: null,
    };
    await tx.insert(dataExports).values(row);
    await recordAudit(tx, now, request.meta, {
      actorUserId: request.adminId ?? userId,
      action: request.adminId ? "privacy.export.admin_request" : "privacy.export.request",
      targetType: "user",
      targetId: userId,
      details: request.reason ? { exportId: row.id, reason: request.reason } : { exportId: row.id },
    });
    await publishChange(tx, deps, row);
    return { row, created: true };
  });
}

export function publishChange(tx: Tx, deps: Pick<Deps, "live" | "now">, row: Pick<ExportRow, "id" | "userId" | "status" | "done" | "total">) {
  return publish(tx, deps, { channel: channel.user(row.userId), type: EXPORT_CHANGED, payload: { exportId: row.id, status: row.status, done: row.done, total: row.total } });
}

/** The person's exports, newest first. */
export function listExports(db: Db, userId: string, limit = 20): Promise<ExportRow[]> {
  return db.select().from(dataExports).where(eq(dataExports.userId, userId)).orderBy(desc(dataExports.createdAt)).limit(limit);
}

/** One of the person's exports; another person's id answers 404 like a missing one. */
export async function findExport(db: Db, userId: string, exportId: string): Promise<ExportRow> {
  const [row] = await db.select().from(dataExports).where(and(eq(dataExports.id, exportId), eq(dataExports.userId, userId)));
  if (!row) throw new AppError(404, "not_found", "There is no such export.");
  return row;
}

/** The account an admin names by its id or email address; 404 when there is none. */
export async function findAccount(db: Db, idOrEmail: string): Promise<{ id: string; email: string; name: string }> {
  const value = idOrEmail.trim();
  const where = value.includes("@") ? eq(users.email, value.toLowerCase()) : eq(users.id, value);
  const [account] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(where);
  if (!account) throw new AppError(404, "not_found", "There is no account with that id or address.", { fieldErrors: { user: ["There is no account with that id or address."] } });
  return account;
}
