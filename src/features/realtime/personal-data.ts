// The event log names a person in the channels of their own events (`user:<id>`). Rows are ids, not
// content, and live at most EVENTS_RETENTION_HOURS: not exported; the person's channel is cleared.
import type { PersonalDataSource } from "../privacy";
import { events } from "./schema";

export const realtimePersonalData: PersonalDataSource = {
  feature: "realtime",
  tables: [{ table: events, columns: ["channel", "payload"], erasure: "delete", note: "announcements of changes (ids only), pruned after the retention window" }],
  async exportFor() {
    return {};
  },
};
