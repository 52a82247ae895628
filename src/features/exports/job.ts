// The export job (src/jobs.ts runs it every minute; a request kicks it at once): claims one queued
// export under a lease, writes each feature's JSON part to storage, then the archive. The lease is
// renewed after every part; a build whose process died is taken over once its lease ran out and
// skips the parts already stored. Ready: a notification in the same transaction, an email after.
import { and, asc, eq, inArray, lt, notInArray, or } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/sqlite-core";
import { strToU8 } from "fflate";
import { publicLink } from "../../config";
import type { Deps, StoredObject } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { users } from "../auth";
import { notify } from "../notifications";
import type { PersonalDataSource } from "../privacy";
import { buildArchive, readme, type ArchiveFile, type ArchivePart } from "./archive";
import { publishChange } from "./exports";
import { dataExports, type ExportRow } from "./schema";

/** How long a claim holds without being renewed (EXPORT_LEASE_SECONDS); a killed builder's export is taken over after it. */
const leaseMs = (deps: Pick<Deps, "config">) => deps.config.EXPORT_LEASE_SECONDS * 1000;
/** Claims one export may take before it is marked failed (a build that crashes its process every time). */
export const MAX_ATTEMPTS = 3;
/** Exports one run builds at most (the next run takes the rest). */
const PER_RUN = 5;
const DAY_MS = 24 * 3600_000;

class LostLease extends Error {}

export const partKey = (exportId: string, feature: string) => `exports/${exportId}/parts/${feature}`;
export const archiveKey = (exportId: string) => `exports/${exportId}/archive`;

async function bytesOf(object: StoredObject): Promise<Uint8Array> {
  return object.body instanceof Uint8Array ? object.body : new Uint8Array(await new Response(object.body).arrayBuffer());
}

/** Claims the oldest queued export, or one whose builder's lease ran out; null when there is none. */
export async function claimExport(deps: Deps, total: number, skip: readonly string[] = []): Promise<{ row: ExportRow; token: string } | null> {
  const now = deps.now();
  return writeTransaction(deps.db, async (tx) => {
    const claimable = or(eq(dataExports.status, "queued"), and(eq(dataExports.status, "building"), lt(dataExports.claimedUntil, now)));
    const [row] = await tx
      .select()
      .from(dataExports)
      .where(skip.length ? and(claimable, notInArray(dataExports.id, [...skip])) : claimable)
      .orderBy(asc(dataExports.createdAt))
      .limit(1);
    if (!row) return null;
    if (row.attempts >= MAX_ATTEMPTS) {
      const failed = { ...row, status: "failed" as const, claimToken: null, claimedUntil: null, error: "The export could not be built. Ask for a new one; if it fails again, tell us." };
      await tx.update(dataExports).set({ status: failed.status, claimToken: null, claimedUntil: null, error: failed.error }).where(eq(dataExports.id, row.id));
      await publishChange(tx, deps, failed);
      return { row: failed, token: "" };
    }
    const token = newId();
    const claimed = { ...row, status: "building" as const, claimToken: token, claimedUntil: now + leaseMs(deps), attempts: row.attempts + 1, total };
    await tx.update(dataExports).set({ status: "building", claimToken: token, claimedUntil: claimed.claimedUntil, attempts: claimed.attempts, total }).where(eq(dataExports.id, row.id));
    await publishChange(tx, deps, claimed);
    return { row: claimed, token };
  });
}

/** Records a finished part and renews the lease; throws LostLease when another builder took the export over. */
async function recordPart(deps: Deps, row: ExportRow, token: string, partsDone: string[], done: number, source?: PersonalDataSource): Promise<void> {
  await writeTransaction(deps.db, async (tx) => {
    const result = await tx
      .update(dataExports)
      .set({ partsDone, done, claimedUntil: deps.now() + leaseMs(deps) })
      .where(and(eq(dataExports.id, row.id), eq(dataExports.claimToken, token)));
    if (result.rowsAffected !== 1) throw new LostLease();
    await source?.exported?.({ tx, deps, userId: row.userId });
    await publishChange(tx, deps, { ...row, status: "building", done });
  });
}

function describeSources(sources: readonly PersonalDataSource[]): Record<string, string> {
  return Object.fromEntries(sources.map((source) => [source.feature, `from ${source.tables.map((entry) => getTableConfig(entry.table).name).join(", ")}`]));
}

