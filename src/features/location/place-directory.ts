// Regions and towns as platform admins see them: the country search with its counts, a country's places, and the look-ups.
import { asc, eq, or, sql } from "drizzle-orm";
import type { Db, Tx } from "../../db/types";
import { fetchLimit, pageOf, pageOffset, type Page } from "../../lib/pager";
import { UNASSIGNED_CODE } from "./reference-data";
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

/** A town on a country's page, with what the page may offer for it. */
export interface TownEntry extends AdminTown {
  /** The region's own Unassigned town (000): reserved. */
  unassigned: boolean;
  /** No Block ID was ever issued in it, and it is not a 000 town. */
  deletable: boolean;
}

export interface AdminRegion {
  id: string;
  countryId: string;
  code: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** The country's Unassigned region (000): reserved. */
  unassigned: boolean;
  /** All it has left is its empty 000 town. */
  deletable: boolean;
  /** By code; the region's own Unassigned town (000) first. */
  towns: TownEntry[];
}

export interface CountryPlaces {
  country: { id: string; alpha3: string; name: string; callingCode: string };
  /** By code; the country's Unassigned region (000) first. */
  regions: AdminRegion[];
}

export const isUnassigned = (place: { code: string }) => place.code === UNASSIGNED_CODE;

/** A town can go while no Block ID was ever issued in it, unless it is a region's 000 town. */
const townDeletable = (town: AdminTown) => !isUnassigned(town) && town.issuedBlockIds === 0;

/** A region can go when all it has left is its empty 000 town. */
const regionDeletable = (region: { code: string }, regionTowns: AdminTown[]) =>
  !isUnassigned(region) && regionTowns.every((town) => isUnassigned(town) && town.issuedBlockIds === 0);

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
export async function searchCountries(db: Db, query: { q: string; page: number }): Promise<Page<CountrySummary>> {
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
    .limit(fetchLimit(COUNTRIES_PER_PAGE))
    .offset(pageOffset(query.page, COUNTRIES_PER_PAGE));
  return pageOf(rows, COUNTRIES_PER_PAGE);
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

/** The regions with their towns, and what may be done to each by the rules above. */
function withTowns(regionRows: RegionRow[], townRows: AdminTown[]): AdminRegion[] {
  const byRegion = new Map<string, AdminTown[]>();
  for (const town of townRows) byRegion.set(town.regionId, [...(byRegion.get(town.regionId) ?? []), town]);
  return regionRows.map((region) => {
    const regionTowns = byRegion.get(region.id) ?? [];
    return {
      ...region,
      unassigned: isUnassigned(region),
      deletable: regionDeletable(region, regionTowns),
      towns: regionTowns.map((town) => ({ ...town, unassigned: isUnassigned(town), deletable: townDeletable(town) })),
    };
  });
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
