// The location feature's personal data: the person's Block IDs, current and retired.
import { eq } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { blockIds } from "./schema";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const locationPersonalData: PersonalDataSource = {
  feature: "location",
  tables: [{ table: blockIds, columns: ["user_id", "value"], erasure: "anonymize", note: "a retired number is never issued again: the row stays, its owner becomes null" }],
  async exportFor(db, userId) {
    const rows = await db.select().from(blockIds).where(eq(blockIds.userId, userId));
    return { blockIds: rows.map((row) => ({ value: row.value, source: row.source, issuedAt: iso(row.issuedAt), retiredAt: iso(row.retiredAt) })) };
  },
};
