// Regions and towns as platform admins manage them: the country list with its counts, a country's
// regions and towns, and the audited changes (codes are fixed once created: they are in Block IDs).
import { asc, count, eq, inArray, or, sql } from "drizzle-orm";
import type { Db, Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import type { Deps } from "../../deps";
import { newId } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { UNASSIGNED_CODE, UNASSIGNED_NAME } from "./reference-data";
import { blockIds, countries, regions, towns, type RegionRow, type TownRow } from "./schema";

export const COUNTRIES_PER_PAGE = 20;

export interface CountrySummary {
  id: string;
  alpha3: string;
  name: string;
  callingCode: string;
  /** Regions and towns an admin made (the Unassigned ones, 000, are not counted). */
  regions: number;
  towns: number;
  /** Current Block IDs of the country, the unassigned town's included. */
  currentBlockIds: number;
}

export interface AdminTown {
  id: string;
  regionId: string;
  code: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  currentBlockIds: number;
  /** Every Block ID ever issued here, retired ones too: any at all and the town is kept. */
  issuedBlockIds: number;
}

export interface AdminRegion {
  id: string;
  countryId: string;
  code: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** By code; the region's own Unassigned town (000) first. */
  towns: AdminTown[];
}

export interface CountryPlaces {
  country: { id: string; alpha3: string; name: string; callingCode: string };
  /** By code; the country's Unassigned region (000) first. */
  regions: AdminRegion[];
}

export const isUnassigned = (place: { code: string }) => place.code === UNASSIGNED_CODE;

/** A town can go while no Block ID was ever issued in it, unless it is a region's 000 town. */
export const townDeletable = (town: AdminTown) => !isUnassigned(town) && town.issuedBlockIds === 0;

/** A region can go when all it has left is its empty 000 town. */
export const regionDeletable = (region: AdminRegion) =>
  !isUnassigned(region) && region.towns.every((town) => isUnassigned(town) && town.issuedBlockIds === 0);

/** A `select count(*) …` subquery as a number column. */
const countOf = (query: ReturnType<typeof sql>) => sql<number>`(${query})`.mapWith(Number);

const regionCount = countOf(sql`select count(*) from ${regions} where ${regions.countryId} = ${countries.id} and ${regions.code} <> ${UNASSIGNED_CODE}`);
const townCount = countOf(
  sql`select count(*) from ${towns} join ${regions} on ${regions.id} = ${towns.regionId} where ${regions.countryId} = ${countries.id} and ${towns.code} <> ${UNASSIGNED_CODE}`,
);
const currentCount = countOf(
  sql`select count(*) from ${blockIds} join ${towns} on ${towns.id} = ${blockIds.townId} join ${regions} on ${regions.id} = ${towns.regionId} where ${regions.countryId} = ${countries.id} and ${blockIds.retiredAt} is null`,
);

const countryColumns = { id: countries.id, alpha3: countries.alpha3, name: countries.name, callingCode: countries.callingCode };

/**
 * Countries by name, 20 a page: part of the name (any case; instr() takes `%` and `_` literally),
 * or exactly the ISO alpha-2 or alpha-3 code, or the calling code (with or without "+").
 */
export async function searchCountries(db: Db, query: { q: string; page: number }): Promise<{ rows: CountrySummary[]; hasMore: boolean }> {
  const q = query.q;
  const where = q
    ? or(
        sql`instr(lower(${countries.name}), lower(${q})) > 0`,
        eq(countries.id, q.toUpperCase()),
        eq(countries.alpha3, q.toUpperCase()),
        eq(countries.callingCode, q.replace(/^\+/, "")),
      )
    : undefined;
  const rows = await db
    .select({ ...countryColumns, regions: regionCount, towns: townCount, currentBlockIds: currentCount })
    .from(countries)
    .where(where)
    .orderBy(asc(countries.name), asc(countries.id))
    .limit(COUNTRIES_PER_PAGE + 1)
    .offset((query.page - 1) * COUNTRIES_PER_PAGE);
  return { rows: rows.slice(0, COUNTRIES_PER_PAGE), hasMore: rows.length > COUNTRIES_PER_PAGE };
}

export async function findCountryRow(db: Db | Tx, countryId: string) {
  const [row] = await db.select(countryColumns).from(countries).where(eq(countries.id, countryId)).limit(1);
  return row ?? null;
}

const townColumns = {
  id: towns.id,
  regionId: towns.regionId,
  code: towns.code,
  name: towns.name,
  createdAt: towns.createdAt,
  updatedAt: towns.updatedAt,
  currentBlockIds: countOf(sql`select count(*) from ${blockIds} where ${blockIds.townId} = ${towns.id} and ${blockIds.retiredAt} is null`),
  issuedBlockIds: countOf(sql`select count(*) from ${blockIds} where ${blockIds.townId} = ${towns.id}`),
};

function withTowns(regionRows: RegionRow[], townRows: AdminTown[]): AdminRegion[] {
  const byRegion = new Map<string, AdminTown[]>();
  for (const town of townRows) byRegion.set(town.regionId, [...(byRegion.get(town.regionId) ?? []), town]);
  return regionRows.map((region) => ({ ...region, towns: byRegion.get(region.id) ?? [] }));
}

/** A country with every region and town and their Block ID counts; null for an unknown country. */
export async function loadCountryPlaces(db: Db, countryId: string): Promise<CountryPlaces | null> {
  const country = await findCountryRow(db, countryId);
  if (!country) return null;
  const regionRows = await db.select().from(regions).where(eq(regions.countryId, country.id)).orderBy(asc(regions.code));
  const townRows = await db
    .select(townColumns)
    .from(towns)
    .innerJoin(regions, eq(regions.id, towns.regionId))
    .where(eq(regions.countryId, country.id))
    .orderBy(asc(towns.code));
  return { country, regions: withTowns(regionRows, townRows) };
}

/** One region with its towns (what a change to it swaps in); null when there is no such region. */
export async function loadRegion(db: Db, regionId: string): Promise<AdminRegion | null> {
  const [region] = await db.select().from(regions).where(eq(regions.id, regionId)).limit(1);
  if (!region) return null;
  return withTowns([region], await listTownsOf(db, region.id))[0]!;
}

export function listTownsOf(db: Db, regionId: string): Promise<AdminTown[]> {
  return db.select(townColumns).from(towns).where(eq(towns.regionId, regionId)).orderBy(asc(towns.code));
}

/** The town with its region's country, for checking that a page's form names a town of its country. */
export async function findTown(db: Db | Tx, townId: string): Promise<(TownRow & { countryId: string }) | null> {
  const [row] = await db
    .select({ town: towns, countryId: regions.countryId })
    .from(towns)
    .innerJoin(regions, eq(regions.id, towns.regionId))
    .where(eq(towns.id, townId))
    .limit(1);
  return row ? { ...row.town, countryId: row.countryId } : null;
}

export async function findRegion(db: Db | Tx, regionId: string): Promise<RegionRow | null> {
  const [row] = await db.select().from(regions).where(eq(regions.id, regionId)).limit(1);
  return row ?? null;
}

// ——— Changes ———

export interface NewPlace {
  code: string;
  name: string;
}

export const CODE_FIXED = "Codes are fixed once created: they are part of every Block ID issued there.";

const sameName = (a: string, b: string) => a.normalize("NFC").toLocaleLowerCase("en") === b.normalize("NFC").toLocaleLowerCase("en");

/** The siblings' codes and names are checked here, in the transaction; names ignore case (any script). */
function clashWithSiblings(what: "region" | "town", parent: string, siblings: { id: string; code: string; name: string }[], place: { id?: string; code?: string; name: string }): AppError | null {
  const others = siblings.filter((s) => s.id !== place.id);
  const fieldErrors: Record<string, string[]> = {};
  if (place.code !== undefined && others.some((s) => s.code === place.code)) fieldErrors.code = [`Another ${what} in ${parent} has this code.`];
  if (others.some((s) => sameName(s.name, place.name))) fieldErrors.name = [`Another ${what} in ${parent} has this name.`];
  if (fieldErrors.code) return new AppError(409, "code_taken", fieldErrors.code[0]!, { fieldErrors });
  if (fieldErrors.name) return new AppError(409, "name_taken", fieldErrors.name[0]!, { fieldErrors });
  return null;
}

/** The unique indexes stand behind the checks (another process between them); a clash is still a 409. */
async function clashAsConflict<T>(what: "region" | "town", work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const text = String((error as { cause?: unknown }).cause ?? error);
    if (text.includes("UNIQUE")) {
      const message = `Another ${what} in this ${what === "region" ? "country" : "region"} has this code.`;
      throw new AppError(409, "code_taken", message, { fieldErrors: { code: [message] } });
    }
    if (text.includes("FOREIGN KEY")) throw new AppError(409, "in_use", `Something still refers to this ${what}; it cannot be deleted.`);
    throw error;
  }
}

