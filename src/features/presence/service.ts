// Presence: what others see of a user (online, away, do not disturb, offline, and a short text),
// worked out from their open streams (connections.ts), their last request and what they chose.
// Each change is announced once on the event log (presence.changed) to the user's own channel and
// every context they belong to: `announced` remembers what was said, and a change is written in
// the transaction that compares it, so two instances never announce the same change twice.
import { eq, gt, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import { validationError } from "../../lib/errors";
import { householdCoMembers, householdIdsOf } from "../households";
import { enforceLimit } from "../ratelimit";
import { channel, publish } from "../realtime";
import { businessCoMembers, businessIdsOf } from "../workspace";
import { ACTIVITY_WRITE_MS, effectiveStatus, modeInForce, OFFLINE, STATUS_TEXT_MAX, type PresenceView } from "./rules";
import { PRESENCE_STATUSES, presenceConnections, userStatus, type PresenceMode, type PresenceStatus } from "./schema";

export type PresenceDeps = Pick<Deps, "db" | "now" | "live" | "config" | "log">;

/** The event type on the log; its payload is {@link PresencePayload}. */
export const PRESENCE_CHANGED = "presence.changed";

/** What presence.changed carries: co-members may see a user's status and text, so the page renders it without a query. */
export interface PresencePayload {
  userId: string;
  status: PresenceStatus;
  text: string;
}

/** A presence.changed payload as written by {@link announce}, or null for anything else. */
export function presencePayload(payload: unknown): PresencePayload | null {
  if (typeof payload !== "object" || payload === null) return null;
  const { userId, status, text } = payload as Record<string, unknown>;
  if (typeof userId !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(userId)) return null;
  if (typeof status !== "string" || !(PRESENCE_STATUSES as readonly string[]).includes(status)) return null;
  return { userId, status: status as PresenceStatus, text: typeof text === "string" ? text.slice(0, STATUS_TEXT_MAX) : "" };
}

const awayAfterMs = (deps: Pick<Deps, "config">) => deps.config.PRESENCE_AWAY_MINUTES * 60_000;

interface FactsRow {
  userId: string;
  mode: PresenceMode;
  text: string;
  dndUntil: number | null;
  lastActiveAt: number;
  announced: PresenceStatus;
  live: boolean;
}

/** Each user_status row matching `where`, with whether the user has a live connection at `now`. */
async function readFacts(db: Db | Tx, now: number, where: SQL | undefined): Promise<FactsRow[]> {
  const rows = await db
    .select({
      userId: userStatus.userId,
      mode: userStatus.mode,
      text: userStatus.text,
      dndUntil: userStatus.dndUntil,
      lastActiveAt: userStatus.lastActiveAt,
      announced: userStatus.announced,
      // Spelled out: drizzle leaves columns in a subquery unqualified, and both tables have user_id.
      live: sql<number | string>`exists (select 1 from presence_connections pc where pc.user_id = user_status.user_id and pc.expires_at > ${now})`,
    })
    .from(userStatus)
    .where(where);
  // Over HTTP (sqld) the 0/1 may come back as a string.
  return rows.map((row) => ({ ...row, live: Number(row.live) === 1 }));
}

const statusFrom = (deps: Pick<Deps, "config">, row: FactsRow, now: number) => effectiveStatus(row, now, awayAfterMs(deps));

/** The channels a user's presence is announced on: their own and each context they belong to. */
async function presenceChannels(db: Db, userId: string): Promise<string[]> {
  const [businessIds, householdIds] = await Promise.all([businessIdsOf(db, userId), householdIdsOf(db, userId)]);
  return [channel.user(userId), ...businessIds.map(channel.business), ...householdIds.map(channel.household)];
}

/**
 * Announces the user's status if it is not what was last announced (or always, with `force`: a
 * new status text). Returns what was announced, or null. Reads first without writing, because
 * most calls (another tab, a reconnect) change nothing.
 */
export async function announce(deps: PresenceDeps, userId: string, options: { force?: boolean } = {}): Promise<PresenceStatus | null> {
  const [before] = await readFacts(deps.db, deps.now(), eq(userStatus.userId, userId));
  if (!before || (!options.force && statusFrom(deps, before, deps.now()) === before.announced)) return null;
  const channels = await presenceChannels(deps.db, userId);
  return writeTransaction(deps.db, async (tx) => {
    // Again inside the write: another instance may have announced it in the meantime.
    const now = deps.now();
    const [row] = await readFacts(tx, now, eq(userStatus.userId, userId));
    if (!row) return null;
    const status = statusFrom(deps, row, now);
    if (!options.force && status === row.announced) return null;
    await tx.update(userStatus).set({ announced: status }).where(eq(userStatus.userId, userId));
    const payload: PresencePayload = { userId, status, text: row.text };
    await publish(tx, deps, ...channels.map((name) => ({ channel: name, type: PRESENCE_CHANGED, payload: { ...payload } })));
    return status;
  });
}

/**
 * Announces every user whose status is no longer what was announced: their last connection ran
 * out, their activity is now too old, their "do not disturb" ended. Returns how many were announced.
 */
export async function announceChanges(deps: PresenceDeps): Promise<number> {
  const now = deps.now();
  const liveUsers = deps.db.select({ userId: presenceConnections.userId }).from(presenceConnections).where(gt(presenceConnections.expiresAt, now));
  const rows = await readFacts(deps.db, now, or(ne(userStatus.announced, "offline"), inArray(userStatus.userId, liveUsers)));
  let announced = 0;
  for (const row of rows) {
    if (statusFrom(deps, row, now) === row.announced) continue;
    try {
      if (await announce(deps, row.userId)) announced++;
    } catch (error) {
      deps.log({ level: "warn", msg: "presence announcement failed", userId: row.userId, error: String(error) });
    }
  }
  return announced;
}

/** What views show beside names: each user's status and text (offline and no text when unknown). */
export async function presenceOf(deps: Pick<Deps, "db" | "now" | "config">, userIds: readonly string[]): Promise<Map<string, PresenceView>> {
  const ids = [...new Set(userIds)];
  const result = new Map<string, PresenceView>(ids.map((id) => [id, OFFLINE]));
  const now = deps.now();
  for (let i = 0; i < ids.length; i += 500) {
    for (const row of await readFacts(deps.db, now, inArray(userStatus.userId, ids.slice(i, i + 500)))) {
      result.set(row.userId, { status: statusFrom(deps, row, now), text: row.text });
    }
  }
  return result;
}

/**
 * The presence of those of `userIds` the viewer may see: themselves and whoever shares a business
 * or household with them. Anyone else is left out, exactly as an unknown id is.
 */
export async function visiblePresence(deps: Pick<Deps, "db" | "now" | "config">, viewerId: string, userIds: readonly string[]): Promise<Map<string, PresenceView>> {
  const others = [...new Set(userIds)].filter((id) => id !== viewerId);
  const [inBusiness, inHousehold] = await Promise.all([businessCoMembers(deps.db, viewerId, others), householdCoMembers(deps.db, viewerId, others)]);
  const visible = userIds.filter((id, i) => userIds.indexOf(id) === i && (id === viewerId || inBusiness.has(id) || inHousehold.has(id)));
  return presenceOf(deps, visible);
}

/** The caller's own status, as the status menu and /presence show it. */
export interface OwnStatus extends PresenceView {
  /** The mode in force (an expired "do not disturb" is automatic again). */
  mode: PresenceMode;
  /** When "do not disturb" ends; null when it does not end by itself, or is not chosen. */
  dndUntil: number | null;
}

export async function ownStatus(deps: Pick<Deps, "db" | "now" | "config">, userId: string): Promise<OwnStatus> {
  const now = deps.now();
  const [row] = await readFacts(deps.db, now, eq(userStatus.userId, userId));
  if (!row) return { ...OFFLINE, mode: "auto", dndUntil: null };
  const mode = modeInForce(row.mode, row.dndUntil, now);
  return { status: statusFrom(deps, row, now), text: row.text, mode, dndUntil: mode === "dnd" ? row.dndUntil : null };
}

export interface StatusChange {
  status: PresenceMode;
  /** The new status text; absent keeps the current one, "" clears it. */
  text?: string;
  /** Only with "dnd": when it ends (epoch ms); null or absent, not by itself. */
  dndUntil?: number | null;
}

/** One line of plain text, trimmed, at most STATUS_TEXT_MAX characters; anything else is a 400 on `text`. */
export function cleanStatusText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length > STATUS_TEXT_MAX) throw validationError({ text: [`Use at most ${STATUS_TEXT_MAX} characters.`] });
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(trimmed)) throw validationError({ text: ["Use one line of plain text."] });
  return trimmed;
}

