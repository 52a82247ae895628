// Notifications' personal data: what the person was told, and their preferences per kind.
import { desc, eq } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
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
};
