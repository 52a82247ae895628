// Rate-limit hits name a person in their bucket (an account id, an address, a client address). They
// live minutes to hours, are pruned on a schedule, and say nothing worth exporting.
import type { PersonalDataSource } from "../privacy";
import { rateLimitHits } from "./schema";

export const ratelimitPersonalData: PersonalDataSource = {
  feature: "ratelimit",
  tables: [{ table: rateLimitHits, columns: ["bucket"], erasure: "delete", note: "short-lived counters: not exported; the person's buckets are cleared" }],
  async exportFor() {
    return {};
  },
};
