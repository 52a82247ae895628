// The erasure feature's personal data: the person's deletion requests. The proofs name nobody.
import { and, eq, ne } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { deletionRequests } from "./schema";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const erasurePersonalData: PersonalDataSource = {
  feature: "erasure",
  tables: [
    {
      table: deletionRequests,
      columns: ["user_id", "reason", "person"],
      erasure: "delete",
      note: "earlier (cancelled) requests go; the running one is reduced to its tombstone by the job, with the proof",
    },
  ],
  async exportFor(db, userId) {
    const rows = await db.select().from(deletionRequests).where(eq(deletionRequests.userId, userId));
    return { deletionRequests: rows.map((row) => ({ requestedAt: iso(row.requestedAt), eraseAfter: iso(row.eraseAfter), requestedBy: row.requestedBy, status: row.status, cancelledAt: iso(row.cancelledAt) })) };
  },
  async erase({ tx, userId }) {
    const removed = await tx.delete(deletionRequests).where(and(eq(deletionRequests.userId, userId), ne(deletionRequests.status, "erasing")));
    return removed.rowsAffected;
  },
};
