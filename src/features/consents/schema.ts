import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../auth/schema";

/**
 * Every consent a person gave or withdrew, append-only: the newest row of a purpose (highest id) is
 * its current state. Rows are never updated; erasure deletes them with the account.
 */
export const consentRecords = sqliteTable(
  "consent_records",
  {
    /** Monotonic, so "the newest row" never depends on two changes falling in one millisecond. */
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** One of purposes.ts: terms, privacy, product_emails, assistant, analytics. */
    purpose: text("purpose").notNull(),
    /** The version of the terms or privacy notice this answer was given to. */
    version: text("version").notNull(),
    granted: integer("granted", { mode: "boolean" }).notNull(),
    at: integer("at").notNull(),
    /** Where it was given: signup (the register page, API or first provider sign-in), profile, api, sign-in (asked again). */
    how: text("how", { enum: ["signup", "profile", "api", "sign-in"] }).notNull(),
  },
  (t) => [index("consent_records_user_purpose_idx").on(t.userId, t.purpose, t.id), check("consent_records_how_check", sql`${t.how} in ('signup', 'profile', 'api', 'sign-in')`)],
);

export type ConsentRecordRow = typeof consentRecords.$inferSelect;
export type ConsentHow = ConsentRecordRow["how"];
