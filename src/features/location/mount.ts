import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { locationApiRoutes } from "./api";
import { profileLocationRoutes } from "./profile-location";
import { pickerRoutes } from "./routes";

/** Everything the location feature serves: the public API (/api/location), the pickers (/location/pickers), and the profile's Block ID section. */
export function locationRoutes() {
  return new Hono<AppEnv>()
    .route("/", locationApiRoutes())
    .route("/", pickerRoutes())
    .route("/", profileLocationRoutes());
}
