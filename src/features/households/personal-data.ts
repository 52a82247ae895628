// The households feature's personal data: memberships, and households one created.
import { eq } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { householdMembers, households } from "./schema";

const iso = (at: number) => new Date(at).toISOString();

export const householdsPersonalData: PersonalDataSource = {
  feature: "households",
  tables: [
    { table: householdMembers, columns: ["user_id"], erasure: "cascade" },
    { table: households, columns: ["created_by"], erasure: "anonymize", note: "the household stays with its members; who created it becomes null" },
  ],
  async exportFor(db, userId) {
    const [memberships, created] = await Promise.all([
      db
        .select({ householdId: households.id, name: households.name, role: householdMembers.role, joinedAt: householdMembers.joinedAt })
        .from(householdMembers)
        .innerJoin(households, eq(households.id, householdMembers.householdId))
        .where(eq(householdMembers.userId, userId)),
      db.select({ id: households.id, name: households.name, createdAt: households.createdAt }).from(households).where(eq(households.createdBy, userId)),
    ]);
    return { memberships: memberships.map((row) => ({ ...row, joinedAt: iso(row.joinedAt) })), householdsCreated: created.map((row) => ({ ...row, createdAt: iso(row.createdAt) })) };
  },
  async erase({ tx, userId }) {
    const members = await tx.delete(householdMembers).where(eq(householdMembers.userId, userId));
    const created = await tx.update(households).set({ createdBy: null }).where(eq(households.createdBy, userId));
    return members.rowsAffected + created.rowsAffected;
  },
};