async function build(deps: Deps, sources: readonly PersonalDataSource[], row: ExportRow, token: string): Promise<void> {
  const partsDone = [...row.partsDone];
  let done = partsDone.length;
  for (const source of sources) {
    if (partsDone.includes(source.feature)) continue;
    const data = await source.exportFor(deps.db, row.userId);
    await deps.storage.put(partKey(row.id, source.feature), strToU8(JSON.stringify(data, null, 2)), "application/json");
    partsDone.push(source.feature);
    await recordPart(deps, row, token, partsDone, ++done, source);
  }
  const parts: ArchivePart[] = [];
  for (const source of sources) {
    const stored = await deps.storage.get(partKey(row.id, source.feature));
    // A part that vanished from storage (a wiped disk) is made again rather than left out.
    parts.push({ feature: source.feature, json: stored ? await bytesOf(stored) : strToU8(JSON.stringify(await source.exportFor(deps.db, row.userId), null, 2)) });
  }
  const files: ArchiveFile[] = [];
  for (const source of sources) {
    for (const file of (await source.filesFor?.(deps.db, row.userId)) ?? []) {
      const stored = await deps.storage.get(file.storageKey);
      if (stored) files.push({ path: file.path, bytes: await bytesOf(stored) });
    }
  }
  await recordPart(deps, row, token, partsDone, ++done);
  const zip = buildArchive(parts, files, readme(parts.map((part) => part.feature), files.length, new Date(row.createdAt), describeSources(sources)));
  await deps.storage.put(archiveKey(row.id), zip, "application/zip");
  const now = deps.now();
  const expiresAt = now + deps.config.EXPORT_TTL_DAYS * DAY_MS;
  const to = await writeTransaction(deps.db, async (tx) => {
    const result = await tx
      .update(dataExports)
      .set({ status: "ready", done: done + 1, storageKey: archiveKey(row.id), size: zip.length, readyAt: now, expiresAt, claimToken: null, claimedUntil: null, error: null })
      .where(and(eq(dataExports.id, row.id), eq(dataExports.claimToken, token)));
    if (result.rowsAffected !== 1) throw new LostLease();
    await publishChange(tx, deps, { ...row, status: "ready", done: done + 1 });
    await notify(tx, deps, row.userId, { kind: "privacy.export", title: "Your data export is ready", body: `Download it from your profile within ${deps.config.EXPORT_TTL_DAYS} days.`, url: "/profile#your-data" });
    const [owner] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
    return owner?.email ?? null;
  });
  for (const source of sources) await deps.storage.delete(partKey(row.id, source.feature));
  if (to) {
    const link = publicLink(deps.config, "/profile#your-data");
    await deps.mailer.send(
      {
        to,
        subject: "Your data export is ready",
        text: `The export of your data you asked for is ready.\n\nSign in and download it from your profile: ${link}\n\nThe download works for ${deps.config.EXPORT_TTL_DAYS} days, only when you are signed in, and is then deleted.\nIf you did not ask for it, change your password and tell us.`,
      },
      {},
    );
  }
}

/** Gives a failed build back to the queue (or marks it failed after MAX_ATTEMPTS claims). */
async function release(deps: Deps, row: ExportRow, token: string, error: unknown): Promise<void> {
  deps.log({ level: "error", msg: "export build failed", exportId: row.id, attempt: row.attempts, error: String(error) });
  await writeTransaction(deps.db, async (tx) => {
    const last = row.attempts >= MAX_ATTEMPTS;
    const status = last ? ("failed" as const) : ("queued" as const);
    const result = await tx
      .update(dataExports)
      .set({ status, claimToken: null, claimedUntil: null, error: last ? "The export could not be built. Ask for a new one; if it fails again, tell us." : null })
      .where(and(eq(dataExports.id, row.id), eq(dataExports.claimToken, token)));
    if (result.rowsAffected === 1) await publishChange(tx, deps, { ...row, status });
  });
}

/** Builds what is queued (at most PER_RUN exports); returns how many it finished. */
export async function runExports(deps: Deps, sources: readonly PersonalDataSource[]): Promise<number> {
  let built = 0;
  // A build that fails goes back to the queue for a later run, not this one: its attempts are spread
  // over runs rather than spent in one burst on a passing fault.
  const failed: string[] = [];
  for (let i = 0; i < PER_RUN; i++) {
    const claim = await claimExport(deps, sources.length + 2, failed);
    if (!claim) break;
    if (!claim.token) continue;
    try {
      await build(deps, sources, claim.row, claim.token);
      built++;
    } catch (error) {
      if (error instanceof LostLease) continue;
      failed.push(claim.row.id);
      await release(deps, claim.row, claim.token, error);
    }
  }
  return built;
}

/**
 * Retention of exports: a ready archive past its expiry is deleted from storage and its row marked
 * expired; rows of expired and failed exports go 30 days later. Returns how many archives went.
 */
export async function pruneExports(deps: Deps, now: number): Promise<number> {
  const due = await deps.db
    .select({ id: dataExports.id, userId: dataExports.userId, storageKey: dataExports.storageKey, done: dataExports.done, total: dataExports.total })
    .from(dataExports)
    .where(and(eq(dataExports.status, "ready"), lt(dataExports.expiresAt, now)))
    .limit(100);
  for (const row of due) {
    if (row.storageKey) await deps.storage.delete(row.storageKey);
    await writeTransaction(deps.db, async (tx) => {
      await tx.update(dataExports).set({ status: "expired", storageKey: null }).where(and(eq(dataExports.id, row.id), eq(dataExports.status, "ready")));
      await publishChange(tx, deps, { ...row, status: "expired" });
    });
  }
  await writeTransaction(deps.db, (tx) =>
    tx.delete(dataExports).where(and(inArray(dataExports.status, ["expired", "failed"]), lt(dataExports.createdAt, now - 30 * DAY_MS - deps.config.EXPORT_TTL_DAYS * DAY_MS))),
  );
  return due.length;
}
