// The calendar feature's service API: its live events for the page stream, and (for home cards) the occurrences
// of a person's calendars in a window. Its routes are in mount.ts.
export { calendarPageEvents } from "./page-events";
export { CALENDAR_CHANGED } from "./calendars";
export { homeAgenda, type HomeAgenda, type HomeAgendaItem } from "./home";
export { refreshDueSubscriptions } from "./subscriptions/subscriptions";
