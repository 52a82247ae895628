import type { Db, Tx } from "./types";

// SQLite has one writer at a time. Queueing this process's write transactions avoids SQLITE_BUSY
// churn and @libsql/client's "all connections are held by transactions" error under bursts, while
// other instances are still kept in order by BEGIN IMMEDIATE (drizzle's libsql default) and the
// busy timeout.
const queues = new WeakMap<Db, Promise<unknown>>();
/** The databases whose writes this process queues (see queueWrites). */
const queued = new WeakSet<Db>();
/** What each open write transaction asked to run once it has committed. */
const commitHooks = new WeakMap<Tx, Array<() => void>>();

/**
 * Queues this database's write transactions in this process (Bun: src/db/client.ts). Not on
 * Workers: there every request is its own world — a transaction queued behind one started by
 * another request would wait on a promise that request may never settle once it has answered —
 * and the database server orders the writes anyway.
 */
export function queueWrites(db: Db): void {
  queued.add(db);
}

/** Runs `work` in one write transaction (BEGIN IMMEDIATE); a throw rolls every write back. */
export function writeTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const previous = queued.has(db) ? (queues.get(db) ?? Promise.resolve()) : Promise.resolve();
  const hooks: Array<() => void> = [];
  const run = previous
    .catch(() => undefined)
    .then(() =>
      db.transaction((tx) => {
        commitHooks.set(tx, hooks);
        return work(tx);
      }),
    )
    .then((result) => {
      // The change is committed whatever a hook does; a hook's failure must not report it failed.
      for (const hook of hooks) {
        try {
          hook();
        } catch {}
      }
      return result;
    });
  if (queued.has(db)) queues.set(db, run);
  return run;
}

/**
 * Runs `hook` after the write transaction `tx` commits, and never when it rolls back. Outside a
 * writeTransaction (a nested savepoint, a bare db.transaction) the hook is dropped: it may only
 * hurry what would happen anyway (waking the event streams, which also poll).
 */
export function afterCommit(tx: Tx, hook: () => void): void {
  commitHooks.get(tx)?.push(hook);
}
