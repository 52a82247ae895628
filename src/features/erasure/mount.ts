import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { erasureApi } from "./api";
import { erasurePages } from "./routes";
import { erasureAdminRoutes } from "./admin-routes";

/** The erasure feature's routes: /api/me/deletion, /profile/deletion, /account/deletion[/…], /admin/erasures[/…]. */
export function erasureRoutes() {
  return new Hono<AppEnv>().route("/", erasureApi()).route("/", erasurePages()).route("/", erasureAdminRoutes());
}
