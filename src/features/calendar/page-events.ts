import type { PageRenderer } from "../realtime";
import { importEvent, importProgressHtml } from "../../../views/calendar/CalendarImport";
import { CALENDAR_CHANGED } from "./calendars";
import { IMPORT_PROGRESS, type ImportProgress } from "./ical/import";
import { EVENT_COMMENTED } from "./rsvp/comments";

export const calendarPageEvents: Record<string, PageRenderer> = {
  /** A calendar or one of its events changed: the page stream sends `calendar`, and every grid on the page (hx-trigger="sse:calendar") re-fetches itself. */
  [CALENDAR_CHANGED]: () => [{ event: "calendar", data: "" }],
  /** A comment added or deleted: the event's people panel (hx-trigger="sse:comments-<eventId>") re-fetches itself. */
  [EVENT_COMMENTED]: (_deps, row) => [{ event: `comments-${String(row.payload.eventId)}`, data: "" }],
  /** An import's progress, on the importer's own channel: the bar of the form that sent it (sse-swap="import-<id>"). */
  [IMPORT_PROGRESS]: async (_deps, row) => {
    const progress = row.payload as unknown as ImportProgress;
    return [{ event: importEvent(progress.importId), data: String(await importProgressHtml(progress)) }];
  },
};
