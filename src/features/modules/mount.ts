import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { modulesApi } from "./api";
import { hostRoutes } from "./host-routes";
import { marketplaceRoutes } from "./marketplace-routes";
import { moduleRuntimeApi } from "./runtime-api";

export { marketplaceTab } from "./host-routes";
export { modulePageEvents } from "./page-events";

export { RUNTIME_PREFIX as MODULE_RUNTIME_PREFIX } from "./runtime-api";

/** The modules' routes: the developer portal's, the review's and the marketplace's JSON, and the modules' own API. */
export function modulesRoutes() {
  return new Hono<AppEnv>().route("/", moduleRuntimeApi()).route("/", modulesApi()).route("/", hostRoutes()).route("/", marketplaceRoutes());
}
