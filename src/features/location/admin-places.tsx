// Places in the admin portal: the country list, a country's regions and towns with the forms that
// change them (plain posts, upgraded with htmx), and the same changes as JSON under /api/admin/location.
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z, type ZodType } from "zod";
import { CountryPage } from "../../../views/admin/places/CountryPage";
import { CountryPlaces } from "../../../views/admin/places/fragments/CountryPlaces";
import { CountryResults } from "../../../views/admin/places/fragments/CountryResults";
import { RegionCard } from "../../../views/admin/places/fragments/RegionCard";
import { COUNTRY_SEARCH, PlacesPage } from "../../../views/admin/places/PlacesPage";
import { placesBase, type Notice, type PlaceFailure, type PlaceForm } from "../../../views/admin/places/types";
import { SearchForm } from "../../../views/admin/fragments/SearchForm";
import { redirectAfterPost, render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { fieldErrorsOf, jsonBody, parseForm, queryParams } from "../../http/validate";
import { AppError, validationError, type FieldErrors } from "../../lib/errors";
// The portal's own list query (search box and page number), so this list pages like the others.
import { listQuery, otherErrors, parseQuery, requirePlatformAdmin } from "../admin";
import { countryIdInput, placeCodeInput, placeIdInput, placeNameInput } from "./input";
import { CODE_FIXED, createRegion, createTown, deleteRegion, deleteTown, renameRegion, renameTown } from "./place-changes";
import {
  findCountryRow,
  findRegion,
  findTown,
  isUnassigned,
  listRegionsWithCounts,
  listTownsOf,
  loadCountryPlaces,
  loadRegion,
  searchCountries,
} from "./place-directory";
import type { RegionRow, TownRow } from "./schema";

const DONE = {
  "region-created": "Region added, with its own Unassigned town (000).",
  "region-renamed": "Region renamed.",
  "region-deleted": "Region deleted.",
  "town-created": "Town added.",
  "town-renamed": "Town renamed.",
  "town-deleted": "Town deleted.",
} as const;
type Done = keyof typeof DONE;

/** `?done=…&region=…` after a plain form post; anything else is simply no notice. */
const doneQuery = z.object({
  done: z.enum(Object.keys(DONE) as [Done, ...Done[]]).optional().catch(undefined),
  region: z.string().regex(/^[a-z0-9]{16,40}$/).optional().catch(undefined),
});

const placeForm = z.object({ code: placeCodeInput, name: placeNameInput });
const nameForm = z.object({ name: placeNameInput });

const notFound = (what: string) => new AppError(404, "not_found", `There is no such ${what}.`);

/** A path id that is not one this app makes names nothing: 404, like an unknown one. */
function pathId<T extends ZodType<string>>(schema: T, value: string | undefined, what: string): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw notFound(what);
  return parsed.data as string;
}

const countryOfPath = (c: AppContext) => pathId(countryIdInput, c.req.param("countryId"), "country");

// ——— Pages ———

async function countryPlaces(c: AppContext, countryId: string) {
  const places = await loadCountryPlaces(c.var.deps.db, countryId);
  if (!places) throw notFound("country");
  return places;
}

interface CountryView {
  status?: 200 | 400 | 409;
  notice?: Notice;
  noticeRegionId?: string | null;
  failure?: PlaceFailure | null;
}

async function renderCountry(c: AppContext, countryId: string, view: CountryView) {
  const props = { places: await countryPlaces(c, countryId), ...view };
  return render(c, {
    title: `${props.places.country.name} · Places · Admin`,
    status: view.status ?? 200,
    fragment: <CountryPlaces {...props} />,
    page: () => <CountryPage {...props} />,
  });
}

/** What a form's htmx request swaps: the whole country (a region added or deleted) or one region. */
type Swap = { country: string } | { country: string; region: string };

async function answer(c: AppContext, swap: Swap, view: CountryView) {
  if (!("region" in swap) || !wantsFragment(c)) return renderCountry(c, swap.country, view);
  const region = await loadRegion(c.var.deps.db, swap.region);
  if (!region) throw notFound("region");
  return render(c, {
    title: `${region.name} · Places · Admin`,
    status: view.status ?? 200,
    fragment: <RegionCard countryId={swap.country} region={region} notice={view.notice} failure={view.failure} />,
  });
}

interface FormSpec<T extends ZodType> {
  swap: Swap;
  form: PlaceForm;
  schema: T | null;
  done: Done;
  /** Does the change; returns the region a plain post should come back to, if any. */
  act: (data: z.infer<T>, actorId: string) => Promise<string | null>;
}

/**
 * A form post: checked, done, then a 303 back to the country (plain form) or the swapped part with
 * a notice (htmx). A refusal (400, 409) comes back in place, errors beside the fields it is about.
 */
