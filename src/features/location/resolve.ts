import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Deps } from "../../deps";
import { AppError, validationError } from "../../lib/errors";
import { withTimeout } from "../../lib/timeout";
import type { GeoHint } from "../../http/edge-hint";
import { findPlace, townForHint, unassignedTownOf, unassignedTownOfRegion } from "./places";
import { countries, regions, type LocationSource } from "./schema";

/** The location fields a registration (or a move) may carry: each optional, each narrowing the last. */
export interface PickedLocation {
  countryId?: string | undefined;
  regionId?: string | undefined;
  townId?: string | undefined;
}

export interface ResolvedLocation {
  townId: string;
  source: LocationSource;
}

const serviceAnswer = z.looseObject({
  country_code: z.string().optional(),
  countryCode: z.string().optional(),
  country: z.string().optional(),
  region: z.string().optional(),
  regionName: z.string().optional(),
  city: z.string().optional(),
});

/**
 * Asks GEOLOCATION_URL (`{ip}` replaced by the client's address) where the client is. Understands
 * the common answers (`country_code`/`countryCode`, `region`/`regionName`, `city`); anything else,
 * an error or no answer within GEOLOCATION_TIMEOUT_MS gives null, and the caller falls back.
 */
export async function serviceHint(deps: Pick<Deps, "config" | "fetch" | "log">, ip: string): Promise<GeoHint | null> {
  const template = deps.config.GEOLOCATION_URL;
  if (!template || !ip) return null;
  const url = template.replace("{ip}", encodeURIComponent(ip));
  const controller = new AbortController();
  const ask = async () => {
    const response = await deps.fetch(url, { signal: controller.signal, headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`status ${response.status}`);
    return response.json();
  };
  try {
    // One budget for the answer and its body together.
    const body = serviceAnswer.parse(await withTimeout(ask(), deps.config.GEOLOCATION_TIMEOUT_MS));
    const country = [body.country_code, body.countryCode, body.country].find((v) => v && /^[A-Za-z]{2}$/.test(v));
    if (!country) return null;
    return { country, region: body.region ?? body.regionName, city: body.city };
  } catch (error) {
    controller.abort();
    deps.log({ level: "warn", msg: "geolocation service gave no answer; falling back", error: String(error) });
    return null;
  }
}

/**
 * Checks what the user picked and returns its town: the town itself, or the unassigned town of the
 * picked region or country. Ids that do not exist, or do not nest (a town of another region), are
 * field errors (400); nothing picked is null.
 */
export async function townForPick(deps: Pick<Deps, "db">, picked: PickedLocation): Promise<string | null> {
  const { db } = deps;
  const wrong = (field: keyof PickedLocation, message: string) => validationError({ [field]: [message] }, message);
  let countryId: string | undefined;
  if (picked.countryId) {
    const [country] = await db.select({ id: countries.id }).from(countries).where(eq(countries.id, picked.countryId.toUpperCase()));
    if (!country) throw wrong("countryId", "Choose a country from the list.");
    countryId = country.id;
  }
  let regionId: string | undefined;
  if (picked.regionId) {
    const [region] = await db
      .select({ id: regions.id, countryId: regions.countryId })
      .from(regions)
      .where(countryId ? and(eq(regions.id, picked.regionId), eq(regions.countryId, countryId)) : eq(regions.id, picked.regionId));
    if (!region) throw wrong("regionId", countryId ? "That region is not in the chosen country." : "Choose a region from the list.");
    regionId = region.id;
  }
  if (picked.townId) {
    const place = await findPlace(db, picked.townId);
    if (!place) throw wrong("townId", "Choose a town from the list.");
    if (regionId && place.region.id !== regionId) throw wrong("townId", "That town is not in the chosen region.");
    if (countryId && place.country.id !== countryId) throw wrong("townId", "That town is not in the chosen country.");
    return place.town.id;
  }
  if (regionId) return unassignedTownOfRegion(db, regionId);
  if (countryId) return unassignedTownOf(db, countryId);
  return null;
}

/**
 * Where a new account belongs: what the user picked; else the edge's own geolocation; else the
 * geolocation service, when one is configured; else the configured default country. Only the
 * country known: the country's unassigned region and town (000) hold the user until they choose.
 */
export async function resolveLocation(
  deps: Pick<Deps, "db" | "config" | "fetch" | "log">,
  picked: PickedLocation,
  request: { edge: GeoHint | null; ip: string },
): Promise<ResolvedLocation> {
  const pickedTown = await townForPick(deps, picked);
  if (pickedTown) return { townId: pickedTown, source: "picked" };
  const fromEdge = request.edge && (await townForHint(deps.db, request.edge));
  if (fromEdge) return { townId: fromEdge, source: "edge" };
  const hint = await serviceHint(deps, request.ip);
  const fromService = hint && (await townForHint(deps.db, hint));
  if (fromService) return { townId: fromService, source: "geolocation" };
  try {
    return { townId: await unassignedTownOf(deps.db, deps.config.DEFAULT_COUNTRY), source: "default" };
  } catch {
    throw new AppError(500, "misconfigured", "DEFAULT_COUNTRY names no country known here.");
  }
}
