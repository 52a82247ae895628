// Every column that holds a value sealed by the secret box (src/lib/secret-box.ts), for
// `npm run secrets:rotate`. A feature that seals a new kind of secret adds its column here.
import { sql } from "drizzle-orm";
import type { AnySQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./db/types";
import { writeTransaction } from "./db/transaction";
import { openSecret, sealSecret, sealedWithOldKey, type SecretKey } from "./lib/secret-box";
import { marketplaceModules, totpCredentials } from "./schema";

interface SealedColumn {
  table: SQLiteTable;
  id: AnySQLiteColumn;
  value: AnySQLiteColumn;
  purpose: string;
}

export const SEALED_COLUMNS: SealedColumn[] = [
  { table: totpCredentials, id: totpCredentials.userId, value: totpCredentials.secretSealed, purpose: "totp" },
  { table: marketplaceModules, id: marketplaceModules.id, value: marketplaceModules.webhookSecretSealed, purpose: "module-webhook" },
];

/**
 * Re-seals every value not sealed with the current (first) key; safe to run again and while the app
 * runs. Afterwards the old keys can leave SECRET_KEYS. Returns how many values were re-sealed.
 */
export async function resealAll(db: Db, keys: SecretKey[]): Promise<number> {
  let resealed = 0;
  for (const column of SEALED_COLUMNS) {
    const rows = (await db.select({ id: column.id, value: column.value }).from(column.table)) as { id: string; value: string }[];
    for (const row of rows) {
      if (!sealedWithOldKey(keys, row.value)) continue;
      const fresh = await sealSecret(keys, column.purpose, await openSecret(keys, column.purpose, row.value));
      // Only if nobody changed it meanwhile (a new seed set up while rotating stays as it is).
      const value = sql.identifier(column.value.name);
      await writeTransaction(db, (tx) => tx.run(sql`update ${column.table} set ${value} = ${fresh} where ${sql.identifier(column.id.name)} = ${row.id} and ${value} = ${row.value}`));
      resealed++;
    }
  }
  return resealed;
}