async function runForm<T extends ZodType>(c: AppContext, spec: FormSpec<T>) {
  const { user } = requireUser(c);
  const parsed = spec.schema ? await parseForm(c, spec.schema) : { ok: true as const, data: undefined, values: {} };
  if (!parsed.ok) return answer(c, spec.swap, { status: 400, failure: { form: spec.form, values: parsed.values, errors: parsed.errors } });
  let regionId: string | null;
  try {
    regionId = await spec.act(parsed.data as z.infer<T>, user.id);
  } catch (error) {
    if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 409)) throw error;
    const errors = (error.details.fieldErrors as FieldErrors | undefined) ?? {};
    const message = Object.keys(errors).length ? null : error.message;
    return answer(c, spec.swap, { status: error.status, failure: { form: spec.form, values: parsed.values, errors, message } });
  }
  const notice = { kind: "success" as const, text: DONE[spec.done] };
  if (wantsFragment(c)) return answer(c, spec.swap, { notice });
  const params = new URLSearchParams({ done: spec.done });
  if (regionId) params.set("region", regionId);
  return redirectAfterPost(c, `${placesBase(spec.swap.country)}?${params}${regionId ? `#region-${regionId}` : ""}`);
}

/** The region named in the path, which must be in the country named before it. */
async function regionOfPath(c: AppContext, countryId: string): Promise<RegionRow> {
  const id = pathId(placeIdInput("region"), c.req.param("regionId"), "region");
  const region = await findRegion(c.var.deps.db, id);
  if (!region || region.countryId !== countryId) throw notFound("region");
  return region;
}

async function townOfPath(c: AppContext, countryId: string) {
  const id = pathId(placeIdInput("town"), c.req.param("townId"), "town");
  const town = await findTown(c.var.deps.db, id);
  if (!town || town.countryId !== countryId) throw notFound("town");
  return town;
}

function pageRoutes() {
  return new Hono<AppEnv>()
    .get("/admin-portal/places", async (c) => {
      const query = parseQuery(c, listQuery);
      const valid = query.ok ? query.data : { q: "", page: 1 };
      const errors = query.ok ? undefined : query.errors;
      const found = query.ok ? await searchCountries(c.var.deps.db, valid) : { rows: [], hasMore: false };
      const props = { ...found, q: valid.q, page: valid.page, message: errors ? otherErrors(errors, ["q"]) : null };
      const typed = query.ok ? valid.q : (query.values.q ?? "");
      return render(c, {
        title: "Places · Admin",
        status: query.ok ? 200 : 400,
        fragment: (
          <>
            <SearchForm {...COUNTRY_SEARCH} q={typed} errors={errors} oob />
            <CountryResults {...props} />
          </>
        ),
        page: () => <PlacesPage {...props} q={typed} errors={errors} />,
      });
    })
    .get("/admin-portal/places/:countryId", async (c) => {
      const countryId = countryOfPath(c);
      const { done, region } = doneQuery.parse(c.req.query());
      return renderCountry(c, countryId, { notice: done ? { kind: "success", text: DONE[done] } : null, noticeRegionId: region ?? null });
    })
    .post("/admin-portal/places/:countryId/regions", async (c) => {
      const country = countryOfPath(c);
      if (!(await findCountryRow(c.var.deps.db, country))) throw notFound("country");
      return runForm(c, {
        swap: { country },
        form: "add-region",
        schema: placeForm,
        done: "region-created",
        act: async (data, actorId) => (await createRegion(c.var.deps, actorId, { countryId: country, ...data }, requestMeta(c))).id,
      });
    })
    .post("/admin-portal/places/:countryId/regions/:regionId/rename", async (c) => {
      const country = countryOfPath(c);
      const region = await regionOfPath(c, country);
      return runForm(c, {
        swap: { country, region: region.id },
        form: `rename-region:${region.id}`,
        schema: nameForm,
        done: "region-renamed",
        act: async (data, actorId) => (await renameRegion(c.var.deps, actorId, region.id, data.name, requestMeta(c))).id,
      });
    })
    .post("/admin-portal/places/:countryId/regions/:regionId/delete", async (c) => {
      const country = countryOfPath(c);
      const region = await regionOfPath(c, country);
      return runForm(c, {
        swap: { country },
        form: `delete-region:${region.id}`,
        schema: null,
        done: "region-deleted",
        act: async (_data, actorId) => {
          await deleteRegion(c.var.deps, actorId, region.id, requestMeta(c));
          return null;
        },
      });
    })
    .post("/admin-portal/places/:countryId/regions/:regionId/towns", async (c) => {
      const country = countryOfPath(c);
      const region = await regionOfPath(c, country);
      return runForm(c, {
        swap: { country, region: region.id },
        form: `add-town:${region.id}`,
        schema: placeForm,
        done: "town-created",
        act: async (data, actorId) => (await createTown(c.var.deps, actorId, { regionId: region.id, ...data }, requestMeta(c))).regionId,
      });
    })
    .post("/admin-portal/places/:countryId/towns/:townId/rename", async (c) => {
      const country = countryOfPath(c);
      const town = await townOfPath(c, country);
      return runForm(c, {
        swap: { country, region: town.regionId },
        form: `rename-town:${town.id}`,
        schema: nameForm,
        done: "town-renamed",
        act: async (data, actorId) => (await renameTown(c.var.deps, actorId, town.id, data.name, requestMeta(c))).regionId,
      });
    })
    .post("/admin-portal/places/:countryId/towns/:townId/delete", async (c) => {
      const country = countryOfPath(c);
      const town = await townOfPath(c, country);
      return runForm(c, {
        swap: { country, region: town.regionId },
        form: `delete-town:${town.id}`,
        schema: null,
        done: "town-deleted",
        act: async (_data, actorId) => (await deleteTown(c.var.deps, actorId, town.id, requestMeta(c))).regionId,
      });
    });
}