const reservedRegion = () =>
  new AppError(409, "reserved", "The Unassigned region (000) belongs to every country and holds users whose region is not known; it cannot be renamed or deleted.");
const reservedTown = () =>
  new AppError(409, "reserved", "A region's Unassigned town (000) holds users whose town is not known; it cannot be renamed or deleted.");

async function countryOf(tx: Tx, countryId: string) {
  const country = await findCountryRow(tx, countryId);
  if (!country) throw new AppError(404, "not_found", "There is no such country.");
  return country;
}

async function regionOf(tx: Tx, regionId: string) {
  const region = await findRegion(tx, regionId);
  if (!region) throw new AppError(404, "not_found", "There is no such region.");
  return region;
}

async function townOf(tx: Tx, townId: string) {
  const town = await findTown(tx, townId);
  if (!town) throw new AppError(404, "not_found", "There is no such town.");
  return town;
}

const siblingRegions = (tx: Tx, countryId: string) =>
  tx.select({ id: regions.id, code: regions.code, name: regions.name }).from(regions).where(eq(regions.countryId, countryId));
const siblingTowns = (tx: Tx, regionId: string) => tx.select({ id: towns.id, code: towns.code, name: towns.name }).from(towns).where(eq(towns.regionId, regionId));

/** Block IDs ever issued in these towns, retired ones included. */
async function issuedIn(tx: Tx, townIds: string[]): Promise<number> {
  if (!townIds.length) return 0;
  const [row] = await tx.select({ n: count() }).from(blockIds).where(inArray(blockIds.townId, townIds));
  return row?.n ?? 0;
}

