// The account's Block ID: location issues and retires the numbers (its block_ids table); the
// account's current number (users.block_id) is written here, in the same transaction.
import { eq, isNull } from "drizzle-orm";
import type { Db, Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import type { Deps } from "../../deps";
import { AppError } from "../../lib/errors";
import type { RequestMeta } from "../audit";
import { issueBlockId, moveBlockId, recordBlockIdIssued, unassignedTownOf, type MoveInput, type MoveResult, type ResolvedLocation } from "../location";
import { users } from "./schema";

const BACKFILL_META: RequestMeta = { ipAddress: "", userAgent: "", requestId: "reference-data" };

/** Issues a new account's first Block ID and makes it the account's, in the registration transaction. */
export async function giveFirstBlockId(tx: Tx, userId: string, location: ResolvedLocation, now: number, meta: RequestMeta): Promise<string> {
  const issued = await issueBlockId(tx, { userId, ...location, now });
  await recordBlockIdIssued(tx, meta, userId, issued);
  await tx.update(users).set({ blockId: issued.value }).where(eq(users.id, userId));
  return issued.value;
}

/**
 * Moves a user to another town, in one transaction: the current Block ID is retired, the town's
 * next one issued and made the account's (location's moveBlockId audits it all).
 */
export async function moveUser(deps: Pick<Deps, "db" | "now">, input: MoveInput, meta: RequestMeta): Promise<MoveResult> {
  return writeTransaction(deps.db, async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
    if (!user) throw new AppError(404, "not_found", "There is no such user.");
    const moved = await moveBlockId(tx, deps.now(), input, meta);
    await tx.update(users).set({ blockId: moved.current.blockId }).where(eq(users.id, input.userId));
    return moved;
  });
}

/** A Block ID, at the default country, for any account made before Block IDs existed (src/seed.ts). */
export async function backfillBlockIds(db: Db, defaultCountry: string, now: number): Promise<void> {
  const missing = await db.select({ id: users.id }).from(users).where(isNull(users.blockId));
  if (missing.length === 0) return;
  const townId = await unassignedTownOf(db, defaultCountry);
  for (const { id } of missing) {
    await writeTransaction(db, async (tx) => {
      const issued = await issueBlockId(tx, { userId: id, townId, source: "default", now });
      await recordBlockIdIssued(tx, BACKFILL_META, null, issued, { reason: "account made before Block IDs" });
      await tx.update(users).set({ blockId: issued.value }).where(eq(users.id, id));
    });
  }
}