const STATUS_CHANGES_PER_10_MIN = 30;

/** Sets the caller's status and text, and tells the people who share a context with them. */
export async function setStatus(deps: PresenceDeps, userId: string, change: StatusChange): Promise<OwnStatus> {
  const text = change.text === undefined ? undefined : cleanStatusText(change.text);
  const now = deps.now();
  const dndUntil = change.status === "dnd" ? (change.dndUntil ?? null) : null;
  if (dndUntil !== null && (!Number.isSafeInteger(dndUntil) || dndUntil < 0)) throw validationError({ dndUntil: ["Give a time."] });
  // Each change is announced to every context the user is in: a loop must not flood them.
  await enforceLimit(deps, { bucket: `presence-status:user:${userId}`, max: STATUS_CHANGES_PER_10_MIN, windowMs: 10 * 60_000 }, "Your status was changed many times just now. Try again in a few minutes.");
  // Through the write queue, like every write (docs/architecture.md: a direct write beside a queued transaction stalls the process).
  await writeTransaction(deps.db, (tx) =>
    tx
      .insert(userStatus)
      .values({ userId, mode: change.status, text: text ?? "", dndUntil, lastActiveAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: userStatus.userId, set: { mode: change.status, dndUntil, updatedAt: now, ...(text === undefined ? {} : { text }) } }),
  );
  await announce(deps, userId, { force: true });
  return ownStatus(deps, userId);
}

