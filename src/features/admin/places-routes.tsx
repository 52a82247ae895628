// Places in the admin portal: the country list, a country's regions and towns with the forms that
// change them (plain posts, upgraded with htmx). The same changes as JSON are in places-api.ts.
import { Hono } from "hono";
import type { z, ZodType } from "zod";
import { CountryPage } from "../../../views/admin/places/CountryPage";
import { CountryPlaces } from "../../../views/admin/places/fragments/CountryPlaces";
import { CountryResults } from "../../../views/admin/places/fragments/CountryResults";
import { RegionCard } from "../../../views/admin/places/fragments/RegionCard";
import { COUNTRY_SEARCH, PlacesPage } from "../../../views/admin/places/PlacesPage";
import { placesBase, type Notice, type PlaceFailure, type PlaceForm } from "../../../views/admin/places/types";
import { SearchForm } from "../../../views/admin/fragments/SearchForm";
import { otherErrors, tryForm, type FormStatus } from "../../http/forms";
import { redirectAfterPost, render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm, parseQuery } from "../../http/validate";
import {
  countryIdInput,
  createRegion,
  createTown,
  deleteRegion,
  deleteTown,
  findCountryRow,
  findRegion,
  findTown,
  loadCountryPlaces,
  loadRegion,
  placeIdInput,
  renameRegion,
  renameTown,
  searchCountries,
  type RegionRow,
} from "../location";
import { listQuery, placeDoneQuery, placeForm, placeNameForm, type PlaceChange } from "./input";
import { notFound, pathId } from "./query";

const DONE: Record<PlaceChange, string> = {
  "region-created": "Region added, with its own Unassigned town (000).",
  "region-renamed": "Region renamed.",
  "region-deleted": "Region deleted.",
  "town-created": "Town added.",
  "town-renamed": "Town renamed.",
  "town-deleted": "Town deleted.",
};

const countryOfPath = (c: AppContext) => pathId(countryIdInput, c.req.param("countryId"), "country");

async function countryPlaces(c: AppContext, countryId: string) {
  const places = await loadCountryPlaces(c.var.deps.db, countryId);
  if (!places) throw notFound("country");
  return places;
}

interface CountryView {
  status?: 200 | FormStatus;
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
  done: PlaceChange;
  /** Does the change; returns the region a plain post should come back to, if any. */
  act: (data: z.infer<T>, actorId: string) => Promise<string | null>;
}

/**
 * A form post: checked, done, then a 303 back to the country (plain form) or the swapped part with
 * a notice (htmx). A refusal (400, 409) comes back in place, errors beside the fields it is about.
 */
async function runForm<T extends ZodType>(c: AppContext, schema: T | null, spec: FormSpec<T>) {
  const { user } = requireUser(c);
  const parsed = schema ? await parseForm(c, schema) : { ok: true as const, data: undefined, values: {} };
  if (!parsed.ok) return answer(c, spec.swap, { status: 400, failure: { form: spec.form, values: parsed.values, errors: parsed.errors } });
  const acted = await tryForm(c, () => spec.act(parsed.data as z.infer<T>, user.id));
  if (!acted.ok) {
    // The view shows a message of its own when the refusal names no field.
    const failure = { form: spec.form, values: parsed.values, errors: acted.error.fieldErrors, message: acted.formError };
    return answer(c, spec.swap, { status: acted.status, failure });
  }
  const regionId = acted.value;
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

/** The country named in the path, which must exist (a form that adds a region to it). */
async function existingCountry(c: AppContext, countryId: string): Promise<void> {
  if (!(await findCountryRow(c.var.deps.db, countryId))) throw notFound("country");
}

/**
 * A form post about the path's country or something in it: the country, then `find` reads the
 * region or town from the path (404 before the form is read); `schema` reads the form, and
 * `spec` says what it is and does; runForm does the rest.
 */
function placePost<P, T extends ZodType>(
  find: (c: AppContext, countryId: string) => Promise<P>,
  schema: T | null,
  spec: (c: AppContext, countryId: string, place: P) => FormSpec<T>,
) {
  return async (c: AppContext) => {
    const country = countryOfPath(c);
    return runForm(c, schema, spec(c, country, await find(c, country)));
  };
}

/** /admin-portal/places: the country search, a country's places and the forms that change them (the portal is for platform admins only, see mount.ts). */
export function placesRoutes() {
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
      const { done, region } = placeDoneQuery.parse(c.req.query());
      return renderCountry(c, countryId, { notice: done ? { kind: "success", text: DONE[done] } : null, noticeRegionId: region ?? null });
    })
    .post(
      "/admin-portal/places/:countryId/regions",
      placePost(existingCountry, placeForm, (c, country) => ({
        swap: { country },
        form: "add-region",
        done: "region-created",
        act: async (data, actorId) => (await createRegion(c.var.deps, actorId, { countryId: country, ...data }, requestMeta(c))).id,
      })),
    )
    .post(
      "/admin-portal/places/:countryId/regions/:regionId/rename",
      placePost(regionOfPath, placeNameForm, (c, country, region) => ({
        swap: { country, region: region.id },
        form: `rename-region:${region.id}`,
        done: "region-renamed",
        act: async (data, actorId) => (await renameRegion(c.var.deps, actorId, region.id, data.name, requestMeta(c))).id,
      })),
    )
    .post(
      "/admin-portal/places/:countryId/regions/:regionId/delete",
      placePost(regionOfPath, null, (c, country, region) => ({
        swap: { country },
        form: `delete-region:${region.id}`,
        done: "region-deleted",
        act: async (_data, actorId) => {
          await deleteRegion(c.var.deps, actorId, region.id, requestMeta(c));
          return null;
        },
      })),
    )
    .post(
      "/admin-portal/places/:countryId/regions/:regionId/towns",
      placePost(regionOfPath, placeForm, (c, country, region) => ({
        swap: { country, region: region.id },
        form: `add-town:${region.id}`,
        done: "town-created",
        act: async (data, actorId) => (await createTown(c.var.deps, actorId, { regionId: region.id, ...data }, requestMeta(c))).regionId,
      })),
    )
    .post(
      "/admin-portal/places/:countryId/towns/:townId/rename",
      placePost(townOfPath, placeNameForm, (c, country, town) => ({
        swap: { country, region: town.regionId },
        form: `rename-town:${town.id}`,
        done: "town-renamed",
        act: async (data, actorId) => (await renameTown(c.var.deps, actorId, town.id, data.name, requestMeta(c))).regionId,
      })),
    )
    .post(
      "/admin-portal/places/:countryId/towns/:townId/delete",
      placePost(townOfPath, null, (c, country, town) => ({
        swap: { country, region: town.regionId },
        form: `delete-town:${town.id}`,
        done: "town-deleted",
        act: async (_data, actorId) => (await deleteTown(c.var.deps, actorId, town.id, requestMeta(c))).regionId,
      })),
    );
}
