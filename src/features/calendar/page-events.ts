import type { PageRenderer } from "../realtime";
import { CALENDAR_CHANGED } from "./calendars";

/** A calendar or one of its events changed: the page stream sends `calendar`, and every grid on the page (hx-trigger="sse:calendar") re-fetches itself. */
export const calendarPageEvents: Record<string, PageRenderer> = { [CALENDAR_CHANGED]: () => [{ event: "calendar", data: "" }] };
