// The invitations feature's personal data: invitations one sent, and those sent to one's address
// (matched by the account's address, as the invitee would see them).
import { eq, or, sql } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { users } from "../auth";
import { invitations } from "./schema";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const invitationsPersonalData: PersonalDataSource = {
  feature: "invitations",
  tables: [{ table: invitations, columns: ["invited_by", "responded_by", "email"], erasure: "anonymize", note: "a business or household keeps its invitation history; the person's ids become null and their address a tombstone" }],
  async exportFor(db, userId) {
    const [account] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
    const rows = await db
      .select()
      .from(invitations)
      .where(or(eq(invitations.invitedBy, userId), eq(invitations.respondedBy, userId), account ? sql`lower(${invitations.email}) = lower(${account.email})` : undefined));
    const view = (row: (typeof rows)[number]) => ({ id: row.id, businessId: row.businessId, householdId: row.householdId, email: row.email, role: row.role, status: row.status, createdAt: iso(row.createdAt), respondedAt: iso(row.respondedAt) });
    return { sent: rows.filter((row) => row.invitedBy === userId).map(view), received: rows.filter((row) => row.invitedBy !== userId).map(view) };
  },
  // Sent by the person: the inviter becomes null. Sent to their address: the address becomes the
  // tombstone's, and one still pending is revoked (nobody can accept it any more).
  async erase({ tx, userId, person, tombstone }) {
    const sent = await tx.update(invitations).set({ invitedBy: null }).where(eq(invitations.invitedBy, userId));
    const answered = await tx.update(invitations).set({ respondedBy: null }).where(eq(invitations.respondedBy, userId));
    const received = await tx
      .update(invitations)
      .set({ email: `${tombstone}@deleted.invalid`, status: sql`case when ${invitations.status} = 'pending' then 'revoked' else ${invitations.status} end` })
      .where(sql`lower(${invitations.email}) = lower(${person.email})`);
    return sent.rowsAffected + answered.rowsAffected + received.rowsAffected;
  },
};
