// The calendar's JSON API: calendars and their shares, events with their scopes, and occurrences in a window.
// Every id is looked up as the caller may see it: a calendar or event they cannot see answers 404.
import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { jsonBody, queryParams } from "../../http/validate";
import { calendarFor, calendarJson, createCalendar, deleteCalendar, deleteShare, listShares, placesOf, putShare, saveViewSettings, updateCalendar, viewSettingsOf, visibleCalendars } from "./calendars";
import { getEvent } from "./event-read";
import { checked, createEvent, deleteEvent, updateEvent } from "./events";
import { calendarInput, calendarPatch, eventInput, eventPatch, scopeQuery, shareInput, viewSettingsInput, windowQuery } from "./input";
import { keptView } from "./kept-views";
import { checkWindow, checkZone, occurrenceJson, occurrencesIn, parseWindowEdge } from "./occurrences";

export function calendarApi() {
  return new Hono<AppEnv>()
    .get("/api/calendars", async (c) => {
      const { user } = requireUser(c);
      const deps = c.var.deps;
      const [calendars, settings] = await Promise.all([placesOf(deps, user.id).then((places) => visibleCalendars(deps, places)), viewSettingsOf(deps.db, user.id)]);
      const hidden = new Set(settings.hiddenCalendarIds);
      return c.json({ calendars: calendars.map((cal) => calendarJson(cal, hidden.has(cal.row.id))), timeZone: settings.timeZone });
    })
    .post("/api/calendars", jsonBody(calendarInput), async (c) => {
      const { user } = requireUser(c);
      const input = c.req.valid("json");
      if (input.timeZone) checked(() => checkZone(input.timeZone!));
      return c.json({ calendar: calendarJson(await createCalendar(c.var.deps, user.id, input, requestMeta(c))) }, 201);
    })
    .get("/api/calendars/:id", async (c) => {
      const { user } = requireUser(c);
      return c.json({ calendar: calendarJson(await calendarFor(c.var.deps, user.id, c.req.param("id"))) });
    })
    .patch("/api/calendars/:id", jsonBody(calendarPatch), async (c) => {
      const { user } = requireUser(c);
      const input = c.req.valid("json");
      if (input.timeZone) checked(() => checkZone(input.timeZone!));
      return c.json({ calendar: calendarJson(await updateCalendar(c.var.deps, user.id, c.req.param("id"), input, requestMeta(c))) });
    })
    .delete("/api/calendars/:id", async (c) => {
      const { user } = requireUser(c);
      await deleteCalendar(c.var.deps, user.id, c.req.param("id"), requestMeta(c));
      return c.body(null, 204);
    })
    .get("/api/calendars/:id/shares", async (c) => {
      const { user } = requireUser(c);
      return c.json({ shares: await listShares(c.var.deps, user.id, c.req.param("id")) });
    })
    .put("/api/calendars/:id/shares/:userId", jsonBody(shareInput), async (c) => {
      const { user } = requireUser(c);
      const { created } = await putShare(c.var.deps, user.id, c.req.param("id"), c.req.param("userId"), c.req.valid("json").access, requestMeta(c));
      return c.json({ share: { userId: c.req.param("userId"), access: c.req.valid("json").access } }, created ? 201 : 200);
    })
    .delete("/api/calendars/:id/shares/:userId", async (c) => {
      const { user } = requireUser(c);
      await deleteShare(c.var.deps, user.id, c.req.param("id"), c.req.param("userId"), requestMeta(c));
      return c.body(null, 204);
    })
    .put("/api/calendar/settings", jsonBody(viewSettingsInput), async (c) => {
      const { user } = requireUser(c);
      const input = c.req.valid("json");
      if (input.timeZone) checked(() => checkZone(input.timeZone!));
      return c.json({ settings: await saveViewSettings(c.var.deps, user.id, input) });
    })
    .post("/api/calendars/:id/events", jsonBody(eventInput), async (c) => {
      const { user } = requireUser(c);
      return c.json({ event: await createEvent(c.var.deps, user.id, c.req.param("id"), c.req.valid("json"), requestMeta(c)) }, 201);
    })
    .get("/api/events/:id", async (c) => {
      const { user } = requireUser(c);
      return c.json({ event: await getEvent(c.var.deps, user.id, c.req.param("id")) });
    })
    .patch("/api/events/:id", queryParams(scopeQuery), jsonBody(eventPatch), async (c) => {
      const { user } = requireUser(c);
      return c.json({ event: await updateEvent(c.var.deps, user.id, c.req.param("id"), c.req.valid("json"), c.req.valid("query"), requestMeta(c)) });
    })
    .delete("/api/events/:id", queryParams(scopeQuery), async (c) => {
      const { user } = requireUser(c);
      await deleteEvent(c.var.deps, user.id, c.req.param("id"), c.req.valid("query"), requestMeta(c));
      return c.body(null, 204);
    })
    .get("/api/calendar/events", queryParams(windowQuery), async (c) => {
      const { user } = requireUser(c);
      const query = c.req.valid("query");
      // Kept like the grids (kept-views.ts): the same window asked again costs one indexed read until something changes.
      const key = `${user.id}|api|${query.from}|${query.to}|${query.calendarIds ?? ""}|${query.timeZone ?? ""}`;
      const body = await keptView(c.var.deps, key, () => windowJson(c, user.id, query));
      return c.body(body, 200, { "content-type": "application/json; charset=UTF-8" });
    });
}

/** The occurrences of a window as the API's JSON text; bad edges, zones or spans are 400s naming the field. */
async function windowJson(c: AppContext, userId: string, query: { from: string; to: string; calendarIds?: string; timeZone?: string }): Promise<string> {
  const deps = c.var.deps;
  const [places, settings] = await Promise.all([placesOf(deps, userId), query.timeZone ? null : viewSettingsOf(deps.db, userId)]);
  const zone = checked(() => checkZone(query.timeZone ?? settings?.timeZone ?? "UTC"));
  const from = checked(() => parseWindowEdge(query.from, zone, "from"));
  const to = checked(() => parseWindowEdge(query.to, zone, "to"));
  checked(() => checkWindow(from, to));
  const calendarIds = query.calendarIds ? query.calendarIds.split(",").filter(Boolean) : undefined;
  const { occurrences, truncated } = await occurrencesIn(deps, places, { from, to, zone, calendarIds });
  return JSON.stringify({ occurrences: occurrences.map(occurrenceJson), truncated, timeZone: zone });
}
