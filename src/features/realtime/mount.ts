// GET /events (pages: HTML fragments or empty "re-fetch" events for htmx's SSE extension) and
// GET /api/events (scripts and module runtimes: JSON), both on one engine (stream.ts).
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps";
import { requireUser } from "../../http/require-user";
import { isApiPath, type AppContext, type AppEnv } from "../../http/types";
import { createMiddleware } from "hono/factory";
import { queryParams } from "../../http/validate";
import { rateLimited } from "../ratelimit";
import { channel, logCursor } from "./log";
import type { EventRow } from "./schema";
import { openEventStream } from "./stream";
import { SseSink, sseFrames, type SseMessage } from "./sse";
import type { RealtimeWiring } from "./wiring";

const CHANNEL = /^(user|business|household|conversation):[A-Za-z0-9_-]{1,64}$/;
const streamQuery = z.object({
  lastEventId: z.string().regex(/^\d{1,15}$/, "must be an event id (digits)").optional(),
  channels: z
    .string()
    .max(8000)
    .transform((list) => list.split(",").map((name) => name.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(CHANNEL, "must be channel names like business:<id>, separated by commas")).max(200))
    .optional(),
});

/** Streams open per user on this instance; a user opening more is refused, so nobody can hold the server's memory. */
const openStreams = new WeakMap<Deps, Map<string, number>>();

export function eventRoutes(wiring: RealtimeWiring) {
  const app = new Hono<AppEnv>();

  const allowedChannels = async (deps: Deps, userId: string, narrowTo: string[] | undefined) => {
    const lists = await Promise.all(wiring.channelSources.map((source) => source(deps, userId)));
    const allowed = new Set([channel.user(userId), ...lists.flat()]);
    if (!narrowTo) return allowed;
    return new Set(narrowTo.filter((name) => allowed.has(name)));
  };

  const openStream = async (c: AppContext, kind: "page" | "api", query: z.infer<typeof streamQuery>) => {
      // Only ids are kept for the stream's life (thousands stay open): not the user, the request or its context.
      const userId = requireUser(c).user.id;
      const deps = c.var.deps;
      const narrowTo = query.channels;
      const header = c.req.header("last-event-id");
      const resumeFrom = header && /^\d{1,15}$/.test(header) ? header : query.lastEventId;

      let counts = openStreams.get(deps);
      if (!counts) openStreams.set(deps, (counts = new Map()));
      const held = counts.get(userId) ?? 0;
      if (held >= deps.config.EVENT_STREAMS_PER_USER) throw rateLimited("Too many live connections are open for your account; close a tab and try again.", 5);
      counts.set(userId, held + 1);
      const release = () => {
        const left = (counts.get(userId) ?? 1) - 1;
        if (left > 0) counts.set(userId, left);
        else counts.delete(userId);
      };

      let connection: Promise<string | null> | undefined;
      try {
        const write = await openEventStream(deps, {
          userId: userId,
          channels: () => allowedChannels(deps, userId, narrowTo),
          resumeAfter: resumeFrom === undefined ? null : Number(resumeFrom),
          format: kind === "page" ? async (row) => sseFrames(await pageMessages(deps, row, userId), row.id) : apiFrames,
          resync: (cursor) =>
            kind === "page" ? [{ event: "resync", data: "" }] : [{ data: JSON.stringify({ id: cursor, channel: channel.user(userId), type: "stream.resync", payload: {}, at: deps.now() }) }],
          opened: () => {
            connection = wiring.presence?.opened(deps, userId);
          },
          closed: () => {
            if (connection) wiring.presence?.closed(deps, userId, connection);
          },
        });
        const sink = new SseSink();
        void write(sink)
          .catch((error: unknown) => deps.log({ level: "error", msg: "event stream failed", error: String(error) }))
          .finally(release);
        return new Response(sink.readable, {
          headers: {
            "content-type": "text/event-stream; charset=utf-8",
            "cache-control": "no-cache, no-store",
            "x-accel-buffering": "no",
            // Workers (wrangler dev) may buffer a compressed stream; an event must leave at once.
            "content-encoding": "identity",
          },
        });
      } catch (error) {
        release();
        throw error;
      }
    };

  const pageMessages = async (deps: Deps, row: EventRow, viewerId: string): Promise<SseMessage[]> => {
    const renderer = wiring.pageRenderers[row.type];
    return renderer ? await renderer(deps, row, viewerId) : [{ event: row.type, data: "" }];
  };

  app.get("/events", queryParams(streamQuery), (c) => openStream(c, "page", c.req.valid("query")));
  app.get("/api/events", queryParams(streamQuery), (c) => openStream(c, "api", c.req.valid("query")));
  return app;
}

/**
 * Before a signed-in page is built, notes the log's newest id (one indexed read): the page's
 * stream resumes after it, so a change made while the page was being built still reaches it.
 */
export function liveCursor() {
  return createMiddleware<AppEnv>(async function liveCursor(c, next) {
    if (c.var.user && c.req.method === "GET" && !isApiPath(c.req.path) && c.req.header("hx-request") !== "true") {
      c.set("liveCursor", await logCursor(c.var.deps.db).catch(() => undefined));
    }
    await next();
  });
}

// Every JSON stream that carries a row carries the same bytes: built once per row, whatever the number of streams.
const apiFrameCache = new WeakMap<EventRow, Uint8Array>();
function apiFrames(row: EventRow): Uint8Array {
  let frames = apiFrameCache.get(row);
  if (!frames) apiFrameCache.set(row, (frames = sseFrames([{ data: JSON.stringify(apiEvent(row)) }], row.id)));
  return frames;
}

/** A row as scripts read it. */
export function apiEvent(row: EventRow) {
  return { id: row.id, channel: row.channel, type: row.type, payload: row.payload, at: row.at };
}
