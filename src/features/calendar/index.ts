// The calendar feature's service API: its live event's type, the occurrences of a person's calendars in a window
// (for home cards), and the scheduled refresh of subscribed feeds. Its routes and page-stream renderers are in mount.ts.
export { CALENDAR_CHANGED } from "./calendars";
export { homeAgenda, type HomeAgenda, type HomeAgendaItem } from "./home";
export { refreshDueSubscriptions } from "./subscriptions/subscriptions";
export { sendDueReminders } from "./reminders/reminders";
export { contextOccurrences, createContextEvent, moduleEventInput, type ModuleEventInput } from "./context-events";
export { viewSettingsOf } from "./calendars";
