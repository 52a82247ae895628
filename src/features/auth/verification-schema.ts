import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./schema";

/**
 * A link that proves an address belongs to its user: the account's own address after sign-up
 * ("signup"), or a new address the user asked to change to ("change", which takes effect only when
 * followed). One-time, expiring; only the SHA-256 of its token is stored.
 */
export const emailVerifications = sqliteTable(
  "email_verifications",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["signup", "change"] }).notNull(),
    /** The address the link proves. */
    email: text("email").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("email_verifications_user_idx").on(t.userId, t.purpose)],
);

export type EmailVerificationRow = typeof emailVerifications.$inferSelect;
