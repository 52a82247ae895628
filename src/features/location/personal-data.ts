// The location feature's personal data: the person's Block IDs, current and retired.
import { eq } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { blockIds } from "./schema";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const locationPersonalData: PersonalDataSource = {
  feature: "location",
  tables: [{ table: blockIds, columns: ["user_id", "value"], erasure: "delete", note: "the rows go; a number is still never issued again, since each town's counter (block_id_counters) only counts up" }],
  async exportFor(db, userId) {
    const rows = await db.select().from(blockIds).where(eq(blockIds.userId, userId));
    return { blockIds: rows.map((row) => ({ value: row.value, source: row.source, issuedAt: iso(row.issuedAt), retiredAt: iso(row.retiredAt) })) };
  },
  // Before auth's eraser: block_ids.user_id references the user row without ON DELETE.
  async erase({ tx, userId }) {
    const removed = await tx.delete(blockIds).where(eq(blockIds.userId, userId));
    return removed.rowsAffected;
  },
};
