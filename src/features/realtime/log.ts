// Writing to and reading from the event log. A feature publishes inside the write transaction of
// the change it announces; readers page through it by id.
import { and, asc, gt, inArray, lte, lt, max, min, sql } from "drizzle-orm";
import { afterCommit, writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import type { Deps } from "../../deps";
import { events, type EventRow } from "./schema";

/** One change to announce: who may read it (its channel), what happened, and a few ids. */
export interface LiveEvent {
  channel: string;
  type: string;
  payload?: Record<string, unknown>;
}

/** Channel names, so no feature spells them by hand. */
export const channel = {
  user: (id: string) => `user:${id}`,
  business: (id: string) => `business:${id}`,
  household: (id: string) => `household:${id}`,
  conversation: (id: string) => `conversation:${id}`,
  /** A space's channel: a business's or a household's, and one's own space's is one's own. */
  space: (kind: "personal" | "business" | "household", id: string) => (kind === "personal" ? `user:${id}` : `${kind}:${id}`),
};

/** The type that makes a user's open streams work out their channels again (they joined or left something). */
export const ACCESS_CHANGED = "access.changed";

/**
 * Appends events to the log inside `tx`, the transaction of the change they announce: a rollback
 * takes them back with it. Once it commits, this instance's streams are woken at once.
 */
export async function publish(tx: Tx, deps: Pick<Deps, "now" | "live">, ...list: LiveEvent[]): Promise<void> {
  if (list.length === 0) return;
  const at = deps.now();
  await tx.insert(events).values(list.map((event) => ({ channel: event.channel, type: event.type, payload: event.payload ?? {}, at })));
  afterCommit(tx, () => deps.live.notify());
}

/**
 * Tells open streams to recompute what they may read, in the transaction that changed it: those
 * of the given users, or (published on a context's channel) those of everyone in it.
 */
export function accessChanged(tx: Tx, deps: Pick<Deps, "now" | "live">, userIds: readonly string[], contextChannels: readonly string[] = []): Promise<void> {
  return publish(tx, deps, ...userIds.map((id) => ({ channel: channel.user(id), type: ACCESS_CHANGED })), ...contextChannels.map((name) => ({ channel: name, type: ACCESS_CHANGED })));
}

export const PAGE_SIZE = 500;

/** Rows after `after` (and up to `upTo`), oldest first, at most PAGE_SIZE; only `channels` when given. */
export function readLog(db: Db, range: { after: number; upTo?: number; channels?: ReadonlySet<string> }): Promise<EventRow[]> {
  if (range.channels && range.channels.size === 0) return Promise.resolve([]);
  return db
    .select()
    .from(events)
    .where(
      and(
        gt(events.id, range.after),
        range.upTo === undefined ? undefined : lte(events.id, range.upTo),
        range.channels ? inArray(events.channel, [...range.channels]) : undefined,
      ),
    )
    .orderBy(asc(events.id))
    .limit(PAGE_SIZE);
}

/** The first and last id still in the log (null when it is empty). */
export async function logBounds(db: Db): Promise<{ first: number | null; last: number | null }> {
  const [row] = await db.select({ first: min(events.id), last: max(events.id) }).from(events);
  // Over HTTP (sqld, Turso) an aggregate may come back as a string: compared with an integer column it would match nothing.
  return { first: row?.first == null ? null : Number(row.first), last: row?.last == null ? null : Number(row.last) };
}

/** The newest id in the log, 0 when it is empty: where a page rendered now should resume from. */
export async function logCursor(db: Db): Promise<number> {
  const [row] = await db.select({ last: max(events.id) }).from(events);
  return row?.last == null ? 0 : Number(row.last);
}

/**
 * Deletes rows older than `before`, keeping the newest row always, so a resuming client can still
 * tell "nothing happened since" from "what happened was pruned". Returns how many went.
 */
export async function pruneEvents(db: Db, before: number): Promise<number> {
  const result = await writeTransaction(db, (tx) => tx.delete(events).where(and(lt(events.at, before), lt(events.id, sql`(select max(${events.id}) from ${events})`))));
  return result.rowsAffected;
}
