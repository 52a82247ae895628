// Consent records: read the newest answer per purpose, write changes (append-only, audited, in one
// transaction with the snapshot they were planned from), and answer `hasConsent` for features.
import { and, desc, eq, inArray, max } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import { recordAudit, type RequestMeta } from "../audit";
import { enforceLimit } from "../ratelimit";
import { consentState, counts, pendingRequired, planChange, signUpRecords, type LatestRecord, type PlannedRecord, type PurposeState } from "./consent-rules";
import { REQUIRED_PURPOSES, type Purpose } from "./purposes";
import { consentRecords, type ConsentHow, type ConsentRecordRow } from "./schema";

/** Consent changes one person may make in an hour (API and profile together); RATE_LIMIT=off lifts it. */
export const CONSENT_CHANGES_PER_HOUR = 30;

/** The newest record of each purpose the person ever answered. */
export async function latestRecords(db: Db | Tx, userId: string, purposes?: readonly Purpose[]): Promise<LatestRecord[]> {
  const mine = purposes ? and(eq(consentRecords.userId, userId), inArray(consentRecords.purpose, [...purposes])) : eq(consentRecords.userId, userId);
  const newest = db.select({ id: max(consentRecords.id) }).from(consentRecords).where(mine).groupBy(consentRecords.purpose);
  return db
    .select({ purpose: consentRecords.purpose, version: consentRecords.version, granted: consentRecords.granted, at: consentRecords.at, how: consentRecords.how })
    .from(consentRecords)
    .where(and(eq(consentRecords.userId, userId), inArray(consentRecords.id, newest)));
}

/** Every purpose's state for this person: granted, version, when, how, whether it counts now. */
export async function consentsOf(deps: Pick<Deps, "db" | "config">, userId: string): Promise<PurposeState[]> {
  return consentState(deps.config, await latestRecords(deps.db, userId));
}

/** The required purposes this person has not accepted at their current versions (empty: nothing to ask). */
export async function requiredToAccept(deps: Pick<Deps, "db" | "config">, userId: string): Promise<Purpose[]> {
  return pendingRequired(consentState(deps.config, await latestRecords(deps.db, userId, REQUIRED_PURPOSES)));
}

/**
 * What a feature asks before doing what needs consent: whether the person's newest answer for the
 * purpose is yes — and, for the terms and the privacy notice, a yes to the version in force.
 */
export async function hasConsent(deps: Pick<Deps, "db" | "config">, userId: string, purpose: Purpose): Promise<boolean> {
  const [latest] = await deps.db
    .select({ granted: consentRecords.granted, version: consentRecords.version })
    .from(consentRecords)
    .where(and(eq(consentRecords.userId, userId), eq(consentRecords.purpose, purpose)))
    .orderBy(desc(consentRecords.id))
    .limit(1);
  return counts(deps.config, purpose, latest);
}

/** Every answer the person gave, newest first. */
export async function consentHistory(db: Db | Tx, userId: string): Promise<ConsentRecordRow[]> {
  return db.select().from(consentRecords).where(eq(consentRecords.userId, userId)).orderBy(desc(consentRecords.id));
}

async function writeRecords(tx: Tx, userId: string, planned: readonly PlannedRecord[], how: ConsentHow, now: number, meta: RequestMeta): Promise<void> {
  if (planned.length === 0) return;
  await tx.insert(consentRecords).values(planned.map((record) => ({ userId, ...record, at: now, how })));
  await recordAudit(tx, now, meta, {
    actorUserId: userId,
    action: "consent.change",
    targetType: "user",
    targetId: userId,
    details: { how, changes: planned.map(({ purpose, version, granted }) => ({ purpose, version, granted })) },
  });
}

/** Sign-up's acceptance of the terms and the privacy notice in force, in the transaction that makes the account. */
export async function recordSignUpConsents(tx: Tx, config: Deps["config"], userId: string, now: number, meta: RequestMeta): Promise<void> {
  await writeRecords(tx, userId, signUpRecords(config), "signup", now, meta);
}

export interface ConsentChange {
  /** The records written (empty when nothing differed). */
  changed: PlannedRecord[];
  state: PurposeState[];
}

/**
 * Sets the purposes named (true: grant, false: withdraw) and leaves the others; a yes to the terms or
 * privacy notice accepts the version in force. Withdrawing either is refused (400, delete the
 * account instead). Counted against CONSENT_CHANGES_PER_HOUR.
 */
export async function changeConsents(deps: Deps, userId: string, wanted: Partial<Record<Purpose, boolean>>, how: ConsentHow, meta: RequestMeta): Promise<ConsentChange> {
  const now = deps.now();
  await enforceLimit(deps, { bucket: `consents:user:${userId}`, max: CONSENT_CHANGES_PER_HOUR, windowMs: 3600_000 }, "Too many consent changes. Try again later.");
  return writeTransaction(deps.db, async (tx) => {
    const before = consentState(deps.config, await latestRecords(tx, userId));
    const changed = planChange(deps.config, before, wanted);
    await writeRecords(tx, userId, changed, how, now, meta);
    return { changed, state: consentState(deps.config, await latestRecords(tx, userId)) };
  });
}

/**
 * The accept page's yes to the terms and privacy notice in force: "sign-in" when they had accepted
 * an earlier version, "signup" when this is the account's first (one made through a provider).
 */
export async function acceptRequired(deps: Deps, userId: string, meta: RequestMeta): Promise<ConsentChange> {
  const before = await latestRecords(deps.db, userId, REQUIRED_PURPOSES);
  const how: ConsentHow = before.some((record) => record.granted) ? "sign-in" : "signup";
  return changeConsents(deps, userId, { terms: true, privacy: true }, how, meta);
}
