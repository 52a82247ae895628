// Notifications' personal data: what the person was told, and their preferences per kind.
import { desc, eq, or, sql } from "drizzle-orm";
import { mentionsPerson, scrubPerson, type PersonalDataSource } from "../privacy";
import { notificationPreferences, notifications } from "./schema";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const notificationsPersonalData: PersonalDataSource = {
  feature: "notifications",
  tables: [
    { table: notifications, columns: ["user_id"], erasure: "cascade" },
    { table: notificationPreferences, columns: ["user_id"], erasure: "cascade" },
  ],
  async exportFor(db, userId) {
    const [rows, preferences] = await Promise.all([
      db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.createdAt)),
      db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId)),
    ]);
    return {
      notifications: rows.map((row) => ({ id: row.id, kind: row.kind, title: row.title, body: row.body, url: row.url, createdAt: iso(row.createdAt), readAt: iso(row.readAt), emailedAt: iso(row.emailedAt) })),
      preferences: Object.fromEntries(preferences.map((row) => [row.kind, row.delivery])),
    };
  },
  // Their own go; what others were told about them ("Ada mentioned you") keeps its place, their name replaced.
  async erase({ tx, userId, person, tombstone }) {
    const own = await tx.delete(notifications).where(eq(notifications.userId, userId));
    const preferences = await tx.delete(notificationPreferences).where(eq(notificationPreferences.userId, userId));
    const named = await tx
      .update(notifications)
      .set({ title: scrubPerson(notifications.title, person, userId, tombstone), body: scrubPerson(notifications.body, person, userId, tombstone), url: scrubPerson(notifications.url, person, userId, tombstone) })
      .where(or(mentionsPerson(notifications.title, person, userId), mentionsPerson(sql`coalesce(${notifications.body}, '')`, person, userId), mentionsPerson(sql`coalesce(${notifications.url}, '')`, person, userId)));
    return own.rowsAffected + preferences.rowsAffected + named.rowsAffected;
  },
};
