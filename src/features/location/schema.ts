import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../auth/schema";

/**
 * ISO 3166-1 countries with their E.164 calling codes. Filled from the dataset packages at every
 * start (reference-data.ts), never edited by hand or by admins.
 */
export const countries = sqliteTable("countries", {
  /** ISO 3166-1 alpha-2, upper case. */
  id: text("id").primaryKey(),
  alpha3: text("alpha3").notNull(),
  numeric: text("numeric").notNull(),
  name: text("name").notNull(),
  /** E.164 country calling code, digits only (no "+"). Several countries may share one. */
  callingCode: text("calling_code").notNull(),
});

/** Code "000" is the country's "unassigned" region, created with the country and never removed. */
export const regions = sqliteTable(
  "regions",
  {
    id: text("id").primaryKey(),
    countryId: text("country_id")
      .notNull()
      .references(() => countries.id),
    /** Three digits, unique within the country; fixed once created (it is part of issued Block IDs). */
    code: text("code").notNull(),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("regions_country_code_idx").on(t.countryId, t.code)],
);

/** Code "000" is the region's "unassigned" town; the country's unassigned region has one. */
export const towns = sqliteTable(
  "towns",
  {
    id: text("id").primaryKey(),
    regionId: text("region_id")
      .notNull()
      .references(() => regions.id),
    /** Three digits, unique within the region; fixed once created. */
    code: text("code").notNull(),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("towns_region_code_idx").on(t.regionId, t.code)],
);

/**
 * The last serial handed out per Block ID prefix (`<calling code>-<region>-<town>`). Keyed by the
 * prefix, not the town: countries that share a calling code (the US and Canada, +1) can have towns
 * with the same prefix, and they then count together so that no number is issued twice.
 */
export const blockIdCounters = sqliteTable("block_id_counters", {
  prefix: text("prefix").primaryKey(),
  lastSerial: integer("last_serial").notNull(),
});

export const LOCATION_SOURCES = ["picked", "edge", "geolocation", "default", "admin", "user"] as const;
export type LocationSource = (typeof LOCATION_SOURCES)[number];

/**
 * Every Block ID ever issued. A user's current one has `retired_at` null (and is copied to
 * `users.block_id`); a move retires it and issues a new one. Rows are never deleted, so a number
 * is never issued again.
 */
export const blockIds = sqliteTable(
  "block_ids",
  {
    id: text("id").primaryKey(),
    value: text("value").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    townId: text("town_id")
      .notNull()
      .references(() => towns.id),
    serial: integer("serial").notNull(),
    /** Where the location behind this number came from. */
    source: text("source", { enum: LOCATION_SOURCES }).notNull(),
    issuedAt: integer("issued_at").notNull(),
    retiredAt: integer("retired_at"),
  },
  (t) => [
    index("block_ids_user_idx").on(t.userId, t.issuedAt),
    uniqueIndex("block_ids_current_idx").on(t.userId).where(sql`retired_at is null`),
    index("block_ids_town_idx").on(t.townId),
  ],
);

/** One-off seeds already applied (the starter regions and towns), so a removed one stays removed. */
export const referenceSeeds = sqliteTable("reference_seeds", {
  name: text("name").primaryKey(),
  appliedAt: integer("applied_at").notNull(),
});

export type CountryRow = typeof countries.$inferSelect;
export type RegionRow = typeof regions.$inferSelect;
export type TownRow = typeof towns.$inferSelect;
export type BlockIdRow = typeof blockIds.$inferSelect;
