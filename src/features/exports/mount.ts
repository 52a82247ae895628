import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import type { PersonalDataSource } from "../privacy";
import { exportApi } from "./api";
import { exportAdminPages, exportPages } from "./routes";

/** The export feature's routes: /api/me/exports[/:id], /profile/exports, /me/exports/:id/download, /admin-portal/exports. */
export function exportRoutes(sources: readonly PersonalDataSource[]) {
  return new Hono<AppEnv>().route("/api/me", exportApi(sources)).route("/", exportPages(sources)).route("/", exportAdminPages(sources));
}
