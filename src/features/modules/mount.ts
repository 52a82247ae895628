import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { modulesApi } from "./api";
import { hostRoutes } from "./host-routes";
import { developerRoutes } from "./developer-routes";
import { marketplaceRoutes } from "./marketplace-routes";
import { moduleRuntimeApi } from "./runtime-api";

export { marketplaceTab } from "./host-routes";
/** The admin portal's module review: mounted before the admin feature's routes (which answer unknown portal pages). */
export { reviewRoutes as moduleReviewRoutes } from "./review-routes";
export { modulePageEvents } from "./page-events";

export { RUNTIME_PREFIX as MODULE_RUNTIME_PREFIX } from "./runtime-api";

/** The modules' routes: the developer portal's, the review's and the marketplace's JSON, and the modules' own API. */
export function modulesRoutes() {
  return new Hono<AppEnv>().route("/", moduleRuntimeApi()).route("/", modulesApi()).route("/", hostRoutes()).route("/", marketplaceRoutes()).route("/", developerRoutes());
}
