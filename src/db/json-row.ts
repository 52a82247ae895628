import { sql, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * `json_object('key', column, …)` over the given columns: one column for @libsql/client to hand back
 * instead of many, on hot paths where its per-column cost shows (docs/performance.md). Parse the
 * result with JSON.parse; integers and text come back as they are stored (booleans as 0/1).
 */
export function jsonObject(fields: Record<string, AnySQLiteColumn>): SQL<string> {
  const pairs = Object.entries(fields).map(([key, column]) => sql`${sql.raw(`'${key.replace(/'/g, "''")}'`)}, ${column}`);
  return sql<string>`json_object(${sql.join(pairs, sql`, `)})`;
}
