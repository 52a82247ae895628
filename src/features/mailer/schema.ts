import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { households } from "../households/schema";
import { businesses } from "../workspace/schema";

/**
 * Every message the platform sends. With SMTP configured, sent_at records delivery (and error the
 * last failure); without it, this table is the outbox that business admins read in the app.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    /** The business the message is about, so its admins can read it; null for platform mail. */
    businessId: text("business_id").references(() => businesses.id, { onDelete: "cascade" }),
    householdId: text("household_id").references(() => households.id, { onDelete: "cascade" }),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    /** The iMIP part's method and text/calendar content, when the message carries one. */
    calendarMethod: text("calendar_method"),
    calendarBody: text("calendar_body"),
    transport: text("transport", { enum: ["smtp", "outbox"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
    error: text("error"),
  },
  (t) => [index("outbox_business_idx").on(t.businessId, t.createdAt), index("outbox_household_idx").on(t.householdId, t.createdAt), index("outbox_created_idx").on(t.createdAt)],
);

export type OutboxRow = typeof outbox.$inferSelect;
