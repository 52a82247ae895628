// Rate-limit hits name a person in their bucket (an account id, an address, a client address). They
// live minutes to hours, are pruned on a schedule, and say nothing worth exporting.
import { sql } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { rateLimitHits } from "./schema";

export const ratelimitPersonalData: PersonalDataSource = {
  feature: "ratelimit",
  tables: [{ table: rateLimitHits, columns: ["bucket"], erasure: "delete", note: "short-lived counters: not exported; the person's buckets are cleared" }],
  async exportFor() {
    return {};
  },
  // Buckets naming the account (`…:user:<id>`) or its address (`login:account:<email>`); a bucket of a client address names no one in particular.
  async erase({ tx, userId, person }) {
    const removed = await tx.delete(rateLimitHits).where(sql`instr(${rateLimitHits.bucket}, ${userId}) > 0 or instr(lower(${rateLimitHits.bucket}), lower(${person.email})) > 0`);
    return removed.rowsAffected;
  },
};
