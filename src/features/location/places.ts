import { and, eq, ne } from "drizzle-orm";
import type { Db, Tx } from "../../db/types";
import type { GeoHint } from "../../http/edge-hint";
import { AppError } from "../../lib/errors";
import { countries, regions, towns } from "./schema";

const UNASSIGNED = "000";

/** A town with its region and country: everything a Block ID and a location answer need. */
export interface Place {
  country: { id: string; name: string; callingCode: string };
  region: { id: string; code: string; name: string };
  town: { id: string; code: string; name: string };
}

/** The columns of a town with its region and country, for selects that join the three. */
export const placeColumns = {
  countryId: countries.id,
  countryName: countries.name,
  callingCode: countries.callingCode,
  regionId: regions.id,
  regionCode: regions.code,
  regionName: regions.name,
  townId: towns.id,
  townCode: towns.code,
  townName: towns.name,
};

type PlaceRow = { [K in keyof typeof placeColumns]: string };

export const toPlace = (row: PlaceRow): Place => ({
  country: { id: row.countryId, name: row.countryName, callingCode: row.callingCode },
  region: { id: row.regionId, code: row.regionCode, name: row.regionName },
  town: { id: row.townId, code: row.townCode, name: row.townName },
});

function selectPlaces(db: Db | Tx) {
  return db
    .select(placeColumns)
    .from(towns)
    .innerJoin(regions, eq(regions.id, towns.regionId))
    .innerJoin(countries, eq(countries.id, regions.countryId));
}

export async function findPlace(db: Db | Tx, townId: string): Promise<Place | null> {
  const [row] = await selectPlaces(db).where(eq(towns.id, townId)).limit(1);
  return row ? toPlace(row) : null;
}

/** The "000" town of a region (every region has one). */
export async function unassignedTownOfRegion(db: Db | Tx, regionId: string): Promise<string | null> {
  const [row] = await db.select({ id: towns.id }).from(towns).where(and(eq(towns.regionId, regionId), eq(towns.code, UNASSIGNED))).limit(1);
  return row?.id ?? null;
}

/** The town 000 of the region 000 of a country: where a user whose town nobody knows is held. */
export async function unassignedTownOf(db: Db | Tx, countryId: string): Promise<string> {
  const [row] = await selectPlaces(db)
    .where(and(eq(regions.countryId, countryId.toUpperCase()), eq(regions.code, UNASSIGNED), eq(towns.code, UNASSIGNED)))
    .limit(1);
  if (!row) throw new AppError(404, "not_found", "There is no such country.");
  return row.townId;
}

/** A place name as compared with a hint's: any case, any Unicode normal form, outer spaces ignored. */
const comparable = (name: string) => name.normalize("NFC").trim().toLocaleLowerCase("und");

/**
 * The town a hint points at: the named region and town when both are known here (names compared
 * without regard to case, beyond ASCII too: "SÃO PAULO" is "São Paulo"), else the country's
 * unassigned town; null for an unknown country. Compared here rather than in SQL, whose NOCASE
 * folds ASCII only; a country's towns are a short list.
 */
export async function townForHint(db: Db | Tx, hint: GeoHint): Promise<string | null> {
  const countryId = hint.country.toUpperCase();
  if (hint.region && hint.city) {
    const region = comparable(hint.region);
    const city = comparable(hint.city);
    const candidates = await selectPlaces(db).where(and(eq(regions.countryId, countryId), ne(towns.code, UNASSIGNED)));
    const match = candidates.find((row) => comparable(row.regionName) === region && comparable(row.townName) === city);
    if (match) return match.townId;
  }
  try {
    return await unassignedTownOf(db, countryId);
  } catch {
    return null;
  }
}
