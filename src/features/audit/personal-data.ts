// The audit trail's personal data: what the person did. Businesses and the platform keep their
// trails; erasure turns the person's id into a tombstone and clears their address and browser.
import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { mentionsPerson, scrubPerson, type PersonalDataSource } from "../privacy";
import { auditEvents } from "./schema";

export const auditPersonalData: PersonalDataSource = {
  feature: "audit",
  tables: [{ table: auditEvents, columns: ["actor_user_id", "ip_address", "user_agent", "details"], erasure: "anonymize", note: "the event stays with a tombstone actor; address and browser are cleared" }],
  async exportFor(db, userId) {
    const rows = await db.select().from(auditEvents).where(eq(auditEvents.actorUserId, userId)).orderBy(desc(auditEvents.at));
    return { actions: rows.map((row) => ({ at: new Date(row.at).toISOString(), action: row.action, targetType: row.targetType, targetId: row.targetId, ipAddress: row.ipAddress, userAgent: row.userAgent, details: row.details })) };
  },
  // Every event that names the person stays: their id (as actor or target) becomes the tombstone,
  // their Block IDs, address and name in a target or the details are replaced, and the network
  // address and browser of what they did (or what was tried on their account) are cleared.
  async erase({ tx, userId, person, tombstone }) {
    const theirs = or(eq(auditEvents.actorUserId, userId), and(isNull(auditEvents.actorUserId), eq(auditEvents.targetId, userId)));
    const targets = [userId, ...person.blockIds];
    const changed = await tx
      .update(auditEvents)
      .set({
        actorUserId: sql`case when ${auditEvents.actorUserId} = ${userId} then ${tombstone} else ${auditEvents.actorUserId} end`,
        ipAddress: sql`case when ${theirs} then '' else ${auditEvents.ipAddress} end`,
        userAgent: sql`case when ${theirs} then '' else ${auditEvents.userAgent} end`,
        targetId: scrubPerson(auditEvents.targetId, person, userId, tombstone),
        details: scrubPerson(auditEvents.details, person, userId, tombstone),
      })
      .where(or(eq(auditEvents.actorUserId, userId), inArray(auditEvents.targetId, targets), mentionsPerson(sql`coalesce(${auditEvents.targetId}, '')`, person, userId), mentionsPerson(auditEvents.details, person, userId)));
    return changed.rowsAffected;
  },
};
