// The data every database needs besides its tables, brought up to date after the migrations by each
// runtime entry, by `npm run db:migrate` and by the test app; running it again changes nothing.
import type { Db } from "./db/types";
import { backfillBlockIds } from "./features/auth";
import { seedReferenceData } from "./features/location";

export async function seedDatabase(db: Db, defaultCountry: string, now = Date.now()): Promise<void> {
  await seedReferenceData(db, now);
  await backfillBlockIds(db, defaultCountry, now);
}
