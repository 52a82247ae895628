// The user's own Block ID on the profile (src/pages/profile-routes.tsx shows it): what the section
// holds, which town a move may go to, and the limit on moves. The move itself is auth's moveUser.
import { and, eq, isNull } from "drizzle-orm";
import type { Deps } from "../../deps";
import { validationError } from "../../lib/errors";
import { retryAfterSeconds, type LimitCheck } from "../ratelimit";
import { blockIdHistory } from "./moves";
import { loadPickerOptions, type PickerOptions } from "./options";
import { findPlace, type Place } from "./places";
import { UNASSIGNED_CODE } from "./reference-data";
import { townForPick, type PickedLocation } from "./resolve";
import { blockIds, type LocationSource } from "./schema";

/** A move burns a serial and changes the number people know you by: a few a month is plenty. */
export const MOVE_LIMIT = { moves: 3, days: 30 };
const DAY_MS = 86_400_000;
const moveBucket = (userId: string) => `location:move:${userId}`;

export interface BlockIdEntry {
  value: string;
  place: Place | null;
  source: LocationSource;
  issuedAt: number;
  retiredAt: number | null;
}

/** What the profile's Block ID section shows. */
export interface BlockIdSectionData {
  current: BlockIdEntry | null;
  /** The current number is an "Unassigned" one (its region or town is not known yet). */
  unassigned: boolean;
  /** The numbers the user had before, newest first. */
  previous: BlockIdEntry[];
  options: PickerOptions;
  /** How many moves the rate limit allows, and in how many days (for the form's hint). */
  limit: { moves: number; days: number };
}

/**
 * What the profile's Block ID section shows: the current number, the earlier ones, and the town
 * pickers, narrowed to `picked` or else to the user's own country and region.
 */
export async function loadBlockIdSection(deps: Pick<Deps, "db">, userId: string, picked?: PickedLocation): Promise<BlockIdSectionData> {
  const history = await blockIdHistory(deps, userId);
  const entries = history.map(({ value, place, source, issuedAt, retiredAt }) => ({ value, place, source, issuedAt, retiredAt }));
  const current = entries.find((entry) => entry.retiredAt === null) ?? null;
  const here = current?.place;
  const options = await loadPickerOptions(deps.db, picked ?? (here ? { countryId: here.country.id, regionId: here.region.id } : {}));
  const unassigned = here ? here.region.code === UNASSIGNED_CODE || here.town.code === UNASSIGNED_CODE : false;
  return { current, unassigned, previous: entries.filter((entry) => entry.retiredAt !== null), options, limit: MOVE_LIMIT };
}

/** This account's limit on moving itself; none with RATE_LIMIT=off. */
export const townMoveLimit = (deps: Pick<Deps, "config">, userId: string): LimitCheck | undefined =>
  deps.config.RATE_LIMIT === "off" ? undefined : { bucket: moveBucket(userId), max: MOVE_LIMIT.moves, windowMs: MOVE_LIMIT.days * DAY_MS };

/** Seconds until this account may move again (0: now), so the form says so before anything else. */
export async function townMoveWait(deps: Pick<Deps, "config" | "db" | "now">, userId: string): Promise<number> {
  const limit = townMoveLimit(deps, userId);
  return limit ? retryAfterSeconds(deps.db, deps.now(), [limit]) : 0;
}

/** What the form says while the limit holds, `wait` seconds more. */
export function townMoveLimitMessage(wait: number): string {
  const days = Math.ceil(wait / 86_400);
  const when = days <= 1 ? "tomorrow" : `in ${days} days`;
  return `You have changed your town ${MOVE_LIMIT.moves} times in the last ${MOVE_LIMIT.days} days. You can change it again ${when}.`;
}

/** The town the form names: one from the lists (not an "Unassigned" one), nested right, not the current one. */
export async function chosenTown(deps: Pick<Deps, "db">, userId: string, picked: PickedLocation): Promise<string> {
  const wrong = (message: string) => validationError({ townId: [message] }, message);
  if (!picked.townId) throw wrong("Choose your town.");
  const townId = await townForPick(deps, picked);
  const place = townId ? await findPlace(deps.db, townId) : null;
  if (!place || place.town.code === UNASSIGNED_CODE) throw wrong("Choose a town from the list.");
  const [current] = await deps.db
    .select({ townId: blockIds.townId })
    .from(blockIds)
    .where(and(eq(blockIds.userId, userId), isNull(blockIds.retiredAt)));
  if (current?.townId === place.town.id) throw wrong(`You are already in ${place.town.name}; choose another town.`);
  return place.town.id;
}
