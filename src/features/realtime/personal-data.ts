// The event log names a person in the channels of their own events (`user:<id>`). Rows are ids, not
// content, and live at most EVENTS_RETENTION_HOURS: not exported; the person's channel is cleared.
import { eq, or } from "drizzle-orm";
import { mentionsPerson, type PersonalDataSource } from "../privacy";
import { events } from "./schema";

export const realtimePersonalData: PersonalDataSource = {
  feature: "realtime",
  tables: [{ table: events, columns: ["channel", "payload"], erasure: "delete", note: "announcements of changes (ids only), pruned after the retention window" }],
  async exportFor() {
    return {};
  },
  // The person's own channel, and announcements elsewhere that carry their id (presence, membership
  // changes): ids only, minutes old, so they go rather than being rewritten.
  async erase({ tx, userId, person }) {
    const removed = await tx.delete(events).where(or(eq(events.channel, `user:${userId}`), mentionsPerson(events.payload, person, userId)));
    return removed.rowsAffected;
  },
};
