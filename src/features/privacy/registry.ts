// The one registry of personal data. Every feature that stores something about a person says here,
// in a `personal-data.ts` of its own folder, which of its columns name a person, how a person's
// records are exported, and how they are erased. src/personal-data.ts lists them all;
// coverage.test.ts fails when a column that names a person is in no registration.
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db, Tx } from "../../db/types";
import type { Deps } from "../../deps";

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

/**
 * Who goes, as the erasure job read them when it claimed the request (kept with the request until the
 * proof is written, so a resumed run scrubs the same strings after the user row is gone).
 */
export interface ErasedPerson {
  email: string;
  name: string;
  /** Every Block ID the person was ever given, current and retired. */
  blockIds: string[];
}

/** What an eraser is handed: one feature's write transaction and who goes. */
export interface ErasureRun {
  tx: Tx;
  deps: Deps;
  userId: string;
  person: ErasedPerson;
  /** The id that replaces the person's where others keep the row (audit trails): the same for every feature of one erasure, never derived from the person. */
  tombstone: string;
  now: number;
}

/** One feature's personal data. `exportFor` returns the feature's JSON file of the export (documented shapes). */
export interface PersonalDataSource {
  feature: string;
  tables: PersonalTable[];
  exportFor(db: Db, userId: string): Promise<Record<string, unknown>>;
  /**
   * Deletes or anonymizes the person's rows in this feature's tables, in the transaction it is
   * given (one per feature), and returns how many rows it changed. Running it twice changes nothing
   * the second time. Files in storage are removed after the commit (`afterCommit`). The erasure job
   * (features/erasure/job.ts) runs every feature's first, then mails its proof, then mailer's, and
   * auth's (the user row, which the cascades follow) last; rows others keep are scrubbed with
   * privacy/scrub.ts (the person's id → tombstone, their name, address and Block IDs replaced).
   */
  erase(run: ErasureRun): Promise<number>;
  /**
   * Called in the transaction that records this feature's part of an export as done (once per export): for telling
   * others who hold the person's data (marketplace modules get a `data_request` webhook).
   */
  exported?(run: { tx: Tx; deps: Deps; userId: string }): Promise<void>;
  /** The files the person uploaded, by storage key, and where each goes under files/ in the export. */
  filesFor?(db: Db, userId: string): Promise<PersonalFile[]>;
}

export interface PersonalFile {
  /** A path under files/ in the archive, such as `chat/<conversation id>/<file id>-<name>`. */
  path: string;
  storageKey: string;
}
