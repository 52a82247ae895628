// The audit trail's personal data: what the person did. Businesses and the platform keep their
// trails; erasure turns the person's id into a tombstone and clears their address and browser.
import { desc, eq } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { auditEvents } from "./schema";

export const auditPersonalData: PersonalDataSource = {
  feature: "audit",
  tables: [{ table: auditEvents, columns: ["actor_user_id", "ip_address", "user_agent", "details"], erasure: "anonymize", note: "the event stays with a tombstone actor; address and browser are cleared" }],
  async exportFor(db, userId) {
    const rows = await db.select().from(auditEvents).where(eq(auditEvents.actorUserId, userId)).orderBy(desc(auditEvents.at));
    return { actions: rows.map((row) => ({ at: new Date(row.at).toISOString(), action: row.action, targetType: row.targetType, targetId: row.targetId, ipAddress: row.ipAddress, userAgent: row.userAgent, details: row.details })) };
  },
};
