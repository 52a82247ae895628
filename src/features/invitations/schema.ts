import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../auth/schema";
import { households } from "../households/schema";
import { businesses, departments, positions } from "../workspace/schema";

export const INVITATION_STATUSES = ["pending", "accepted", "declined", "revoked"] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/**
 * An invitation into a business or a household (exactly one of the two). The link carries a
 * random one-time token; only its SHA-256 is stored. Expired is derived from expires_at.
 */
export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id").references(() => businesses.id, { onDelete: "cascade" }),
    householdId: text("household_id").references(() => households.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    /** A BusinessRole or a HouseholdRole, by which of the two ids is set. */
    role: text("role").notNull(),
    departmentId: text("department_id").references(() => departments.id, { onDelete: "set null" }),
    positionId: text("position_id").references(() => positions.id, { onDelete: "set null" }),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    status: text("status", { enum: INVITATION_STATUSES }).notNull().default("pending"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    respondedAt: integer("responded_at"),
    respondedBy: text("responded_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("invitations_business_idx").on(t.businessId, t.status),
    index("invitations_household_idx").on(t.householdId, t.status),
    index("invitations_email_idx").on(t.email, t.status),
    check(
      "invitations_role_check",
      sql`(${t.businessId} is not null and ${t.role} in ('owner', 'admin', 'manager', 'member')) or (${t.householdId} is not null and ${t.role} in ('owner', 'adult', 'teen', 'child'))`,
    ),
  ],
);

export type InvitationRow = typeof invitations.$inferSelect;
