import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../auth/schema";

/** What a user chooses: automatic (online or away by activity), appear away, or do not disturb. */
export const PRESENCE_MODES = ["auto", "away", "dnd"] as const;
export type PresenceMode = (typeof PRESENCE_MODES)[number];
/** What others see. */
export const PRESENCE_STATUSES = ["online", "away", "dnd", "offline"] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

/**
 * One row per open event stream (tab, device, script), on whichever instance holds it. A row is
 * live while `expires_at` is in the future: the instance pushes it forward while the stream is
 * open, a closed stream keeps a short grace (a reload or a planned reconnect is not "offline"),
 * and a crashed instance's rows simply run out.
 */
export const presenceConnections = sqliteTable(
  "presence_connections",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** LiveSignal.instanceId of the instance holding the stream. */
    instanceId: text("instance_id").notNull(),
    openedAt: integer("opened_at").notNull(),
    /** Set when the stream ended; such a row is no longer refreshed and runs out after the grace. */
    closedAt: integer("closed_at"),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [
    index("presence_connections_user_idx").on(t.userId, t.expiresAt),
    index("presence_connections_instance_idx").on(t.instanceId, t.closedAt),
    index("presence_connections_expires_idx").on(t.expiresAt),
  ],
);

/** A user's chosen status, their last activity, and the status last announced on the event log. */
export const userStatus = sqliteTable(
  "user_status",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    mode: text("mode", { enum: PRESENCE_MODES }).notNull().default("auto"),
    /** A short plain-text status ("In a meeting"), at most 100 characters; "" for none. */
    text: text("text").notNull().default(""),
    /** When "do not disturb" ends by itself; null: until the user changes it. */
    dndUntil: integer("dnd_until"),
    /** The last request of this user (at most once a minute is written); 0 when never. */
    lastActiveAt: integer("last_active_at").notNull().default(0),
    /** What presence.changed last said about this user, so each change is announced once, by one instance. */
    announced: text("announced", { enum: PRESENCE_STATUSES }).notNull().default("offline"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("user_status_announced_idx").on(t.announced)],
);
