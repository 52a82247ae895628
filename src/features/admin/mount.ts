import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { placesApi } from "./places-api";
import { placesRoutes } from "./places-routes";
import { adminPortalRoutes } from "./routes";

/** Everything the admin feature serves: the portal under /admin-portal and the JSON under /api/admin. */
export function adminRoutes() {
  return new Hono<AppEnv>().route("/", adminPortalRoutes()).route("/", placesRoutes()).route("/", placesApi());
}
