// Places as JSON for platform admins under /api/admin/location: regions and towns listed with their
// counts, created, renamed and deleted (the same audited changes as the portal's forms).
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { jsonBody, queryParams, zodFieldErrors } from "../../http/validate";
import { AppError, validationError } from "../../lib/errors";
import {
  CODE_FIXED,
  createRegion,
  createTown,
  deleteRegion,
  deleteTown,
  findCountryRow,
  findRegion,
  isUnassigned,
  listRegionsWithCounts,
  listTownsOf,
  placeIdInput,
  renameRegion,
  renameTown,
  type RegionRow,
  type TownRow,
} from "../location";
import { requirePlatformAdmin } from "./access";
import { newRegionBody, newTownBody, regionsQuery, renameBody, townsQuery } from "./input";
import { notFound, pathId } from "./query";

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

function renameJson() {
  return zValidator("json", renameBody, (result) => {
    if (result.success) return;
    const errors = zodFieldErrors(result.error);
    if (errors.code) throw new AppError(400, "code_fixed", CODE_FIXED, { fieldErrors: errors });
    throw validationError(errors);
  });
}

const apiId = (c: AppContext, what: "region" | "town") => pathId(placeIdInput(what), c.req.param("id"), what);

/**
 * /api/admin/location: platform admins only, checked before any body is read, so others get 403
 * (401 signed out), never a 400.
 */
export function placesApi() {
  return new Hono<AppEnv>()
    .use("/api/admin/location/*", requirePlatformAdmin)
    .get("/api/admin/location/regions", queryParams(regionsQuery), async (c) => {
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
    .get("/api/admin/location/towns", queryParams(townsQuery), async (c) => {
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
