// One engine for every event stream: resume after the client's last id (replay), then live rows
// from the hub, heartbeats while quiet, and a planned end with a `retry:` hint. What a row looks
// like on the wire (HTML for pages, JSON for scripts) is the caller's `format`.
import type { Deps } from "../../deps";
import { hubFor, type Subscriber } from "./hub";
import { ACCESS_CHANGED, channel, logBounds, readLog } from "./log";
import type { EventRow } from "./schema";
import { sseFrames, type SseMessage, type SseSink } from "./sse";

export interface StreamPlan {
  userId: string;
  /** The channels the caller may read now (already narrowed by any query); asked again on access.changed. */
  channels: () => Promise<Set<string>>;
  /** The last id the client saw (Last-Event-ID or ?lastEventId=); null to start from now. */
  resumeAfter: number | null;
  /** The frames that carry one row (see sseFrames: each message with `id:` = the row's id), or null to skip it. */
  format: (row: EventRow) => Uint8Array | null | Promise<Uint8Array | null>;
  /** What tells the client its last id is gone from the log (pruned, or from another database): reload. */
  resync: (cursor: number) => SseMessage[];
  /** Called once the stream is open, and once it is closed (presence). */
  opened?: () => void;
  closed?: () => void;
}

/** How long the browser waits before it reconnects after a planned end or a drop. */
export const RETRY_MS = 1000;

/** True when rows after `resumeAfter` may have been pruned, or the id is newer than anything in the log. */
export function resumeIsStale(resumeAfter: number, bounds: { first: number | null; last: number | null }): boolean {
  if (bounds.first === null || bounds.last === null) return resumeAfter > 0;
  return resumeAfter < bounds.first - 1 || resumeAfter > bounds.last;
}

/**
 * Subscribes before the response is sent (so a client that got its 200 misses nothing from then
 * on), and returns what writes the stream.
 */
export async function openEventStream(deps: Deps, plan: StreamPlan): Promise<(stream: SseSink) => Promise<void>> {
  const userChannel = channel.user(plan.userId);
  const queue: EventRow[] = [];
  let wake: (() => void) | null = null;
  let open = true;
  const subscriber: Subscriber = {
    channels: await plan.channels(),
    deliver(rows) {
      queue.push(...rows);
      wake?.();
    },
  };
  const hub = hubFor(deps, subscriber);
  const start = await hub.subscribe(subscriber);
  plan.opened?.();
  return async (stream) => {
    stream.onAbort(() => {
      open = false;
      wake?.();
    });
    try {
      stream.write(`retry: ${RETRY_MS}\n\n`);
      // The id of the last row whose turn has come (sent or skipped): nothing at or below it is sent again.
      let done = plan.resumeAfter ?? start;
      /** Sends one row unless it was sent or is not the caller's; true when it changed the caller's channels. */
      const send = async (row: EventRow): Promise<boolean> => {
        if (row.id <= done) return false;
        done = row.id;
        // On the caller's own channel, or a context's (a channel created for all its members).
        const changesAccess = row.type === ACCESS_CHANGED && (row.channel === userChannel || subscriber.channels.has(row.channel));
        if (changesAccess) {
          const now = await plan.channels();
          const added = [...now].filter((name) => !subscriber.channels.has(name));
          subscriber.channels.clear();
          for (const name of now) subscriber.channels.add(name);
          // The hub filtered the rows it already handed out by the old channels: fetch those of the
          // new ones again (up to where it has got; it sends later rows by the new set itself).
          if (added.length && live) await catchUp(row.id, Math.max(hub.position, row.id), new Set(added));
        }
        if (subscriber.channels.has(row.channel)) {
          const frames = await plan.format(row);
          if (frames) stream.write(frames);
        }
        return changesAccess;
      };

      /** Merges the rows of `channels` in (after, upTo] into the queue, in id order. */
      const catchUp = async (after: number, upTo: number, channels: Set<string>) => {
        for (let from = after; from < upTo; ) {
          const rows = await readLog(deps.db, { after: from, upTo, channels });
          if (rows.length === 0) break;
          queue.push(...rows);
          from = rows[rows.length - 1]!.id;
        }
        queue.sort((a, b) => a.id - b.id);
      };
      // Replay reads by the channels it has at each step; catching up is for the live part.
      let live = false;

      if (plan.resumeAfter !== null) {
        if (resumeIsStale(plan.resumeAfter, await logBounds(deps.db))) {
          stream.write(sseFrames(plan.resync(start), start));
          done = start;
        } else {
          // Page by page; after a row that changed the caller's channels, read on from it with the new ones.
          for (let after = plan.resumeAfter; after < start && open; ) {
            const rows = await readLog(deps.db, { after, upTo: start, channels: subscriber.channels });
            if (rows.length === 0) break;
            for (const row of rows) {
              after = row.id;
              if (await send(row)) break;
            }
          }
          done = Math.max(done, start);
        }
      }

      live = true;
      const endAt = Date.now() + deps.live.streamMs;
      while (open && Date.now() < endAt) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(finish, Math.min(deps.live.heartbeatMs, Math.max(0, endAt - Date.now())));
            function finish() {
              clearTimeout(timer);
              wake = null;
              resolve();
            }
            wake = finish;
          });
          if (!open) break;
          if (queue.length === 0) {
            stream.write(": ping\n\n");
            continue;
          }
        }
        while (queue.length && open) await send(queue.shift()!);
      }
    } finally {
      hub.unsubscribe(subscriber);
      stream.close();
      plan.closed?.();
    }
  };
}
