// iCalendar out: a signed-in download of one's calendars (/api/calendar/export.ics), one event's .ics, the
// subscription addresses (made, rotated, revoked through /api/calendars/:id/feed) and the feeds themselves
// (/ical/<token>.ics: no session, rate-limited, answered 304 while nothing changed).
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { sha256Hex } from "../../../lib/crypto";
import { AppError } from "../../../lib/errors";
import { requireUser } from "../../../http/require-user";
import { requestMeta, type AppEnv } from "../../../http/types";
import { queryParams } from "../../../http/validate";
import { rateLimited, takeHit } from "../../ratelimit";
import { calendarFor, placesOf, visibleCalendars } from "../calendars";
import { eventFor } from "../event-read";
import { DAY_MS } from "../recurrence";
import { eventCalendar, exportCalendars } from "./export";
import { feedOf, issueFeed, noteFeedRead, openFeed, revokeFeed } from "./feeds";

/** Bump when the feed's text changes for the same data, so subscribers' cached copies are not kept. */
const FORMAT_VERSION = 1;
const FEED_READS_PER_HOUR = 120;
const FEED_READS_PER_ADDRESS_PER_HOUR = 1200;

const exportQuery = z.object({ calendarId: z.string().trim().min(1).max(64).optional() });

/** A file name a browser keeps: letters, digits, dashes; "calendar" when nothing is left. */
function fileName(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9 _-]/g, "")
    .trim()
    .replace(/\s+/g, "-")
    .slice(0, 60);
  return `${base || "calendar"}.ics`;
}

function icsResponse(c: Context<AppEnv>, text: string, download: string | null, headers: Record<string, string> = {}) {
  return c.body(text, 200, {
    "content-type": "text/calendar; charset=utf-8",
    ...(download ? { "content-disposition": `attachment; filename="${download}"` } : {}),
    ...headers,
  });
}

export function icalRoutes() {
  return new Hono<AppEnv>()
    .get("/api/calendar/export.ics", queryParams(exportQuery), async (c) => {
      const { user } = requireUser(c);
      const deps = c.var.deps;
      const { calendarId } = c.req.valid("query");
      const shown = calendarId ? [await calendarFor(deps, user.id, calendarId)] : await placesOf(deps, user.id).then((places) => visibleCalendars(deps, places));
      const name = calendarId ? shown[0]!.row.name : "Block on Block";
      const text = await exportCalendars(deps.db, user.id, shown, { name, timeZone: calendarId ? shown[0]!.row.timeZone : undefined, now: deps.now() });
      return icsResponse(c, text, fileName(name), { "cache-control": "private, no-store" });
    })
    .get("/api/events/:id/ics", async (c) => {
      const { user } = requireUser(c);
      const deps = c.var.deps;
      const { row, calendar } = await eventFor(deps, user.id, c.req.param("id"));
      const text = eventCalendar(row, { name: row.title, timeZone: row.timeZone ?? calendar.row.timeZone, now: deps.now() });
      return icsResponse(c, text, fileName(row.title), { "cache-control": "private, no-store" });
    })
    .get("/api/calendars/:id/feed", async (c) => {
      const { user } = requireUser(c);
      return c.json({ feed: await feedOf(c.var.deps, user.id, c.req.param("id")) });
    })
    .post("/api/calendars/:id/feed", async (c) => {
      const { user } = requireUser(c);
      const feed = await issueFeed(c.var.deps, user.id, c.req.param("id"), requestMeta(c));
      return c.json({ feed }, feed.rotated ? 200 : 201);
    })
    .delete("/api/calendars/:id/feed", async (c) => {
      const { user } = requireUser(c);
      await revokeFeed(c.var.deps, user.id, c.req.param("id"), requestMeta(c));
      return c.body(null, 204);
    })
    .get("/ical/:file", async (c) => {
      const deps = c.var.deps;
      const notFound = new AppError(404, "not_found", "There is no such calendar feed.");
      const token = /^([a-z2-7]{32})\.ics$/.exec(c.req.param("file"))?.[1];
      const now = deps.now();
      if (deps.config.RATE_LIMIT === "on") {
        const address = requestMeta(c).ipAddress;
        const checks = [{ bucket: `ical:ip:${address}`, max: FEED_READS_PER_ADDRESS_PER_HOUR, windowMs: 3600_000 }];
        if (token) checks.push({ bucket: `ical:feed:${sha256Hex(token).slice(0, 32)}`, max: FEED_READS_PER_HOUR, windowMs: 3600_000 });
        const wait = await takeHit(deps.db, now, checks);
        if (wait > 0) throw rateLimited("This calendar feed is read too often; try again later.", wait);
      }
      const opened = token ? await openFeed(deps, token) : null;
      if (!opened) throw notFound;
      const { feed, calendar } = opened;
      // The text depends on the calendar's content, what its person may see of it, and (busy blocks) the day.
      const day = Math.floor(now / DAY_MS) * DAY_MS;
      const etag = `"${sha256Hex(`${FORMAT_VERSION}|${calendar.row.id}|${calendar.row.changedAt}|${calendar.access}|${day}|${feed.id}`).slice(0, 32)}"`;
      const lastModified = Math.floor(Math.max(calendar.row.changedAt, feed.createdAt, day) / 1000) * 1000;
      const validators = { etag, "last-modified": new Date(lastModified).toUTCString(), "cache-control": "private, no-cache" };
      await noteFeedRead(deps, feed);
      const ifNoneMatch = c.req.header("if-none-match");
      const ifModifiedSince = Date.parse(c.req.header("if-modified-since") ?? "");
      const unchanged = ifNoneMatch !== undefined ? ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag || tag.trim() === "*") : Number.isFinite(ifModifiedSince) && lastModified <= ifModifiedSince;
      if (unchanged) return c.body(null, 304, validators);
      const text = await exportCalendars(deps.db, feed.userId, [calendar], { name: calendar.row.name, timeZone: calendar.row.timeZone, now });
      return icsResponse(c, text, null, validators);
    });
}
