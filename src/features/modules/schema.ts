// Marketplace modules: who builds them (developers), what they are (modules and their reviewed versions), where
// they run (installs, one per module and context, with the scopes granted there) and what we told them (webhook
// deliveries, each attempt's answer kept for the developer portal).
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../auth/schema";
import type { ModuleManifest } from "./manifest";

export const MODULE_CONTEXTS = ["personal", "business", "household"] as const;
export type ModuleContextType = (typeof MODULE_CONTEXTS)[number];

export const moduleDevelopers = sqliteTable("module_developers", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  createdAt: integer("created_at").notNull(),
});

export const MODULE_STATUSES = ["active", "suspended"] as const;

export const marketplaceModules = sqliteTable(
  "marketplace_modules",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    /** A short text shown as the module's icon (an emoji or two letters): no outside image on our pages. */
    icon: text("icon").notNull(),
    category: text("category").notNull(),
    contexts: text("contexts", { mode: "json" }).$type<ModuleContextType[]>().notNull(),
    /** Null once the developer's account is erased: the module stays for those who installed it. */
    developerId: text("developer_id").references(() => users.id, { onDelete: "set null" }),
    status: text("status", { enum: MODULE_STATUSES }).notNull().default("active"),
    suspendedReason: text("suspended_reason"),
    /** The key webhooks are signed with (HMAC-SHA256), sealed by the secret box. */
    webhookSecretSealed: text("webhook_secret_sealed").notNull(),
    /** Random per module: what the module calls a person or a space is a hash with it (pseudonyms.ts), never our id. */
    pseudonymSalt: text("pseudonym_salt").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("marketplace_modules_slug_idx").on(t.slug), index("marketplace_modules_developer_idx").on(t.developerId), check("marketplace_modules_status_check", sql`${t.status} in ('active', 'suspended')`)],
);

export const VERSION_STATES = ["pending", "approved", "rejected"] as const;
export type VersionState = (typeof VERSION_STATES)[number];

export const moduleVersions = sqliteTable(
  "module_versions",
  {
    moduleId: text("module_id")
      .notNull()
      .references(() => marketplaceModules.id, { onDelete: "cascade" }),
    version: text("version").notNull(),
    /** The sanitized manifest (manifest.ts): only known fields, checked addresses. */
    manifest: text("manifest", { mode: "json" }).$type<ModuleManifest>().notNull(),
    state: text("state", { enum: VERSION_STATES }).notNull().default("pending"),
    rejectedReason: text("rejected_reason"),
    submittedAt: integer("submitted_at").notNull(),
    reviewedAt: integer("reviewed_at"),
    reviewedBy: text("reviewed_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [primaryKey({ columns: [t.moduleId, t.version] }), check("module_versions_state_check", sql`${t.state} in ('pending', 'approved', 'rejected')`)],
);

export const moduleInstalls = sqliteTable(
  "module_installs",
  {
    id: text("id").primaryKey(),
    moduleId: text("module_id")
      .notNull()
      .references(() => marketplaceModules.id, { onDelete: "cascade" }),
    contextType: text("context_type", { enum: MODULE_CONTEXTS }).notNull(),
    contextId: text("context_id").notNull(),
    /** The version that runs here: the newest approved one whose scopes were granted. */
    version: text("version").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    installedBy: text("installed_by").references(() => users.id, { onDelete: "set null" }),
    installedAt: integer("installed_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("module_installs_context_idx").on(t.contextType, t.contextId, t.moduleId), index("module_installs_module_idx").on(t.moduleId)],
);

export const WEBHOOK_EVENTS = ["installed", "uninstalled", "scopes_changed", "data_request", "redact"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const DELIVERY_STATES = ["pending", "delivered", "failed"] as const;

export const moduleWebhookDeliveries = sqliteTable(
  "module_webhook_deliveries",
  {
    id: text("id").primaryKey(),
    moduleId: text("module_id")
      .notNull()
      .references(() => marketplaceModules.id, { onDelete: "cascade" }),
    event: text("event", { enum: WEBHOOK_EVENTS }).notNull(),
    url: text("url").notNull(),
    /** The JSON body sent, the same bytes on every attempt (pseudonymous ids only). */
    body: text("body").notNull(),
    state: text("state", { enum: DELIVERY_STATES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    /** Whoever is sending it now holds it until then (two instances never send one delivery twice at once). */
    claimedUntil: integer("claimed_until").notNull().default(0),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    /** The start of the last answer's body, for the developer portal. */
    lastResponse: text("last_response"),
    createdAt: integer("created_at").notNull(),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [index("module_webhook_deliveries_due_idx").on(t.state, t.nextAttemptAt), index("module_webhook_deliveries_module_idx").on(t.moduleId, t.createdAt)],
);

export type MarketplaceModuleRow = typeof marketplaceModules.$inferSelect;
export type ModuleVersionRow = typeof moduleVersions.$inferSelect;
export type ModuleInstallRow = typeof moduleInstalls.$inferSelect;
export type WebhookDeliveryRow = typeof moduleWebhookDeliveries.$inferSelect;
