import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { calendarApi } from "./api";

/** The calendar's routes: the JSON API under /api/calendars, /api/events and /api/calendar. */
export function calendarRoutes() {
  return new Hono<AppEnv>().route("/", calendarApi());
}
