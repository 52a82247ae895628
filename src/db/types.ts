import type { LibSQLDatabase } from "drizzle-orm/libsql";

/** The database as features use it: drizzle's query builder over libSQL (tables come from each feature's schema.ts). */
export type Db = LibSQLDatabase;
/** What a write transaction hands its callback: the same query API as Db. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
