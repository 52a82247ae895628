import { and, count, eq, gt, lt, min, sql } from "drizzle-orm";
import { pruneRows } from "../../db/prune";
import { writeTransaction } from "../../db/transaction";
import { AppError } from "../../lib/errors";
import type { Db, Tx } from "../../db/types";
import { rateLimitHits } from "./schema";

export interface LimitCheck {
  bucket: string;
  max: number;
  windowMs: number;
}

/** The one answer to a request over a limit: 429, `retryAfterSeconds` in the details and a Retry-After header. */
export function rateLimited(message: string, waitSeconds: number): AppError {
  return new AppError(429, "rate_limited", message, { retryAfterSeconds: waitSeconds }, { "Retry-After": String(waitSeconds) });
}

/**
 * Seconds until the busiest bucket has room again, or 0 when every bucket is under its limit.
 * Hits live in the database, so the limit holds across processes and Workers isolates.
 */
export async function retryAfterSeconds(db: Db | Tx, now: number, checks: LimitCheck[]): Promise<number> {
  let wait = 0;
  for (const check of checks) {
    const since = now - check.windowMs;
    const [row] = await db
      .select({ hits: count(), oldest: min(rateLimitHits.at) })
      .from(rateLimitHits)
      .where(and(eq(rateLimitHits.bucket, check.bucket), gt(rateLimitHits.at, since)));
    if (row && row.hits >= check.max && row.oldest !== null) {
      wait = Math.max(wait, Math.ceil((row.oldest + check.windowMs - now) / 1000));
    }
  }
  return Math.max(0, wait);
}

/**
 * Counts one hit in every bucket only if each is under its limit, as one write transaction, so a
 * burst of parallel requests cannot all pass the check before any is counted. Returns 0 when the
 * hits were counted, else the seconds until the busiest bucket has room (nothing counted).
 */
/**
 * Takes one hit against `check`, or throws the 429 saying `message` (with Retry-After) when it is used up. Nothing
 * while RATE_LIMIT is off (load tests). What a feature calls for a plain per-person or per-thing limit.
 */
export async function enforceLimit(deps: { db: Db; now: () => number; config: { RATE_LIMIT: string } }, check: LimitCheck, message: string): Promise<void> {
  if (deps.config.RATE_LIMIT !== "on") return;
  const wait = await takeHit(deps.db, deps.now(), [check]);
  if (wait > 0) throw rateLimited(message, wait);
}

export async function takeHit(db: Db, now: number, checks: LimitCheck[]): Promise<number> {
  return writeTransaction(db, async (tx) => {
    const wait = await retryAfterSeconds(tx, now, checks);
    if (wait === 0) await recordHit(tx, now, checks.map((check) => check.bucket));
    return wait;
  });
}

/** How many hits a bucket holds within its window. */
export async function countHits(db: Db | Tx, now: number, bucket: string, windowMs: number): Promise<number> {
  const [row] = await db
    .select({ hits: count() })
    .from(rateLimitHits)
    .where(and(eq(rateLimitHits.bucket, bucket), gt(rateLimitHits.at, now - windowMs)));
  return row?.hits ?? 0;
}

/**
 * Takes back one hit counted at `at` in each bucket (a sign-in guess that turned out right should not
 * count against the client); any one of equal rows will do.
 */
export async function releaseHit(db: Db, at: number, buckets: string[]): Promise<void> {
  if (buckets.length === 0) return;
  // Through the write queue, like takeHit: a direct write could starve behind a burst's transactions.
  await writeTransaction(db, async (tx) => {
    for (const bucket of buckets) {
      await tx.run(sql`delete from rate_limit_hits where id = (select id from rate_limit_hits where bucket = ${bucket} and at = ${at} limit 1)`);
    }
  });
}

export async function recordHit(db: Db | Tx, now: number, buckets: string[]): Promise<void> {
  if (buckets.length === 0) return;
  await db.insert(rateLimitHits).values(buckets.map((bucket) => ({ bucket, at: now })));
}

export async function clearBucket(db: Db, bucket: string): Promise<void> {
  await writeTransaction(db, (tx) => tx.delete(rateLimitHits).where(eq(rateLimitHits.bucket, bucket)));
}

/** The longest window any limit uses (a user's own town changes: 30 days), plus a day's margin. */
export const LONGEST_WINDOW_MS = 31 * 24 * 3600_000;

/** Drops hits older than the longest window (the scheduled job, src/jobs.ts; never on a hot path). */
export function pruneHits(db: Db, olderThan: number): Promise<number> {
  return pruneRows(db, rateLimitHits, rateLimitHits.id, lt(rateLimitHits.at, olderThan));
}
