import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/libsql/migrator";
import { seedReferenceData } from "../features/location/reference-data";
import type { Db } from "./types";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

/**
 * Applies every migration in drizzle/ not yet applied, then brings the reference data (countries,
 * unassigned places, starter places) up to date; running it again changes nothing.
 */
export async function migrateDatabase(db: Db, defaultCountry = "GB"): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  await seedReferenceData(db, defaultCountry);
}
