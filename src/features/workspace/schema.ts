import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../auth/schema";

export const BUSINESS_KINDS = ["company", "institution"] as const;
export type BusinessKind = (typeof BUSINESS_KINDS)[number];

/** Highest first: an owner may do everything an admin may, and so on down. */
export const BUSINESS_ROLES = ["owner", "admin", "manager", "member"] as const;
export type BusinessRole = (typeof BUSINESS_ROLES)[number];

export const businesses = sqliteTable("businesses", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  kind: text("kind", { enum: BUSINESS_KINDS }).notNull(),
  description: text("description").notNull().default(""),
  /** Key in the storage port (local disk on Bun, R2 on Workers); null without a logo. */
  logoKey: text("logo_key"),
  logoContentType: text("logo_content_type"),
  /** Members must have signed in with two factors to open this business's workspace. */
  requireTwoFactor: integer("require_two_factor", { mode: "boolean" }).notNull().default(false),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Departments of a company, or classes/departments of an institution. */
export const departments = sqliteTable(
  "departments",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("departments_business_name_idx").on(t.businessId, t.name)],
);

export const positions = sqliteTable(
  "positions",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("positions_business_name_idx").on(t.businessId, t.name)],
);

export const businessMembers = sqliteTable(
  "business_members",
  {
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: BUSINESS_ROLES }).notNull(),
    departmentId: text("department_id").references(() => departments.id, { onDelete: "set null" }),
    positionId: text("position_id").references(() => positions.id, { onDelete: "set null" }),
    joinedAt: integer("joined_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.businessId, t.userId] }),
    index("business_members_user_idx").on(t.userId),
    // The database refuses a role the code does not know, whoever writes the row.
    check("business_members_role_check", sql`${t.role} in ('owner', 'admin', 'manager', 'member')`),
  ],
);

/**
 * A business's configuration of one module: whether it is on, and who may see it. An empty list
 * means "no restriction" on that axis; a member must pass all three.
 */
export const businessModules = sqliteTable(
  "business_modules",
  {
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    moduleId: text("module_id").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    allowedRoles: text("allowed_roles", { mode: "json" }).$type<BusinessRole[]>().notNull().default([]),
    allowedDepartments: text("allowed_departments", { mode: "json" }).$type<string[]>().notNull().default([]),
    allowedPositions: text("allowed_positions", { mode: "json" }).$type<string[]>().notNull().default([]),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.moduleId] })],
);

/** Tabs of marketplace modules installed in a business (the modules feature adds and removes them): the registry's extras. */
export const businessModuleTabs = sqliteTable(
  "business_module_tabs",
  {
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id, { onDelete: "cascade" }),
    /** "m-<module id>": apart from the built-in modules' ids. */
    moduleId: text("module_id").notNull(),
    label: text("label").notNull(),
    description: text("description").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.moduleId] })],
);

/** The context each user last chose in the header's switcher: "personal", "business:<id>" or "household:<id>". */
export const contextPreferences = sqliteTable("context_preferences", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  activeContext: text("active_context").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export type BusinessRow = typeof businesses.$inferSelect;
export type BusinessMemberRow = typeof businessMembers.$inferSelect;
export type BusinessModuleRow = typeof businessModules.$inferSelect;
