// Consent's personal data: every answer the person gave (the whole history, not only the current state).
import { asc, eq } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { consentRecords } from "./schema";

export const consentsPersonalData: PersonalDataSource = {
  feature: "consents",
  tables: [{ table: consentRecords, columns: ["user_id"], erasure: "delete", note: "the answers go with the person; the audit trail keeps that a change happened" }],
  async exportFor(db, userId) {
    const rows = await db.select().from(consentRecords).where(eq(consentRecords.userId, userId)).orderBy(asc(consentRecords.id));
    return { history: rows.map((row) => ({ purpose: row.purpose, granted: row.granted, version: row.version, at: new Date(row.at).toISOString(), how: row.how })) };
  },
  async erase({ tx, userId }) {
    const removed = await tx.delete(consentRecords).where(eq(consentRecords.userId, userId)).returning({ id: consentRecords.id });
    return removed.length;
  },
};
