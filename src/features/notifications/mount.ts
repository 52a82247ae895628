import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { notificationApi } from "./api";
import { notificationPages } from "./routes";

/** Notifications: JSON under /api/notifications, the pages and the header's fragments. */
export function notificationRoutes() {
  return new Hono<AppEnv>().route("/", notificationApi()).route("/", notificationPages());
}
