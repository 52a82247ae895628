import { and, asc, eq, ne } from "drizzle-orm";
import type { Db } from "../../db/types";
import { countries, regions, towns } from "./schema";
import type { PickedLocation } from "./resolve";

export interface PlaceOption {
  id: string;
  code: string;
  name: string;
}

export interface CountryOption {
  id: string;
  name: string;
  callingCode: string;
}

/** What the three pickers offer, narrowed by what is already picked (and only what nests). */
export interface PickerOptions {
  countries: CountryOption[];
  regions: PlaceOption[];
  towns: PlaceOption[];
  selected: PickedLocation;
}

const UNASSIGNED = "000";

/** Countries by name as people sort them (Türkiye before Turkmenistan, which SQLite's byte order gets wrong). */
export async function listCountries(db: Db): Promise<CountryOption[]> {
  const rows = await db.select({ id: countries.id, name: countries.name, callingCode: countries.callingCode }).from(countries);
  return rows.sort((a, b) => a.name.localeCompare(b.name, "en"));
}

/** A country's regions by code, without its unassigned one. */
export function listRegions(db: Db, countryId: string): Promise<PlaceOption[]> {
  return db
    .select({ id: regions.id, code: regions.code, name: regions.name })
    .from(regions)
    .where(and(eq(regions.countryId, countryId), ne(regions.code, UNASSIGNED)))
    .orderBy(asc(regions.name));
}

/** A region's towns by name, without its unassigned one. */
export function listTowns(db: Db, regionId: string): Promise<PlaceOption[]> {
  return db
    .select({ id: towns.id, code: towns.code, name: towns.name })
    .from(towns)
    .where(and(eq(towns.regionId, regionId), ne(towns.code, UNASSIGNED)))
    .orderBy(asc(towns.name));
}

/**
 * The options for a selection: a region that is not in the chosen country, or a town not in the
 * chosen region, is dropped from the selection (the user changed the country, say), never an error.
 */
export async function loadPickerOptions(db: Db, picked: PickedLocation): Promise<PickerOptions> {
  const allCountries = await listCountries(db);
  const countryId = allCountries.some((c) => c.id === picked.countryId) ? picked.countryId : undefined;
  const regionList = countryId ? await listRegions(db, countryId) : [];
  const regionId = regionList.some((r) => r.id === picked.regionId) ? picked.regionId : undefined;
  const townList = regionId ? await listTowns(db, regionId) : [];
  const townId = townList.some((t) => t.id === picked.townId) ? picked.townId : undefined;
  return { countries: allCountries, regions: regionList, towns: townList, selected: { countryId, regionId, townId } };
}
