import { inArray, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { writeTransaction } from "./transaction";
import type { Db } from "./types";

/** Rows one pruning run deletes from one table at most: a backlog clears over several runs, and no run holds the write lock for long. */
export const PRUNE_BATCH = 5000;

/**
 * Deletes up to `limit` rows of `table` matching `where` (which an index should serve), in one
 * write transaction, and returns how many went.
 */
export async function pruneRows(db: Db, table: SQLiteTable, key: SQLiteColumn, where: SQL | undefined, limit = PRUNE_BATCH): Promise<number> {
  const result = await writeTransaction(db, (tx) => tx.delete(table).where(inArray(key, tx.select({ key }).from(table).where(where).limit(limit))));
  return result.rowsAffected;
}
