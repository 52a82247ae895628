import type { Db, Tx } from "./types";

// SQLite has one writer at a time. Queueing this process's write transactions avoids SQLITE_BUSY
// churn and @libsql/client's "all connections are held by transactions" error under bursts, while
// other instances are still kept in order by BEGIN IMMEDIATE (drizzle's libsql default) and the
// busy timeout.
const queues = new WeakMap<Db, Promise<unknown>>();

/** Runs `work` in one write transaction (BEGIN IMMEDIATE); a throw rolls every write back. */
export function writeTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const previous = queues.get(db) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => db.transaction(work));
  queues.set(db, run);
  return run;
}
