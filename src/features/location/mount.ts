import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { blockIdAdminRoutes } from "./admin-block-ids";
import { placesAdminRoutes } from "./admin-places";
import { locationApiRoutes } from "./api";
import { pickerRoutes } from "./pickers";

/** Everything the location feature serves: the public API, the pickers, and the admin pages and API. */
export function locationRoutes() {
  return new Hono<AppEnv>()
    .route("/", locationApiRoutes())
    .route("/", pickerRoutes())
    .route("/", placesAdminRoutes())
    .route("/", blockIdAdminRoutes());
}
