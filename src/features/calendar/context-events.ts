// A space's calendar for someone acting there through a module: the occurrences of the space's calendars the
// person can see, and a new event in the space's primary calendar with the person's rights (a module gets no more
// than its user has). The input is a narrower event (no attendees or guests: a module knows no one's address or id).
import { z } from "zod";
import type { Deps } from "../../deps";
import { AppError } from "../../lib/errors";
import type { RequestMeta } from "../audit";
import { placesOf, primaryCalendarOf, visibleCalendars } from "./calendars";
import type { CalendarContext } from "./schema";
import { checked, createEvent } from "./events";
import type { EventView } from "./event-read";
import { eventInput } from "./input";
import { checkWindow, occurrenceJson, occurrencesIn, parseWindowEdge } from "./occurrences";

export const moduleEventInput = eventInput.pick({ title: true, description: true, location: true, url: true, start: true, end: true, timeZone: true, allDay: true, rrule: true });
export type ModuleEventInput = z.infer<typeof moduleEventInput>;

const inContext = (row: { contextType: string; contextId: string }, type: CalendarContext, id: string) => row.contextType === type && row.contextId === id;

/** The occurrences in [from, to) of the space's calendars this person can see (UTC instants or local times in `zone`). */
export async function contextOccurrences(deps: Pick<Deps, "db" | "log">, userId: string, type: CalendarContext, contextId: string, window: { from: string; to: string; zone: string }) {
  const from = checked(() => parseWindowEdge(window.from, window.zone, "from"));
  const to = checked(() => parseWindowEdge(window.to, window.zone, "to"));
  checked(() => checkWindow(from, to));
  const places = await placesOf(deps, userId);
  const calendars = (await visibleCalendars(deps, places)).filter((c) => inContext(c.row, type, contextId));
  if (calendars.length === 0) return { occurrences: [], truncated: false };
  const { occurrences, truncated } = await occurrencesIn(deps, places, { from, to, zone: window.zone, calendarIds: calendars.map((c) => c.row.id) }, calendars);
  return { occurrences: occurrences.map(occurrenceJson), truncated };
}

/** A new event in the space's primary calendar, made as the person (their write access is checked as ever). */
export async function createContextEvent(deps: Deps, userId: string, type: CalendarContext, contextId: string, input: ModuleEventInput, meta: RequestMeta): Promise<EventView> {
  const calendar = await primaryCalendarOf(deps.db, type, contextId);
  if (!calendar) throw new AppError(404, "not_found", "This space has no calendar.");
  return createEvent(deps, userId, calendar.id, { ...input, allDay: input.allDay ?? false }, meta);
}
