// Block IDs as records for others to show (the admin portal): a page of users' current numbers with
// their places, one issued number, and every number a user was ever given.
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db, Tx } from "../../db/types";
import { findPlace, placeColumns, toPlace, type Place } from "./places";
import { blockIds, countries, regions, towns, type LocationSource } from "./schema";

export interface CurrentBlockId {
  value: string;
  source: LocationSource;
  issuedAt: number;
  place: Place | null;
}

/** The current Block ID, with its place, of each of these users that has one (keyed by user id). */
export async function currentBlockIdsOf(db: Db, userIds: string[]): Promise<Map<string, CurrentBlockId>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ userId: blockIds.userId, value: blockIds.value, source: blockIds.source, issuedAt: blockIds.issuedAt, ...placeColumns })
    .from(blockIds)
    .leftJoin(towns, eq(towns.id, blockIds.townId))
    .leftJoin(regions, eq(regions.id, towns.regionId))
    .leftJoin(countries, eq(countries.id, regions.countryId))
    .where(and(inArray(blockIds.userId, userIds), isNull(blockIds.retiredAt)));
  return new Map(
    rows.map((row) => [
      row.userId,
      // Left joins: the place columns are all null when the town is gone.
      { value: row.value, source: row.source, issuedAt: row.issuedAt, place: row.townId ? toPlace(row as Parameters<typeof toPlace>[0]) : null },
    ]),
  );
}

export interface IssuedBlockId {
  value: string;
  userId: string;
  issuedAt: number;
  retiredAt: number | null;
  source: LocationSource;
  place: Place | null;
}

/** One issued number (current or retired) with its place, or null when it was never issued. */
export async function findIssuedBlockId(db: Db, value: string): Promise<IssuedBlockId | null> {
  const [row] = await db
    .select({
      value: blockIds.value,
      userId: blockIds.userId,
      townId: blockIds.townId,
      issuedAt: blockIds.issuedAt,
      retiredAt: blockIds.retiredAt,
      source: blockIds.source,
    })
    .from(blockIds)
    .where(eq(blockIds.value, value))
    .limit(1);
  if (!row) return null;
  const { townId, ...rest } = row;
  return { ...rest, place: await findPlace(db, townId) };
}

/** Every Block ID the user was ever given, current and retired (a number belongs to one user for ever). */
export async function blockIdValuesOf(db: Db | Tx, userId: string): Promise<string[]> {
  const rows = await db.select({ value: blockIds.value }).from(blockIds).where(eq(blockIds.userId, userId));
  return rows.map((row) => row.value);
}
