import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { calendarApi } from "./api";
import { availabilityApi } from "./availability/availability-api";
import { findTimeRoutes } from "./availability/find-time-routes";
import { icalRoutes } from "./ical/ical-api";
import { importApi } from "./ical/import-api";
import { subscriptionsApi } from "./subscriptions/subscriptions-api";
import { rsvpApi } from "./rsvp/rsvp-api";
import { guestRoutes } from "./rsvp/guest-routes";
import { peopleRoutes } from "./rsvp/people-routes";
import { calendarPages } from "./routes";

export { businessCalendarTab } from "./routes";
export { isCalendarImport } from "./ical/upload";
export { calendarPageEvents } from "./page-events";

/** The calendar's routes: the JSON API (/api/calendars, /api/events, /api/calendar), iCalendar out (export, feeds at /ical) and the pages (/calendar…, /household/:id/calendar). */
export function calendarRoutes() {
  return new Hono<AppEnv>().route("/", icalRoutes()).route("/", importApi()).route("/", subscriptionsApi()).route("/", rsvpApi()).route("/", guestRoutes()).route("/", peopleRoutes()).route("/", availabilityApi()).route("/", findTimeRoutes()).route("/", calendarApi()).route("/", calendarPages());
}
