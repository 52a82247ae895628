// The presence rules as pure functions: what others see from a user's open streams, activity and
// chosen status. Tested without a database (rules.test.ts).
import type { PresenceMode, PresenceStatus } from "./schema";

export type { PresenceMode, PresenceStatus } from "./schema";

/** What others see of a user: the status and the short text they set. */
export interface PresenceView {
  status: PresenceStatus;
  text: string;
}

/** What the status is worked out from. */
export interface PresenceFacts {
  /** Whether the user has at least one live connection (an open stream, or one closed within its grace). */
  live: boolean;
  mode: PresenceMode;
  dndUntil: number | null;
  /** The last request seen (0 when never). */
  lastActiveAt: number;
}

/**
 * Offline without a live connection; do not disturb while chosen and not yet over; away when
 * chosen or when the last activity is older than `awayAfterMs`; otherwise online.
 */
export function effectiveStatus(facts: PresenceFacts, now: number, awayAfterMs: number): PresenceStatus {
  if (!facts.live) return "offline";
  if (facts.mode === "dnd" && (facts.dndUntil === null || facts.dndUntil > now)) return "dnd";
  if (facts.mode === "away") return "away";
  return now - facts.lastActiveAt > awayAfterMs ? "away" : "online";
}

/** The mode in force: an expired "do not disturb" is automatic again. */
export function modeInForce(mode: PresenceMode, dndUntil: number | null, now: number): PresenceMode {
  return mode === "dnd" && dndUntil !== null && dndUntil <= now ? "auto" : mode;
}

export const OFFLINE: PresenceView = { status: "offline", text: "" };

/** At most this many characters of status text. */
export const STATUS_TEXT_MAX = 100;

/** How long a closed stream still counts: a reload or the stream's planned reconnect (1 s) must not read as offline. */
export const CLOSE_GRACE_MS = 15_000;

/** A request refreshes the user's last activity at most this often (in memory per instance, and in SQL across them). */
export const ACTIVITY_WRITE_MS = 60_000;

/** How long a connection row lives without a refresh, given the TTL and how long this runtime's streams live. */
export function connectionLifetime(ttlMs: number, streamMs: number, refreshed: boolean): number {
  // Where nothing refreshes rows (Workers), a row must outlive its stream, which ends itself after streamMs.
  return refreshed ? ttlMs : Math.max(ttlMs, streamMs + CLOSE_GRACE_MS);
}
