// The workspace feature's personal data: memberships of businesses, businesses one created, the
// context last chosen in the header.
import { eq } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { businesses, businessMembers, contextPreferences } from "./schema";

const iso = (at: number) => new Date(at).toISOString();

export const workspacePersonalData: PersonalDataSource = {
  feature: "workspace",
  tables: [
    { table: businessMembers, columns: ["user_id"], erasure: "cascade" },
    { table: businesses, columns: ["created_by"], erasure: "anonymize", note: "the business stays with its members; who created it becomes null" },
    { table: contextPreferences, columns: ["user_id"], erasure: "cascade" },
  ],
  async exportFor(db, userId) {
    const [memberships, created, preference] = await Promise.all([
      db
        .select({ businessId: businesses.id, name: businesses.name, kind: businesses.kind, role: businessMembers.role, departmentId: businessMembers.departmentId, positionId: businessMembers.positionId, joinedAt: businessMembers.joinedAt })
        .from(businessMembers)
        .innerJoin(businesses, eq(businesses.id, businessMembers.businessId))
        .where(eq(businessMembers.userId, userId)),
      db.select({ id: businesses.id, name: businesses.name, createdAt: businesses.createdAt }).from(businesses).where(eq(businesses.createdBy, userId)),
      db.select().from(contextPreferences).where(eq(contextPreferences.userId, userId)),
    ]);
    return {
      memberships: memberships.map((row) => ({ ...row, joinedAt: iso(row.joinedAt) })),
      businessesCreated: created.map((row) => ({ ...row, createdAt: iso(row.createdAt) })),
      activeContext: preference[0]?.activeContext ?? null,
    };
  },
  async erase({ tx, userId }) {
    const members = await tx.delete(businessMembers).where(eq(businessMembers.userId, userId));
    const created = await tx.update(businesses).set({ createdBy: null }).where(eq(businesses.createdBy, userId));
    const preference = await tx.delete(contextPreferences).where(eq(contextPreferences.userId, userId));
    return members.rowsAffected + created.rowsAffected + preference.rowsAffected;
  },
};
