import { and, asc, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { pathParams } from "../../http/validate";
import { AppError } from "../../lib/errors";
import { countryParam, regionParam } from "./input";
import { findPlace, type Place } from "./places";
import { resolveLocation } from "./resolve";
import { blockIds, countries, regions, towns } from "./schema";

const UNASSIGNED = "000";

// The place lists are the same for everyone and change only when an admin edits them.
const PUBLIC_CACHE = "public, max-age=300";

/**
 * The public location API under /api/location: the country, region and town lists a client needs
 * to offer the same choices as the pages, and where the caller is (or would be, on registering).
 */
export function locationApiRoutes() {
  return new Hono<AppEnv>()
    .get("/api/location/countries", async (c) => {
      const rows = await c.var.deps.db
        .select({ id: countries.id, alpha3: countries.alpha3, name: countries.name, callingCode: countries.callingCode })
        .from(countries);
      // By name as people read it (Türkiye before Turkmenistan), not by the database's byte order.
      rows.sort((a, b) => a.name.localeCompare(b.name, "en"));
      c.header("Cache-Control", PUBLIC_CACHE);
      return c.json({ countries: rows });
    })
    .get("/api/location/regions/:countryId", pathParams(countryParam), async (c) => {
      const { db } = c.var.deps;
      const { countryId } = c.req.valid("param");
      const [country] = await db.select({ id: countries.id, name: countries.name, callingCode: countries.callingCode }).from(countries).where(eq(countries.id, countryId));
      if (!country) throw new AppError(404, "not_found", "There is no such country.");
      const rows = await db.select({ id: regions.id, code: regions.code, name: regions.name }).from(regions).where(eq(regions.countryId, country.id)).orderBy(asc(regions.code));
      c.header("Cache-Control", PUBLIC_CACHE);
      return c.json({ country, regions: rows.map(withUnassigned) });
    })
    .get("/api/location/towns/:regionId", pathParams(regionParam), async (c) => {
      const { db } = c.var.deps;
      const { regionId } = c.req.valid("param");
      const [region] = await db.select({ id: regions.id, code: regions.code, name: regions.name, countryId: regions.countryId }).from(regions).where(eq(regions.id, regionId));
      if (!region) throw new AppError(404, "not_found", "There is no such region.");
      const rows = await db.select({ id: towns.id, code: towns.code, name: towns.name }).from(towns).where(eq(towns.regionId, region.id)).orderBy(asc(towns.code));
      c.header("Cache-Control", PUBLIC_CACHE);
      return c.json({ region, towns: rows.map(withUnassigned) });
    })
    .get("/api/location/user-location", async (c) => {
      // The answer depends on who asks and from where: never stored by a shared cache.
      c.header("Cache-Control", "private, no-store");
      return c.json(c.var.user ? await signedInLocation(c, c.var.user.id) : await anonymousLocation(c));
    });
}

const withUnassigned = <T extends { code: string }>(row: T) => ({ ...row, unassigned: row.code === UNASSIGNED });

/** The signed-in caller's current Block ID, its place, and where that place came from. */
async function signedInLocation(c: AppContext, userId: string) {
  const { db } = c.var.deps;
  const [current] = await db
    .select({ value: blockIds.value, townId: blockIds.townId, source: blockIds.source })
    .from(blockIds)
    .where(and(eq(blockIds.userId, userId), isNull(blockIds.retiredAt)));
  const place = current && (await findPlace(db, current.townId));
  if (!current || !place) throw new AppError(404, "not_found", "You have no Block ID yet.");
  return { location: placeAnswer(place), blockId: current.value, source: current.source, signedIn: true as const };
}

/** Where a registration from this request would put the caller, if they picked nothing. */
async function anonymousLocation(c: AppContext) {
  const { deps } = c.var;
  const meta = requestMeta(c);
  const resolved = await resolveLocation(deps, {}, { edge: meta.edge ?? null, ip: meta.ipAddress });
  const place = await findPlace(deps.db, resolved.townId);
  if (!place) throw new AppError(404, "not_found", "There is no such town.");
  return { location: placeAnswer(place), source: resolved.source, signedIn: false as const };
}

const placeAnswer = (place: Place) => ({ country: place.country, region: place.region, town: place.town });
