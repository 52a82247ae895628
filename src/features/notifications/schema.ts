import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../auth/schema";

/** One notification for one user, written by `notify` in the transaction of the change it tells of. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** One of the kinds in kinds.ts (`chat.mention`, `invitation`, …). */
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body"),
    /** Where it leads: a path on this site (starts with "/", never "//"), or null. */
    url: text("url"),
    createdAt: integer("created_at").notNull(),
    /** The kind was set to "Email too" when this was made: the digest may mail it (if it still is then). */
    byEmail: integer("by_email", { mode: "boolean" }).notNull().default(false),
    readAt: integer("read_at"),
    /** When a digest claimed it for mail; set once, so it is never mailed twice. */
    emailedAt: integer("emailed_at"),
  },
  (t) => [
    index("notifications_user_created_idx").on(t.userId, t.createdAt),
    // The digest's minutely look for mail to send reads only the rows waiting for it (by email,
    // unread, unmailed), not every in-app notification nobody has opened.
    // (Bare column names: SQLite refuses table-qualified ones in an index's WHERE.)
    index("notifications_mail_waiting_idx").on(t.userId).where(sql`by_email = 1 and read_at is null and emailed_at is null`),
  ],
);

/** A user's choice of delivery for one kind; a kind without a row gets its default (kinds.ts). */
export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    delivery: text("delivery", { enum: ["app", "email", "off"] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] }), check("notification_preferences_delivery_check", sql`${t.delivery} in ('app', 'email', 'off')`)],
);

export type NotificationRow = typeof notifications.$inferSelect;