/** A new region of a country with its own Unassigned town (000), in one audited transaction. */
export async function createRegion(deps: Pick<Deps, "db" | "now">, actorId: string, input: NewPlace & { countryId: string }, meta: RequestMeta): Promise<RegionRow & { unassignedTownId: string }> {
  return clashAsConflict("region", () =>
    writeTransaction(deps.db, async (tx) => {
      const country = await countryOf(tx, input.countryId);
      const clash = clashWithSiblings("region", country.name, await siblingRegions(tx, country.id), input);
      if (clash) throw clash;
      const now = deps.now();
      const region: RegionRow = { id: newId(), countryId: country.id, code: input.code, name: input.name, createdAt: now, updatedAt: now };
      const unassignedTownId = newId();
      await tx.insert(regions).values(region);
      await tx.insert(towns).values({ id: unassignedTownId, regionId: region.id, code: UNASSIGNED_CODE, name: UNASSIGNED_NAME, createdAt: now, updatedAt: now });
      await recordAudit(tx, now, meta, {
        actorUserId: actorId,
        action: "location.region_create",
        targetType: "region",
        targetId: region.id,
        details: { countryId: country.id, code: region.code, name: region.name, unassignedTownId },
      });
      return { ...region, unassignedTownId };
    }),
  );
}

/** Renames a region (its code stays); the same name again changes nothing and is not audited. */
export async function renameRegion(deps: Pick<Deps, "db" | "now">, actorId: string, regionId: string, name: string, meta: RequestMeta): Promise<RegionRow> {
  return clashAsConflict("region", () =>
    writeTransaction(deps.db, async (tx) => {
      const region = await regionOf(tx, regionId);
      if (isUnassigned(region)) throw reservedRegion();
      if (region.name === name) return region;
      const country = await countryOf(tx, region.countryId);
      const clash = clashWithSiblings("region", country.name, await siblingRegions(tx, country.id), { id: region.id, name });
      if (clash) throw clash;
      const now = deps.now();
      const [updated] = await tx.update(regions).set({ name, updatedAt: now }).where(eq(regions.id, region.id)).returning();
      await recordAudit(tx, now, meta, {
        actorUserId: actorId,
        action: "location.region_rename",
        targetType: "region",
        targetId: region.id,
        details: { countryId: region.countryId, code: region.code, before: { name: region.name }, after: { name } },
      });
      return updated!;
    }),
  );
}

/**
 * Deletes a region that has nothing but its own empty Unassigned town, which goes with it. A region
 * with other towns, or where any Block ID was ever issued, stays (issued numbers name it).
 */
export async function deleteRegion(deps: Pick<Deps, "db" | "now">, actorId: string, regionId: string, meta: RequestMeta): Promise<RegionRow> {
  return clashAsConflict("region", () =>
    writeTransaction(deps.db, async (tx) => {
      const region = await regionOf(tx, regionId);
      if (isUnassigned(region)) throw reservedRegion();
      const regionTowns = await siblingTowns(tx, region.id);
      const others = regionTowns.filter((town) => !isUnassigned(town));
      if (others.length) {
        const n = others.length === 1 ? "1 town" : `${others.length} towns`;
        throw new AppError(409, "has_towns", `${region.name} still has ${n}; delete them first.`);
      }
      if ((await issuedIn(tx, regionTowns.map((town) => town.id))) > 0) {
        throw new AppError(409, "in_use", `Block IDs were issued in ${region.name}; it is kept so that they keep their meaning.`);
      }
      const now = deps.now();
      await tx.delete(towns).where(eq(towns.regionId, region.id));
      await tx.delete(regions).where(eq(regions.id, region.id));
      await recordAudit(tx, now, meta, {
        actorUserId: actorId,
        action: "location.region_delete",
        targetType: "region",
        targetId: region.id,
        details: { countryId: region.countryId, code: region.code, name: region.name, unassignedTownId: regionTowns[0]?.id ?? null },
      });
      return region;
    }),
  );
}

