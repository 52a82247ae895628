import type { LiveSignal } from "../../deps";
import { newId } from "../../lib/crypto";

export type LiveTiming = Pick<LiveSignal, "shared" | "pollMs" | "streamMs" | "heartbeatMs">;

/** Bun: one poller per process, woken at once by writes in the process; a stream lives 5 minutes. */
export const BUN_TIMING: LiveTiming = { shared: true, pollMs: 500, streamMs: 5 * 60_000, heartbeatMs: 15_000 };
/**
 * Workers: each stream polls for itself, once a second, and ends after 40 s, well inside the
 * platform's limits (50 subrequests per request on the Free plan, idle streams cut after ~2 minutes).
 */
export const WORKER_TIMING: LiveTiming = { shared: false, pollMs: 1000, streamMs: 40_000, heartbeatMs: 10_000 };

/**
 * The runtime's timing with streams that last `streamSeconds` (EVENTS_STREAM_SECONDS) when it is
 * set; a short stream still heartbeats at least once before its end.
 */
export function withStreamSeconds(timing: LiveTiming, streamSeconds: number | undefined): LiveTiming {
  if (streamSeconds === undefined) return timing;
  const streamMs = streamSeconds * 1000;
  return { ...timing, streamMs, heartbeatMs: Math.min(timing.heartbeatMs, Math.max(1000, Math.floor(streamMs / 2))) };
}

/** The in-process signal: notify calls every listener of this instance. */
export function liveSignal(timing: LiveTiming): LiveSignal {
  const listeners = new Set<() => void>();
  return {
    ...timing,
    instanceId: newId(),
    notify() {
      for (const listener of listeners) listener();
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
