import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { locationApiRoutes } from "./api";
import { pickerRoutes } from "./pickers";
import { profileLocationRoutes } from "./profile-location";

/** Everything the location feature serves: the public API, the pickers, and the admin pages and API. */
export function locationRoutes() {
  return new Hono<AppEnv>()
    .route("/", locationApiRoutes())
    .route("/", pickerRoutes())
    .route("/", profileLocationRoutes());
}
