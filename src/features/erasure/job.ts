// The erasure job (one task of src/jobs.ts): claims the due requests in a transaction (two instances
// never erase the same person twice; a claim older than CLAIM_STALE_MS is a crashed run's, taken
// over), then for each runs every registered eraser in a transaction of its own, recording in the
// same transaction that the feature is done, so a resumed run skips it. The order:
//   1. every feature but mailer and auth;
//   2. the proof mailed to the address (after the claim's commit, outside any transaction);
//   3. mailer (its outbox rows to the address go, the proof's included, whatever SMTP did);
//   4. auth (the user row and all that cascades with it) together with the proof record and the
//      request reduced to its tombstone — one transaction, so the proof exists once the person is gone.
import { and, eq, lte, lt, or } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Tx } from "../../db/types";
import { newId } from "../../lib/crypto";
import { recordAudit } from "../audit";
import { users } from "../auth";
import { blockIdValuesOf } from "../location";
import type { ErasedPerson, PersonalDataSource } from "../privacy";
import { deletionRequests, erasureProofs, type DeletionRequestRow } from "./schema";
import { ownershipBlocks } from "./service";

/** A claim this old belongs to a run that died; the next run takes it over. */
export const CLAIM_STALE_MS = 10 * 60_000;
/** Erasures per run, so one run stays short; the rest wait a minute. */
const PER_RUN = 5;
const SYSTEM = { ipAddress: "", userAgent: "erasure job", requestId: "" };

/** Mailed before the address goes; names only what is kept (no personal data). */
function proofMail(to: string, tombstone: string, counts: Record<string, number>) {
  const lines = Object.entries(counts).map(([feature, n]) => `  ${feature}: ${n}`);
  return {
    to,
    subject: "Your Block on Block account has been erased",
    text: [
      "As you asked, your Block on Block account is being erased now. This is the last message to this address.",
      "",
      "Rows deleted or anonymized, per part of the platform:",
      ...lines,
      "  (then your mail and your account itself)",
      "",
      `The platform keeps a proof of this erasure under the reference ${tombstone}: the time and these counts, nothing that names you.`,
      "Messages you wrote in shared conversations stay there, shown as from a deleted user; audit trails keep their events without your name, address or network details.",
    ].join("\n"),
  };
}

async function claimDue(deps: Deps, now: number): Promise<DeletionRequestRow[]> {
  return writeTransaction(deps.db, async (tx) => {
    const due = await tx
      .select()
      .from(deletionRequests)
      .where(or(and(eq(deletionRequests.status, "pending"), lte(deletionRequests.eraseAfter, now)), and(eq(deletionRequests.status, "erasing"), lt(deletionRequests.claimedAt, now - CLAIM_STALE_MS))))
      .orderBy(deletionRequests.eraseAfter)
      .limit(PER_RUN);
    const claimed: DeletionRequestRow[] = [];
    for (const row of due) {
      let person: ErasedPerson | null = row.person;
      let tombstone = row.tombstone;
      if (row.status === "pending") {
        // Someone else left during the grace period and the person is now a last owner: erasing would
        // leave a business or household without one. It waits (admins see it overdue) until that changes.
        const blocks = await ownershipBlocks(tx, row.userId);
        if (blocks.length) {
          deps.log({ level: "warn", msg: "erasure waits: the person is the last owner of a business or household", request: row.id, blocked: blocks.map((block) => block.id) });
          continue;
        }
        const [user] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, row.userId)).limit(1);
        person = { email: user?.email ?? "", name: user?.name ?? "", blockIds: await blockIdValuesOf(tx, row.userId) };
        tombstone = newId();
      }
      const taken = await tx
        .update(deletionRequests)
        .set({ status: "erasing", claimedAt: now, person, tombstone })
        .where(and(eq(deletionRequests.id, row.id), eq(deletionRequests.status, row.status)))
        .returning();
      if (taken[0]) claimed.push(taken[0]);
    }
    return claimed;
  });
}

async function eraseOne(deps: Deps, sources: readonly PersonalDataSource[], request: DeletionRequestRow, now: number): Promise<Record<string, number>> {
  const person = request.person ?? { email: "", name: "", blockIds: [] };
  const tombstone = request.tombstone!;
  const counts: Record<string, number> = { ...request.counts };
  const runIn = async (source: PersonalDataSource, more?: (tx: Tx) => Promise<void>) => {
    if (source.feature in counts && !more) return;
    await writeTransaction(deps.db, async (tx) => {
      const changed = source.feature in counts ? 0 : await source.erase({ tx, deps, userId: request.userId, person, tombstone, now });
      counts[source.feature] = (counts[source.feature] ?? 0) + changed;
      await tx.update(deletionRequests).set({ counts: { ...counts } }).where(eq(deletionRequests.id, request.id));
      await more?.(tx);
    });
  };
  const mailer = sources.find((source) => source.feature === "mailer");
  const auth = sources.find((source) => source.feature === "auth");
  for (const source of sources) if (source !== mailer && source !== auth) await runIn(source);

  let mailStatus: "sent" | "outbox" | "failed" | "none" = "none";
  if (request.proofMailedAt === null && person.email) {
    const delivery = await deps.mailer.send(proofMail(person.email, tombstone, counts), {});
    mailStatus = delivery.status;
    await writeTransaction(deps.db, (tx) => tx.update(deletionRequests).set({ proofMailedAt: deps.now() }).where(eq(deletionRequests.id, request.id)));
  }
  if (mailer) await runIn(mailer);

  const finish = async (tx: Tx) => {
    const erasedAt = deps.now();
    const proofId = newId();
    await tx.insert(erasureProofs).values({ id: proofId, erasedAt, requestedAt: request.requestedAt, requestedBy: request.requestedBy, tombstone, counts: { ...counts }, mailStatus });
    await tx
      .update(deletionRequests)
      .set({ userId: tombstone, reason: null, person: null, status: "erased", erasedAt, counts: { ...counts } })
      .where(eq(deletionRequests.id, request.id));
    await recordAudit(tx, erasedAt, SYSTEM, { actorUserId: null, action: "privacy.erased", targetType: "erasure_proof", targetId: proofId, details: { tombstone, requestedBy: request.requestedBy, counts } });
  };
  if (auth) await runIn(auth, finish);
  else await writeTransaction(deps.db, finish);
  return counts;
}

/**
 * The scheduled task: erases every due request (and finishes any a crashed run left). `sources` is
 * src/personal-data.ts's list, handed in by src/jobs.ts. Returns how many accounts were erased.
 */
export async function runErasures(deps: Deps, sources: readonly PersonalDataSource[], now = deps.now()): Promise<number> {
  const claimed = await claimDue(deps, now);
  let erased = 0;
  for (const request of claimed) {
    try {
      await eraseOne(deps, sources, request, now);
      erased++;
    } catch (error) {
      // Left "erasing": the next run after CLAIM_STALE_MS resumes it where it stopped.
      deps.log({ level: "error", msg: "erasure failed; it resumes later", request: request.id, error: String(error) });
    }
  }
  return erased;
}
