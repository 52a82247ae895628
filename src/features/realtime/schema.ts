import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The event log: every change others should see, appended in the transaction that makes it. The id
 * is the stream's cursor (SSE `id:`): AUTOINCREMENT never reuses an id, and since SQLite commits
 * one writer at a time, ids become visible in order.
 */
export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Who may read it: `user:<id>`, `business:<id>`, `household:<id>`, `conversation:<id>`. */
    channel: text("channel").notNull(),
    /** What happened, e.g. `chat.message`, `notification.created`. */
    type: text("type").notNull(),
    /** A small JSON object of ids (never content a reader may not see). */
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("events_channel_id_idx").on(t.channel, t.id), index("events_at_idx").on(t.at)],
);

export type EventRow = typeof events.$inferSelect;
