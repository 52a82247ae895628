import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type * as schema from "./schema";

export type Db = LibSQLDatabase<typeof schema>;
/** What a write transaction hands its callback: the same query API as Db. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
