import { createClient, type Client } from "@libsql/client";
import { ConnectionPool } from "@libsql/client/sqlite3";
import { drizzle } from "drizzle-orm/libsql";
import * as schema from "./schema";
import type { Db } from "./types";

const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens DATABASE_URL: `file:` (default), `:memory:`, `http(s)://`, `ws(s)://` (sqld) or `libsql://`
 * (Turso). Local files run in WAL mode with synchronous=NORMAL, foreign keys on and a busy timeout.
 */
export async function openDatabase(url: string, authToken?: string): Promise<{ db: Db; client: Client }> {
  const isLocal = url.startsWith("file:") || url === ":memory:";
  if (isLocal) tunePooledConnections();
  const client = createClient({ url, authToken, timeout: BUSY_TIMEOUT_MS });
  if (url.startsWith("file:")) await client.execute("PRAGMA journal_mode = WAL");
  await client.execute("PRAGMA foreign_keys = ON");
  return { db: drizzle(client, { schema }), client };
}

// @libsql/client keeps a pool of connections for a local file and opens them lazily; synchronous
// is a per-connection setting, so each new connection is tuned as the pool first hands it out.
let tuned = false;
function tunePooledConnections() {
  if (tuned) return;
  tuned = true;
  const seen = new WeakSet<object>();
  const acquireSync = ConnectionPool.prototype.acquireSync;
  ConnectionPool.prototype.acquireSync = function (this: ConnectionPool, forTransaction?: boolean) {
    const connection = acquireSync.call(this, forTransaction) as { exec(sql: string): void };
    if (!seen.has(connection)) {
      connection.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
      seen.add(connection);
    }
    return connection as never;
  };
}
