import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { requirePlatformAdmin } from "./access";
import { blockIdsApi } from "./block-ids-api";
import { blockIdsRoutes } from "./block-ids-routes";
import { placesApi } from "./places-api";
import { placesRoutes } from "./places-routes";
import { adminPortalRoutes } from "./routes";
import { usersRoutes } from "./users-routes";

/**
 * Everything the admin feature serves: the portal under /admin-portal (every page and form post,
 * unknown ones too, for platform admins only) and the JSON under /api/admin (each API file checks
 * the same before it reads any input).
 */
export function adminRoutes() {
  return new Hono<AppEnv>()
    .use("/admin-portal/*", requirePlatformAdmin)
    .route("/", adminPortalRoutes())
    .route("/", usersRoutes())
    .route("/", placesRoutes())
    .route("/", blockIdsRoutes())
    .route("/", placesApi())
    .route("/", blockIdsApi());
}
