import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { COUNTRIES } from "../../lib/countries";
import { countries, referenceSeeds, regions, towns } from "./schema";

export const UNASSIGNED_CODE = "000";
export const UNASSIGNED_NAME = "Unassigned";

/**
 * A few regions and towns to start from (admins add the rest). Names follow what Cloudflare reports
 * as `request.cf.region` and `request.cf.city`, so edge geolocation finds them.
 */
const STARTER_PLACES: Record<string, [code: string, region: string, towns: string[]][]> = {
  GB: [
    ["001", "England", ["London", "Manchester", "Birmingham"]],
    ["002", "Scotland", ["Edinburgh", "Glasgow"]],
    ["003", "Wales", ["Cardiff"]],
    ["004", "Northern Ireland", ["Belfast"]],
  ],
  US: [
    ["001", "California", ["Los Angeles", "San Francisco"]],
    ["002", "New York", ["New York", "Buffalo"]],
    ["003", "Texas", ["Houston", "Austin"]],
  ],
  DE: [
    ["001", "Bavaria", ["Munich", "Nuremberg"]],
    ["002", "Berlin", ["Berlin"]],
  ],
  NG: [
    ["001", "Lagos", ["Ikeja", "Lekki"]],
    ["002", "Federal Capital Territory", ["Abuja"]],
  ],
  IN: [
    ["001", "Maharashtra", ["Mumbai", "Pune"]],
    ["002", "Karnataka", ["Bengaluru"]],
  ],
};
const STARTER_SEED = "starter-places-1";

/**
 * Brings the reference data up to date; runs after the migrations on every start (src/seed.ts, also
 * in `npm run db:migrate`), and running it again changes nothing:
 * - every ISO 3166-1 country from the dataset packages (names and calling codes follow the packages),
 *   each with its unassigned region and town (code 000);
 * - the starter regions and towns, once: one an admin removes stays removed.
 */
export async function seedReferenceData(db: Db, now = Date.now()): Promise<void> {
  await writeTransaction(db, async (tx) => {
    await tx
      .insert(countries)
      .values([...COUNTRIES])
      .onConflictDoUpdate({
        target: countries.id,
        set: {
          alpha3: sql`excluded.alpha3`,
          numeric: sql`excluded.numeric`,
          name: sql`excluded.name`,
          callingCode: sql`excluded.calling_code`,
        },
      });
    // One unassigned region per country, and one unassigned town per region.
    await tx.run(sql`insert into regions (id, country_id, code, name, created_at, updated_at)
      select lower(hex(randomblob(16))), id, ${UNASSIGNED_CODE}, ${UNASSIGNED_NAME}, ${now}, ${now} from countries where true
      on conflict do nothing`);
    const [seeded] = await tx.select().from(referenceSeeds).where(eq(referenceSeeds.name, STARTER_SEED));
    if (!seeded) {
      for (const [countryId, places] of Object.entries(STARTER_PLACES)) {
        for (const [code, name, townNames] of places) {
          await tx.insert(regions).values({ id: newId(), countryId, code, name, createdAt: now, updatedAt: now }).onConflictDoNothing();
          // The region as stored: ours, or one with that code already there.
          const [{ regionId }] = (await tx
            .select({ regionId: regions.id })
            .from(regions)
            .where(and(eq(regions.countryId, countryId), eq(regions.code, code)))) as [{ regionId: string }];
          const townRows = townNames.map((town, i) => ({ id: newId(), regionId, code: String(i + 1).padStart(3, "0"), name: town, createdAt: now, updatedAt: now }));
          await tx.insert(towns).values(townRows).onConflictDoNothing();
        }
      }
      await tx.insert(referenceSeeds).values({ name: STARTER_SEED, appliedAt: now });
    }
    await tx.run(sql`insert into towns (id, region_id, code, name, created_at, updated_at)
      select lower(hex(randomblob(16))), id, ${UNASSIGNED_CODE}, ${UNASSIGNED_NAME}, ${now}, ${now} from regions where true
      on conflict do nothing`);
  });
}
