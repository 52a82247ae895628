// Presence's personal data: the status one set, and the open connections of the moment.
import { eq } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { presenceConnections, userStatus } from "./schema";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const presencePersonalData: PersonalDataSource = {
  feature: "presence",
  tables: [
    { table: userStatus, columns: ["user_id", "text"], erasure: "cascade" },
    { table: presenceConnections, columns: ["user_id"], erasure: "cascade", note: "live for a minute at most: counted, not listed" },
  ],
  async exportFor(db, userId) {
    const [status] = await db.select().from(userStatus).where(eq(userStatus.userId, userId));
    const connections = await db.select({ id: presenceConnections.id }).from(presenceConnections).where(eq(presenceConnections.userId, userId));
    return {
      status: status ? { mode: status.mode, text: status.text, doNotDisturbUntil: iso(status.dndUntil), lastActiveAt: iso(status.lastActiveAt) } : null,
      openConnections: connections.length,
    };
  },
  async erase({ tx, userId }) {
    const status = await tx.delete(userStatus).where(eq(userStatus.userId, userId));
    const connections = await tx.delete(presenceConnections).where(eq(presenceConnections.userId, userId));
    return status.rowsAffected + connections.rowsAffected;
  },
};
