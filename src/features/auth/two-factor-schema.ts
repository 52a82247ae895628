import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./schema";

/**
 * An account's authenticator app (TOTP, RFC 6238). The seed is sealed by the secret box
 * (src/lib/secret-box.ts, purpose "totp"). Until confirmed with a code it does nothing.
 */
export const totpCredentials = sqliteTable("totp_credentials", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secretSealed: text("secret_sealed").notNull(),
  confirmedAt: integer("confirmed_at"),
  /** The last 30-second step a code was accepted for: a code works once (ASVS V6.5.1). */
  lastUsedStep: integer("last_used_step").notNull().default(0),
  createdAt: integer("created_at").notNull(),
});

/** Ten one-time codes for when the authenticator is lost; only their SHA-256 is kept (each has 120 bits). */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

/**
 * A sign-in that passed its first factor and waits for the second: a short-lived token in a cookie
 * (only its hash here), a few tries, then gone.
 */
export const pendingSignIns = sqliteTable(
  "pending_sign_ins",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** How the first factor was proved ("password" or a provider). */
    method: text("method").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    failures: integer("failures").notNull().default(0),
    /**
     * Whether the first factor was right. An account with two factors under a password-guessing
     * attack still gets a pending sign-in for a wrong password (so the answer tells the attacker
     * nothing); such a sign-in never completes, whatever code follows.
     */
    firstFactorOk: integer("first_factor_ok", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [index("pending_sign_ins_user_idx").on(t.userId)],
);
