// The one registry of personal data. Every feature that stores something about a person says here,
// in a `personal-data.ts` of its own folder, which of its columns name a person, how a person's
// records are exported, and what erasure does to each table. src/personal-data.ts lists them all;
// coverage.test.ts fails when a column that names a person is in no registration.
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../../db/types";

/** What erasure does to a table's rows about the person. */
export type ErasureRule =
  /** Their own rows go. */
  | "delete"
  /** Rows others keep a legitimate copy of stay; the person's columns become a tombstone or null. */
  | "anonymize"
  /** Rows go with the user row (a foreign key with ON DELETE CASCADE). */
  | "cascade";

export interface PersonalTable {
  table: SQLiteTable;
  /** The columns that name the person: user ids, email addresses, IP addresses, channel names. */
  columns: string[];
  erasure: ErasureRule;
  /** Why, in a line (what is kept and for whom, or why nothing is exported). */
  note?: string;
}

/** One feature's personal data. `exportFor` returns the feature's JSON file of the export (documented shapes). */
export interface PersonalDataSource {
  feature: string;
  tables: PersonalTable[];
  exportFor(db: Db, userId: string): Promise<Record<string, unknown>>;
}
