// The admin's changes to regions and towns, each one audited transaction (codes are fixed once created: they are in Block IDs).
import { count, eq, inArray } from "drizzle-orm";
import type { Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import type { Deps } from "../../deps";
import { newId } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { findCountryRow, findRegion, findTown, isUnassigned } from "./place-directory";
import { UNASSIGNED_CODE, UNASSIGNED_NAME } from "./reference-data";
import { blockIds, regions, towns, type RegionRow, type TownRow } from "./schema";

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