/** A new town of a region (not of the country's Unassigned region, which keeps only its 000 town). */
export async function createTown(deps: Pick<Deps, "db" | "now">, actorId: string, input: NewPlace & { regionId: string }, meta: RequestMeta): Promise<TownRow> {
  return clashAsConflict("town", () =>
    writeTransaction(deps.db, async (tx) => {
      const region = await regionOf(tx, input.regionId);
      if (isUnassigned(region)) {
        throw new AppError(409, "reserved", "The Unassigned region (000) holds only its Unassigned town; add a region first and its towns there.");
      }
      const clash = clashWithSiblings("town", region.name, await siblingTowns(tx, region.id), input);
      if (clash) throw clash;
      const now = deps.now();
      const town: TownRow = { id: newId(), regionId: region.id, code: input.code, name: input.name, createdAt: now, updatedAt: now };
      await tx.insert(towns).values(town);
      await recordAudit(tx, now, meta, {
        actorUserId: actorId,
        action: "location.town_create",
        targetType: "town",
        targetId: town.id,
        details: { countryId: region.countryId, regionId: region.id, code: town.code, name: town.name },
      });
      return town;
    }),
  );
}

export async function renameTown(deps: Pick<Deps, "db" | "now">, actorId: string, townId: string, name: string, meta: RequestMeta): Promise<TownRow> {
  return clashAsConflict("town", () =>
    writeTransaction(deps.db, async (tx) => {
      const { countryId, ...town } = await townOf(tx, townId);
      if (isUnassigned(town)) throw reservedTown();
      if (town.name === name) return town;
      const region = await regionOf(tx, town.regionId);
      const clash = clashWithSiblings("town", region.name, await siblingTowns(tx, region.id), { id: town.id, name });
      if (clash) throw clash;
      const now = deps.now();
      const [updated] = await tx.update(towns).set({ name, updatedAt: now }).where(eq(towns.id, town.id)).returning();
      await recordAudit(tx, now, meta, {
        actorUserId: actorId,
        action: "location.town_rename",
        targetType: "town",
        targetId: town.id,
        details: { countryId, regionId: town.regionId, code: town.code, before: { name: town.name }, after: { name } },
      });
      return updated!;
    }),
  );
}

/** Deletes a town in which no Block ID was ever issued (current or retired). */
export async function deleteTown(deps: Pick<Deps, "db" | "now">, actorId: string, townId: string, meta: RequestMeta): Promise<TownRow> {
  return clashAsConflict("town", () =>
    writeTransaction(deps.db, async (tx) => {
      const { countryId, ...town } = await townOf(tx, townId);
      if (isUnassigned(town)) throw reservedTown();
      const issued = await issuedIn(tx, [town.id]);
      if (issued > 0) {
        const n = issued === 1 ? "A Block ID was" : `${issued} Block IDs were`;
        throw new AppError(409, "in_use", `${n} issued in ${town.name}; it is kept so that ${issued === 1 ? "it keeps its" : "they keep their"} meaning.`);
      }
      const now = deps.now();
      await tx.delete(towns).where(eq(towns.id, town.id));
      await recordAudit(tx, now, meta, {
        actorUserId: actorId,
        action: "location.town_delete",
        targetType: "town",
        targetId: town.id,
        details: { countryId, regionId: town.regionId, code: town.code, name: town.name },
      });
      return town;
    }),
  );
}

/** Regions of a country for the API, with how many towns (not counting 000) and current Block IDs each has. */
export async function listRegionsWithCounts(db: Db, countryId: string) {
  return db
    .select({
      id: regions.id,
      countryId: regions.countryId,
      code: regions.code,
      name: regions.name,
      createdAt: regions.createdAt,
      updatedAt: regions.updatedAt,
      towns: countOf(sql`select count(*) from ${towns} where ${towns.regionId} = ${regions.id} and ${towns.code} <> ${UNASSIGNED_CODE}`),
      currentBlockIds: countOf(
        sql`select count(*) from ${blockIds} join ${towns} on ${towns.id} = ${blockIds.townId} where ${towns.regionId} = ${regions.id} and ${blockIds.retiredAt} is null`,
      ),
    })
    .from(regions)
    .where(eq(regions.countryId, countryId))
    .orderBy(asc(regions.code));
}
