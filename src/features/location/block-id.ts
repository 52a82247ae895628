import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/types";
import { newId } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { findPlace, type Place } from "./places";
import { blockIdCounters, blockIds, type BlockIdRow, type LocationSource } from "./schema";

const MAX_SERIAL = 999_999;

/** `<calling code>-<region>-<town>-<serial>`, e.g. `44-001-012-000123`. */
export const BLOCK_ID_PATTERN = /^(\d{1,4})-(\d{3})-(\d{3})-(\d{6})$/;

export function blockIdPrefix(place: Place): string {
  return `${place.country.callingCode}-${place.region.code}-${place.town.code}`;
}

export function formatBlockId(prefix: string, serial: number): string {
  return `${prefix}-${String(serial).padStart(6, "0")}`;
}

export interface IssueInput {
  userId: string;
  townId: string;
  source: LocationSource;
  now: number;
}

/**
 * Issues the next Block ID of the town to the user (the caller, auth, makes it their current one on
 * the account). Call inside the
 * write transaction that needs it: the counter's increment is part of that transaction, so a
 * failure later in it takes the serial back, and concurrent transactions (serialised by SQLite or
 * sqld) take consecutive serials.
 */
export async function issueBlockId(tx: Tx, input: IssueInput): Promise<BlockIdRow & { place: Place }> {
  const place = await findPlace(tx, input.townId);
  if (!place) throw new AppError(404, "not_found", "There is no such town.");
  const prefix = blockIdPrefix(place);
  const [counter] = await tx
    .insert(blockIdCounters)
    .values({ prefix, lastSerial: 1 })
    .onConflictDoUpdate({ target: blockIdCounters.prefix, set: { lastSerial: sql`${blockIdCounters.lastSerial} + 1` } })
    .returning({ serial: blockIdCounters.lastSerial });
  const serial = counter!.serial;
  if (serial > MAX_SERIAL) {
    throw new AppError(409, "town_full", `${place.town.name} has issued all its Block IDs; choose another town.`, {
      fieldErrors: { townId: [`${place.town.name} has no Block IDs left; choose another town.`] },
    });
  }
  const row: BlockIdRow = {
    id: newId(),
    value: formatBlockId(prefix, serial),
    userId: input.userId,
    townId: place.town.id,
    serial,
    source: input.source,
    issuedAt: input.now,
    retiredAt: null,
  };
  await tx.insert(blockIds).values(row);
  return { ...row, place };
}

/** Retires the user's current Block ID (kept in history, never issued again); returns it, or null. */
export async function retireBlockId(tx: Tx, userId: string, now: number): Promise<BlockIdRow | null> {
  const [row] = await tx
    .update(blockIds)
    .set({ retiredAt: now })
    .where(and(eq(blockIds.userId, userId), isNull(blockIds.retiredAt)))
    .returning();
  return row ?? null;
}

/** The audit event for a new Block ID (target: the number itself), in the issuing transaction. */
export async function recordBlockIdIssued(tx: Tx, meta: RequestMeta, actorUserId: string | null, issued: BlockIdRow & { place: Place }, details: Record<string, unknown> = {}) {
  await recordAudit(tx, issued.issuedAt, meta, {
    actorUserId,
    action: "block_id.issue",
    targetType: "block_id",
    targetId: issued.value,
    details: { userId: issued.userId, townId: issued.townId, source: issued.source, place: describePlace(issued.place), ...details },
  });
}

export const describePlace = (place: Place) => `${place.town.name}, ${place.region.name}, ${place.country.name}`;
