import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { calendarApi } from "./api";
import { calendarPages } from "./routes";

export { businessCalendarTab } from "./routes";

/** The calendar's routes: the JSON API (/api/calendars, /api/events, /api/calendar) and the pages (/calendar…, /household/:id/calendar). */
export function calendarRoutes() {
  return new Hono<AppEnv>().route("/", calendarApi()).route("/", calendarPages());
}
