import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  /** Stored lower-cased and trimmed; unique across the platform. */
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  /** Argon2id PHC string; null for accounts that only sign in through a provider. */
  passwordHash: text("password_hash"),
  emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
  isPlatformAdmin: integer("is_platform_admin", { mode: "boolean" }).notNull().default(false),
  disabledAt: integer("disabled_at"),
  /** Why: "admin" (the admin portal) or "deletion" (the person asked to be erased; signing in offers to cancel). */
  disabledReason: text("disabled_reason", { enum: ["admin", "deletion"] }),
  /** The current Block ID (features/location); every one ever issued is in block_ids. */
  blockId: text("block_id").unique(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the token, hex; the token itself is never stored. */
    id: text("id").primaryKey(),
    /** A short public handle, so pages and APIs can name a session without its hash. */
    publicId: text("public_id").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    userAgent: text("user_agent").notNull().default(""),
    ipAddress: text("ip_address").notNull().default(""),
    /** When the user last proved who they are in this session (sign-in or a re-authentication prompt). */
    authenticatedAt: integer("authenticated_at").notNull().default(0),
    /** How the session was opened: "password", "passkey", or the provider ("github", "google", "microsoft"). */
    signInMethod: text("sign_in_method").notNull().default("password"),
    /** The second factor proved at sign-in ("totp", "recovery", "passkey"), or null when there was none. */
    secondFactor: text("second_factor"),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt), index("sessions_last_seen_idx").on(t.lastSeenAt)],
);

export const oauthAccounts = sqliteTable(
  "oauth_accounts",
  {
    provider: text("provider", { enum: ["github", "google", "microsoft"] }).notNull(),
    providerUserId: text("provider_user_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    email: text("email"),
    createdAt: integer("created_at").notNull().default(sql`(unixepoch() * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerUserId] }), index("oauth_accounts_user_idx").on(t.userId)],
);

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
