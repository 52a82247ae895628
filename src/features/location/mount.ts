import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { locationApiRoutes } from "./api";
import { pickerRoutes } from "./routes";

/** Everything the location feature serves: the public API (/api/location) and the pickers (/location/pickers). */
export function locationRoutes() {
  return new Hono<AppEnv>().route("/", locationApiRoutes()).route("/", pickerRoutes());
}
