// The open streams behind presence, counted in the database so every tab, device and instance adds
// up: a row per stream, pushed forward by its instance while the stream is open (one UPDATE per
// instance per tick, not one per stream), kept for a short grace once closed, and swept when it
// runs out — which is also how a crashed instance's users go offline.
import { and, eq, isNull, lte, sql } from "drizzle-orm";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { CLOSE_GRACE_MS, connectionLifetime } from "./rules";
import { presenceConnections, userStatus } from "./schema";
import { announce, announceChanges, type PresenceDeps } from "./service";

const ttlMs = (deps: Pick<PresenceDeps, "config">) => deps.config.PRESENCE_TTL_SECONDS * 1000;
/** How often an instance refreshes its rows and sweeps: three times per TTL, so a live row never runs out between two refreshes. */
export const tickMs = (deps: Pick<PresenceDeps, "config">) => Math.floor(ttlMs(deps) / 3);
/** Where streams share one instance-wide timer (Bun), it refreshes rows; elsewhere (Workers) rows outlive their stream. */
const lifetime = (deps: PresenceDeps) => connectionLifetime(ttlMs(deps), deps.live.streamMs, deps.live.shared);

/**
 * A stream of the user opened: records it and announces them if they were not online. Never
 * throws (the stream must not fail for presence); the id is what `connectionClosed` needs, null
 * when nothing was recorded.
 */
export async function connectionOpened(deps: PresenceDeps, userId: string): Promise<string | null> {
  const id = newId();
  const now = deps.now();
  try {
    await writeTransaction(deps.db, async (tx) => {
      await tx.insert(presenceConnections).values({ id, userId, instanceId: deps.live.instanceId, openedAt: now, expiresAt: now + lifetime(deps) });
      await tx.insert(userStatus).values({ userId, updatedAt: now }).onConflictDoNothing();
    });
  } catch (error) {
    deps.log({ level: "warn", msg: "presence: recording a connection failed", userId, error: String(error) });
    return null;
  }
  try {
    await announce(deps, userId);
  } catch (error) {
    deps.log({ level: "warn", msg: "presence: announcing a connection failed", userId, error: String(error) });
  }
  sweepNowAndThen(deps);
  return id;
}

/**
 * The stream `opened` (what connectionOpened returned) closed. Its row stays live for a short
 * grace, so a reload or a planned reconnect does not flicker offline; the sweep announces the rest.
 */
export async function connectionClosed(deps: PresenceDeps, opened: Promise<string | null>): Promise<void> {
  try {
    const id = await opened;
    if (!id) return;
    const now = deps.now();
    await writeTransaction(deps.db, (tx) =>
      tx
        .update(presenceConnections)
        .set({ closedAt: now, expiresAt: sql`min(${presenceConnections.expiresAt}, ${now + CLOSE_GRACE_MS})` })
        .where(eq(presenceConnections.id, id)),
    );
  } catch (error) {
    deps.log({ level: "warn", msg: "presence: closing a connection failed", error: String(error) });
  }
  sweepNowAndThen(deps);
}

/** Pushes forward every open connection of this instance (one statement). Returns how many. */
export async function refreshConnections(deps: PresenceDeps): Promise<number> {
  const result = await writeTransaction(deps.db, (tx) =>
    tx
      .update(presenceConnections)
      .set({ expiresAt: deps.now() + lifetime(deps) })
      .where(and(eq(presenceConnections.instanceId, deps.live.instanceId), isNull(presenceConnections.closedAt))),
  );
  return result.rowsAffected;
}

/**
 * Deletes the connections of any instance that ran out (closed ones after their grace, a crashed
 * instance's after the TTL) and announces everyone whose status changed. Returns how many were announced.
 */
export async function sweepPresence(deps: PresenceDeps): Promise<number> {
  await writeTransaction(deps.db, (tx) => tx.delete(presenceConnections).where(lte(presenceConnections.expiresAt, deps.now())));
  return announceChanges(deps);
}

/** One tick of an instance: refresh its own rows, then sweep. Never throws. What a Workers cron could call too. */
export async function presenceTick(deps: PresenceDeps): Promise<void> {
  try {
    await refreshConnections(deps);
    await sweepPresence(deps);
  } catch (error) {
    deps.log({ level: "warn", msg: "presence tick failed", error: String(error) });
  }
}

/** Starts the instance's one presence timer (Bun); returns what stops it. */
export function startPresence(deps: PresenceDeps): () => void {
  const timer = setInterval(() => void presenceTick(deps), tickMs(deps));
  return () => clearInterval(timer);
}

const lastSweeps = new WeakMap<object, number>();

/**
 * Where no instance-wide timer runs (Workers: each stream is its own request), streams opening and
 * closing sweep now and then instead, at most once a tick per isolate.
 */
function sweepNowAndThen(deps: PresenceDeps): void {
  if (deps.live.shared) return;
  const now = deps.now();
  const last = lastSweeps.get(deps.live);
  if (last !== undefined && now >= last && now - last < tickMs(deps)) return;
  lastSweeps.set(deps.live, now);
  void sweepPresence(deps).catch((error) => deps.log({ level: "warn", msg: "presence sweep failed", error: String(error) }));
}
