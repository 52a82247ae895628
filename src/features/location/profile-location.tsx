// The user's own Block ID on the profile: what the section shows, and POST /profile/location (the
// user moves to another town and gets that town's next Block ID).
import { and, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { BlockIdSection, type BlockIdSectionProps } from "../../../views/profile/fragments/BlockIdSection";
import { ProfilePage } from "../../../views/profile/ProfilePage";
import type { Deps } from "../../deps";
import { redirectAfterPost, render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import { AppError, validationError, type FieldErrors } from "../../lib/errors";
import { findUser } from "../auth/service";
import { listSessions } from "../auth/sessions";
import { retryAfterSeconds, type LimitCheck } from "../ratelimit";
import { pickedLocationFields, pickerSelection } from "./input";
import { moveUser } from "../auth";
import { blockIdHistory } from "./moves";
import { loadPickerOptions } from "./options";
import { findPlace } from "./places";
import { townForPick, type PickedLocation } from "./resolve";
import { blockIds } from "./schema";

/** A move burns a serial and changes the number people know you by: a few a month is plenty. */
export const MOVE_LIMIT = { moves: 3, days: 30 };
const DAY_MS = 86_400_000;
const moveBucket = (userId: string) => `location:move:${userId}`;

export type BlockIdSectionData = Omit<BlockIdSectionProps, "moved">;

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
  return { current, previous: entries.filter((entry) => entry.retiredAt !== null), options, limit: MOVE_LIMIT };
}

const moveForm = z.object(pickedLocationFields);


/** This account's limit on moves; none with RATE_LIMIT=off. */
const moveLimit = (deps: Deps, userId: string): LimitCheck | undefined =>
  deps.config.RATE_LIMIT === "off" ? undefined : { bucket: moveBucket(userId), max: MOVE_LIMIT.moves, windowMs: MOVE_LIMIT.days * DAY_MS };

/** Seconds until this account may move again (0: now), so the form says so before anything else. */
async function moveWait(deps: Deps, userId: string): Promise<number> {
  const limit = moveLimit(deps, userId);
  return limit ? retryAfterSeconds(deps.db, deps.now(), [limit]) : 0;
}

function limitMessage(wait: number): string {
  const days = Math.ceil(wait / 86_400);
  const when = days <= 1 ? "tomorrow" : `in ${days} days`;
  return `You have changed your town ${MOVE_LIMIT.moves} times in the last ${MOVE_LIMIT.days} days. You can change it again ${when}.`;
}

/** The town the form names: one from the lists (not an "Unassigned" one), nested right, not the current one. */
async function chosenTown(deps: Pick<Deps, "db">, userId: string, picked: PickedLocation): Promise<string> {
  const wrong = (message: string) => validationError({ townId: [message] }, message);
  if (!picked.townId) throw wrong("Choose your town.");
  const townId = await townForPick(deps, picked);
  const place = townId ? await findPlace(deps.db, townId) : null;
  if (!place || place.town.code === "000") throw wrong("Choose a town from the list.");
  const [current] = await deps.db
    .select({ townId: blockIds.townId })
    .from(blockIds)
    .where(and(eq(blockIds.userId, userId), isNull(blockIds.retiredAt)));
  if (current?.townId === place.town.id) throw wrong(`You are already in ${place.town.name}; choose another town.`);
  return place.town.id;
}

interface SectionState {
  selection?: PickedLocation;
  errors?: FieldErrors;
  message?: BlockIdSectionProps["message"];
  moved?: boolean;
}

/** The section for htmx; otherwise the whole profile page with the section in place. */
async function showSection(c: AppContext, status: number, state: SectionState) {
  const { user, session } = requireUser(c);
  const { deps } = c.var;
  const data = await loadBlockIdSection(deps, user.id, state.selection);
  const section = <BlockIdSection {...data} errors={state.errors} message={state.message} moved={state.moved} />;
  const options = { title: "Profile", status: status as ContentfulStatusCode, fragment: section };
  if (wantsFragment(c)) return render(c, options);
  const [sessions, row] = await Promise.all([listSessions(deps, user.id, session.id), findUser(deps, user.id)]);
  return render(c, {
    ...options,
    page: () => <ProfilePage user={user} sessions={sessions} hasPassword={row.passwordHash !== null} blockId={data} overrides={{ location: section }} />,
  });
}

/**
 * POST /profile/location: `narrow=1` (the no-JavaScript "Show regions and towns") only narrows the
 * pickers; otherwise the user moves to the chosen town. Success: 303 to the profile, which names
 * the new and the old number (htmx: the section again). Errors beside the pickers.
 */
export function profileLocationRoutes() {
  return new Hono<AppEnv>().post("/profile/location", async (c) => {
    const { user } = requireUser(c);
    const { deps } = c.var;
    const form = await parseForm(c, moveForm);
    const selection = pickerSelection.parse(form.values);
    if (form.values.narrow === "1") return showSection(c, 200, { selection });

    const wait = await moveWait(deps, user.id);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      return showSection(c, 429, { selection, message: { kind: "error", text: limitMessage(wait) } });
    }
    if (!form.ok) return showSection(c, 400, { selection, errors: form.errors });
    try {
      const townId = await chosenTown(deps, user.id, form.data);
      // The limit is checked again and counted inside the move's transaction (moves sent at once).
      await moveUser(deps, { userId: user.id, townId, source: "user", actorUserId: user.id, limit: moveLimit(deps, user.id) }, requestMeta(c));
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 401) throw error;
      if (error.status === 429) {
        const wait = Number(error.details.retryAfterSeconds);
        c.header("Retry-After", String(wait));
        return showSection(c, 429, { selection, message: { kind: "error", text: limitMessage(wait) } });
      }
      const errors = (error.details.fieldErrors as FieldErrors | undefined) ?? {};
      const message = Object.keys(errors).length ? null : { kind: "error" as const, text: error.message };
      return showSection(c, error.status, { selection, errors, message });
    }
    if (wantsFragment(c)) return showSection(c, 200, { moved: true });
    return redirectAfterPost(c, "/profile?saved=location");
  });
}
