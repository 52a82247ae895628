import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../http/types";
import type { RealtimeWiring } from "../realtime";
import { presenceApi } from "./api";
import { connectionClosed, connectionOpened } from "./connections";
import { presenceRoutes as pageRoutes } from "./routes";
import { touchActivity } from "./service";

export { presencePageEvents } from "./page-events";

/** The presence feature's routes: /presence, /presence/menu, /presence/status and /api/presence[/status]. */
export function presenceRoutes() {
  return new Hono<AppEnv>().route("/", presenceApi()).route("/", pageRoutes());
}

/** What the event streams tell presence (src/app.ts hands it to eventRoutes): each stream opening and closing. */
export const presenceWiring: NonNullable<RealtimeWiring["presence"]> = {
  opened: (deps, userId) => connectionOpened(deps, userId),
  closed: (deps, _userId, opened) => void connectionClosed(deps, opened),
};

/**
 * Notes each request of a signed-in user as activity (what keeps them "online" rather than "away");
 * at most one write a minute per user. The event streams are left out: they reconnect by themselves.
 */
export function presenceActivity() {
  return createMiddleware<AppEnv>(async function presenceActivity(c, next) {
    const user = c.var.user;
    if (user && c.req.path !== "/events" && c.req.path !== "/api/events") {
      await touchActivity(c.var.deps, user.id).catch((error) => c.var.deps.log({ level: "warn", msg: "presence: noting activity failed", error: String(error) }));
    }
    await next();
  });
}
