import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../auth/schema";

export const EXPORT_STATUSES = ["queued", "building", "ready", "failed", "expired"] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/**
 * One "download your data" archive: queued by its owner (or by a platform admin on the owner's
 * request), built by the scheduled job under a lease, then kept for EXPORT_TTL_DAYS.
 */
export const dataExports = sqliteTable(
  "data_exports",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: EXPORT_STATUSES }).notNull(),
    /** Parts finished (one per registered feature, then the files, then the archive) out of `total`. */
    done: integer("done").notNull().default(0),
    total: integer("total").notNull().default(0),
    /** The features whose JSON part is already in storage: a taken-over build skips them. */
    partsDone: text("parts_done", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    /** The claim of the build under way (one per claim), until `claimed_until`; after that another may take it over. */
    claimToken: text("claim_token"),
    claimedUntil: integer("claimed_until"),
    attempts: integer("attempts").notNull().default(0),
    storageKey: text("storage_key"),
    size: integer("size"),
    /** Null when the person asked; a platform admin's id when they started it on the person's request. */
    requestedBy: text("requested_by"),
    reason: text("reason"),
    error: text("error"),
    createdAt: integer("created_at").notNull(),
    readyAt: integer("ready_at"),
    expiresAt: integer("expires_at"),
  },
  (t) => [
    index("data_exports_user_idx").on(t.userId, t.createdAt),
    index("data_exports_status_idx").on(t.status, t.claimedUntil),
    check("data_exports_status_check", sql`${t.status} in ('queued', 'building', 'ready', 'failed', 'expired')`),
  ],
);

export type ExportRow = typeof dataExports.$inferSelect;