/** When each user's activity was last written by this instance, so most requests write nothing. */
const lastWrites = new WeakMap<object, Map<string, number>>();
const REMEMBERED_USERS = 50_000;

/**
 * Notes that the user did something (a request). Writes at most once a minute per user: skipped
 * in memory on this instance, and in SQL when another instance wrote it lately. A user shown away
 * for lack of activity is announced online again.
 */
export async function touchActivity(deps: PresenceDeps, userId: string): Promise<void> {
  const now = deps.now();
  let seen = lastWrites.get(deps.live);
  if (!seen) lastWrites.set(deps.live, (seen = new Map()));
  const last = seen.get(userId);
  if (last !== undefined && now >= last && now - last < ACTIVITY_WRITE_MS) return;
  if (seen.size >= REMEMBERED_USERS) {
    for (const [id, at] of seen) if (now - at >= ACTIVITY_WRITE_MS) seen.delete(id);
    if (seen.size >= REMEMBERED_USERS) seen.clear();
  }
  seen.set(userId, now);
  // Through the write queue, like every write: a second connection writing beside a queued
  // transaction would wait on its lock synchronously, stalling the whole process.
  const written = await writeTransaction(deps.db, (tx) =>
    tx
      .insert(userStatus)
      .values({ userId, lastActiveAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: userStatus.userId, set: { lastActiveAt: now }, setWhere: lt(userStatus.lastActiveAt, now - ACTIVITY_WRITE_MS) })
      .returning({ announced: userStatus.announced }),
  );
  if (written[0]?.announced === "away") await announce(deps, userId);
}
