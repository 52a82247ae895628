import { and, eq, isNull, sql } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Tx } from "../../db/types";
import { validationError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { type LimitCheck, rateLimited, recordHit, retryAfterSeconds } from "../ratelimit";
import { describePlace, issueBlockId, recordBlockIdIssued, retireBlockId } from "./block-id";
import { findPlace, type Place } from "./places";
import { blockIds } from "./schema";

export interface MoveInput {
  userId: string;
  townId: string;
  /** "admin" for a platform admin's move, "user" for the user's own choice. */
  source: "admin" | "user";
  actorUserId: string;
  /**
   * A limit on such moves, checked and counted inside the move's transaction, so two moves sent at
   * once cannot both slip under it. Over the limit: 429 with `retryAfterSeconds` in the details.
   */
  limit?: LimitCheck;
}

export interface MoveResult {
  previous: { blockId: string; place: Place } | null;
  current: { blockId: string; place: Place };
}

/**
 * Moves a user's Block ID to another town, inside the caller's transaction (auth's moveUser, which
 * also makes the new number the account's): the current Block ID is retired (kept in the history,
 * never issued again) and the town's next one is issued. Audited as the user's location change with
 * before and after, plus the retirement and the issue of the two numbers.
 */
export async function moveBlockId(tx: Tx, now: number, input: MoveInput, meta: RequestMeta): Promise<MoveResult> {
  if (input.limit) {
    const wait = await retryAfterSeconds(tx, now, [input.limit]);
    if (wait > 0) throw rateLimited("Too many town changes; try again later.", wait);
  }
  const [current] = await tx
    .select({ value: blockIds.value, townId: blockIds.townId })
    .from(blockIds)
    .where(and(eq(blockIds.userId, input.userId), isNull(blockIds.retiredAt)));
  if (current?.townId === input.townId) {
    throw validationError({ townId: ["This is already the user's town."] }, "Choose a different town: the user is already there.");
  }
  const previousPlace = current ? await findPlace(tx, current.townId) : null;
  const retired = await retireBlockId(tx, input.userId, now);
  const issued = await issueBlockId(tx, { userId: input.userId, townId: input.townId, source: input.source, now });
  const previous = retired && previousPlace ? { blockId: retired.value, place: previousPlace } : null;
  if (retired) {
    await recordAudit(tx, now, meta, {
      actorUserId: input.actorUserId,
      action: "block_id.retire",
      targetType: "block_id",
      targetId: retired.value,
      details: { userId: input.userId, replacedBy: issued.value },
    });
  }
  await recordBlockIdIssued(tx, meta, input.actorUserId, issued, { replaces: retired?.value ?? null });
  await recordAudit(tx, now, meta, {
    actorUserId: input.actorUserId,
    action: "user.location_change",
    targetType: "user",
    targetId: input.userId,
    details: {
      source: input.source,
      before: previous ? { blockId: previous.blockId, townId: previous.place.town.id, place: describePlace(previous.place) } : null,
      after: { blockId: issued.value, townId: issued.townId, place: describePlace(issued.place) },
    },
  });
  if (input.limit) await recordHit(tx, now, [input.limit.bucket]);
  return { previous, current: { blockId: issued.value, place: issued.place } };
}

/** A user's Block IDs, newest first: the current one (retiredAt null) and every one before it. */
export async function blockIdHistory(deps: Pick<Deps, "db">, userId: string) {
  const rows = await deps.db.select().from(blockIds).where(eq(blockIds.userId, userId)).orderBy(sql`${blockIds.retiredAt} is null`, blockIds.issuedAt);
  const withPlaces = await Promise.all(rows.map(async (row) => ({ ...row, place: await findPlace(deps.db, row.townId) })));
  return withPlaces.reverse();
}