// ——— JSON API ———

const regionJson = (region: RegionRow) => ({
  id: region.id,
  countryId: region.countryId,
  code: region.code,
  name: region.name,
  createdAt: region.createdAt,
  updatedAt: region.updatedAt,
});

const townJson = (town: TownRow) => ({
  id: town.id,
  regionId: town.regionId,
  code: town.code,
  name: town.name,
  createdAt: town.createdAt,
  updatedAt: town.updatedAt,
});

const newRegionBody = z.object({ countryId: countryIdInput, code: placeCodeInput, name: placeNameInput });
const newTownBody = z.object({ regionId: placeIdInput("region"), code: placeCodeInput, name: placeNameInput });

/** A rename: the name only. A code is refused with its own error (codes are fixed); other keys too. */
const renameBody = z.strictObject({
  name: placeNameInput,
  code: z
    .unknown()
    .refine((value) => value === undefined, CODE_FIXED)
    .optional(),
});

function renameJson() {
  return zValidator("json", renameBody, (result) => {
    if (result.success) return;
    const errors = fieldErrorsOf(result.error);
    if (errors.code) throw new AppError(400, "code_fixed", CODE_FIXED, { fieldErrors: errors });
    throw validationError(errors);
  });
}

const apiId = (c: AppContext, what: "region" | "town") => pathId(placeIdInput(what), c.req.param("id"), what);

function apiRoutes() {
  return new Hono<AppEnv>()
    .get("/api/admin/location/regions", queryParams(z.object({ countryId: countryIdInput })), async (c) => {
      const { countryId } = c.req.valid("query");
      if (!(await findCountryRow(c.var.deps.db, countryId))) throw notFound("country");
      const rows = await listRegionsWithCounts(c.var.deps.db, countryId);
      return c.json({ regions: rows.map((row) => ({ ...row, unassigned: isUnassigned(row) })) });
    })
    .post("/api/admin/location/regions", jsonBody(newRegionBody), async (c) => {
      const { user } = requireUser(c);
      const region = await createRegion(c.var.deps, user.id, c.req.valid("json"), requestMeta(c));
      return c.json({ region: { ...regionJson(region), unassignedTownId: region.unassignedTownId } }, 201);
    })
    .patch("/api/admin/location/regions/:id", async (c, next) => {
      apiId(c, "region");
      await next();
    }, renameJson(), async (c) => {
      const { user } = requireUser(c);
      const region = await renameRegion(c.var.deps, user.id, apiId(c, "region"), c.req.valid("json").name, requestMeta(c));
      return c.json({ region: regionJson(region) });
    })
    .delete("/api/admin/location/regions/:id", async (c) => {
      const { user } = requireUser(c);
      await deleteRegion(c.var.deps, user.id, apiId(c, "region"), requestMeta(c));
      return c.body(null, 204);
    })
    .get("/api/admin/location/towns", queryParams(z.object({ regionId: placeIdInput("region") })), async (c) => {
      const { regionId } = c.req.valid("query");
      if (!(await findRegion(c.var.deps.db, regionId))) throw notFound("region");
      const rows = await listTownsOf(c.var.deps.db, regionId);
      return c.json({ towns: rows.map((row) => ({ ...row, unassigned: isUnassigned(row) })) });
    })
    .post("/api/admin/location/towns", jsonBody(newTownBody), async (c) => {
      const { user } = requireUser(c);
      const town = await createTown(c.var.deps, user.id, c.req.valid("json"), requestMeta(c));
      return c.json({ town: townJson(town) }, 201);
    })
    .patch("/api/admin/location/towns/:id", async (c, next) => {
      apiId(c, "town");
      await next();
    }, renameJson(), async (c) => {
      const { user } = requireUser(c);
      const town = await renameTown(c.var.deps, user.id, apiId(c, "town"), c.req.valid("json").name, requestMeta(c));
      return c.json({ town: townJson(town) });
    })
    .delete("/api/admin/location/towns/:id", async (c) => {
      const { user } = requireUser(c);
      await deleteTown(c.var.deps, user.id, apiId(c, "town"), requestMeta(c));
      return c.body(null, 204);
    });
}

/**
 * Mounted at "/" by the location routes, so every path is written in full. Platform admins only:
 * the check runs before any body is read, so others get 403 (401 signed out), never a 400.
 */
export function placesAdminRoutes() {
  return new Hono<AppEnv>()
    .use("/admin-portal/places", requirePlatformAdmin)
    .use("/admin-portal/places/*", requirePlatformAdmin)
    .use("/api/admin/location/*", requirePlatformAdmin)
    .route("/", pageRoutes())
    .route("/", apiRoutes());
}
