// Subscriptions to outside feeds: POST /api/calendar/subscriptions {url, name?, contextId, color?} makes a read-only
// calendar that copies the feed; GET lists the ones the caller manages with how their reads fare; POST
// …/:calendarId/refresh reads one again now.
import { Hono } from "hono";
import { requireUser } from "../../../http/require-user";
import { requestMeta, type AppEnv } from "../../../http/types";
import { jsonBody } from "../../../http/validate";
import { eq } from "drizzle-orm";
import { calendarFor, calendarJson } from "../calendars";
import { subscriptionInput } from "../input";
import { calendarSubscriptions } from "../schema";
import { refreshNow, subscribe, subscriptionJson, subscriptionsOf } from "./subscriptions";


export function subscriptionsApi() {
  return new Hono<AppEnv>()
    .post("/api/calendar/subscriptions", jsonBody(subscriptionInput), async (c) => {
      const { user } = requireUser(c);
      const made = await subscribe(c.var.deps, user.id, c.req.valid("json"), requestMeta(c));
      return c.json({ calendar: calendarJson(made.calendar), subscription: subscriptionJson(made.calendar, made.subscription), import: made.report }, 201);
    })
    .get("/api/calendar/subscriptions", async (c) => {
      const { user } = requireUser(c);
      return c.json({ subscriptions: await subscriptionsOf(c.var.deps, user.id) });
    })
    .post("/api/calendar/subscriptions/:calendarId/refresh", async (c) => {
      const { user } = requireUser(c);
      const deps = c.var.deps;
      const calendarId = c.req.param("calendarId");
      const outcome = await refreshNow(deps, user.id, calendarId, requestMeta(c));
      const [row] = await deps.db.select().from(calendarSubscriptions).where(eq(calendarSubscriptions.calendarId, calendarId));
      return c.json({ refresh: outcome, subscription: subscriptionJson(await calendarFor(deps, user.id, calendarId), row!) });
    });
}
