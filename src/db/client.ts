import { createClient, type Client } from "@libsql/client";
import { ConnectionPool } from "@libsql/client/sqlite3";
import { drizzle } from "drizzle-orm/libsql";
import { queueWrites } from "./transaction";
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
  const db = drizzle(client);
  queueWrites(db);
  return { db, client };
}

// @libsql/client keeps a pool of connections for a local file and opens them lazily; synchronous
// is a per-connection setting, so each new connection is tuned as the pool first hands it out.
// It also prepares every statement afresh on each call (a third to a half of a typical read);
// each connection therefore keeps its recent statements, keyed by their SQL text.
const STATEMENTS_PER_CONNECTION = 256;
type Connection = { exec(sql: string): void; prepare(sql: string): unknown };

let tuned = false;
function tunePooledConnections() {
  if (tuned) return;
  tuned = true;
  const seen = new WeakSet<object>();
  const acquireSync = ConnectionPool.prototype.acquireSync;
  ConnectionPool.prototype.acquireSync = function (this: ConnectionPool, forTransaction?: boolean) {
    const connection = acquireSync.call(this, forTransaction) as Connection;
    if (!seen.has(connection)) {
      connection.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
      cacheStatements(connection);
      seen.add(connection);
    }
    return connection as never;
  };
}

// A cached statement keeps the column list it was first run with, so a schema change made through
// any connection of this process (migrations) empties every connection's cache. Queries name their
// columns (drizzle always does), so a change made by another process cannot reshape a result.
let schemaGeneration = 0;
const changesSchema = (sql: string) => /^\s*(create|alter|drop)\b/i.test(sql);

function cacheStatements(connection: Connection) {
  const prepare = connection.prepare.bind(connection);
  const exec = connection.exec.bind(connection);
  const statements = new Map<string, unknown>();
  let generation = schemaGeneration;
  connection.exec = (sql: string) => {
    schemaGeneration++;
    exec(sql);
  };
  connection.prepare = (sql: string) => {
    if (changesSchema(sql)) {
      schemaGeneration++;
      return prepare(sql);
    }
    if (generation !== schemaGeneration) {
      statements.clear();
      generation = schemaGeneration;
    }
    let statement = statements.get(sql);
    if (statement) {
      statements.delete(sql); // re-inserted below, so the Map's order is least recently used first
    } else {
      statement = prepare(sql);
      if (statements.size >= STATEMENTS_PER_CONNECTION) statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, statement);
    return statement;
  };
}
