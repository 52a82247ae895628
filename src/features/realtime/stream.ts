// One engine for every event stream: resume after the client's last id (replay), then live rows
// from the hub, heartbeats while quiet, and a planned end with a `retry:` hint. What a row looks
// like on the wire (HTML for pages, JSON for scripts) is the caller's `format`.
import type { SSEMessage, SSEStreamingApi } from "hono/streaming";
import type { Deps } from "../../deps";
import { hubFor, type Subscriber } from "./hub";
import { ACCESS_CHANGED, channel, logBounds, readLog } from "./log";
import type { EventRow } from "./schema";

export interface StreamPlan {
  userId: string;
  /** The channels the caller may read now (already narrowed by any query); asked again on access.changed. */
  channels: () => Promise<Set<string>>;
  /** The last id the client saw (Last-Event-ID or ?lastEventId=); null to start from now. */
  resumeAfter: number | null;
  /** The SSE messages that carry one row (none to skip it). Each is sent with `id:` = the row's id. */
  format: (row: EventRow) => Promise<Omit<SSEMessage, "id">[]>;
  /** What tells the client its last id is gone from the log (pruned, or from another database): reload. */
  resync: (cursor: number) => Omit<SSEMessage, "id">[];
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
export async function openEventStream(deps: Deps, plan: StreamPlan): Promise<(stream: SSEStreamingApi) => Promise<void>> {
  const userChannel = channel.user(plan.userId);
  const queue: EventRow[] = [];
  let wake: (() => void) | null = null;
  let open = true;
  const subscriber: Subscriber = {
    channels: await plan.channels(),
    accessPending: 0,
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
      await stream.write(`retry: ${RETRY_MS}\n\n`);
      // The id of the last row whose turn has come (sent or skipped): nothing at or below it is sent again.
      let done = plan.resumeAfter ?? start;
      /** Sends one row unless it was sent or is not the caller's; true when it changed the caller's channels. */
      const send = async (row: EventRow): Promise<boolean> => {
        if (row.id <= done) return false;
        done = row.id;
        const changesAccess = row.type === ACCESS_CHANGED && row.channel === userChannel;
        if (changesAccess) {
          const now = await plan.channels();
          subscriber.channels.clear();
          for (const name of now) subscriber.channels.add(name);
        }
        if (subscriber.channels.has(row.channel)) {
          for (const message of await plan.format(row)) await stream.writeSSE({ ...message, id: String(row.id) });
        }
        return changesAccess;
      };

      if (plan.resumeAfter !== null) {
        if (resumeIsStale(plan.resumeAfter, await logBounds(deps.db))) {
          for (const message of plan.resync(start)) await stream.writeSSE({ ...message, id: String(start) });
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
            await stream.write(": ping\n\n");
            continue;
          }
        }
        for (const row of queue.splice(0)) {
          if (!open) break;
          await send(row);
          // The hub counted it when it handed it over (see Subscriber.accessPending); its channels are worked out now.
          if (row.type === ACCESS_CHANGED && row.channel === userChannel) subscriber.accessPending = Math.max(0, subscriber.accessPending - 1);
        }
      }
    } finally {
      hub.unsubscribe(subscriber);
      plan.closed?.();
    }
  };
}
