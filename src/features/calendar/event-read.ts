// Reading one event: who may (its calendar's readers, or its invitees even where they cannot see the calendar) and
// what they see of it (the event, its attendees with their answers, its guests — addresses to editors only).
import { eq } from "drizzle-orm";
import type { Db, Tx } from "../../db/types";
import type { Deps } from "../../deps";
import { AppError } from "../../lib/errors";
import { users } from "../auth";
import { eventDetail } from "./access";
import { calendarFor, invitedView, mayEditEvents, placesOf, type Places, type VisibleCalendar } from "./calendars";
import { conferenceOf } from "./conference";
import { describeRule } from "./recurrence";
import { calendarAttendees, calendarEvents, calendarGuests, calendars, type CalendarEventRow } from "./schema";

export interface LoadedEvent {
  row: CalendarEventRow;
  calendar: VisibleCalendar & { places: Places };
  attendeeIds: string[];
}

/** An event the person may see in full; 404 otherwise (also when they see only its busy time). */
export async function eventFor(deps: Pick<Deps, "db" | "log">, userId: string, eventId: string): Promise<LoadedEvent> {
  const [row] = await deps.db.select().from(calendarEvents).where(eq(calendarEvents.id, eventId)).limit(1);
  const missing = new AppError(404, "not_found", "There is no such event, or you cannot see it.");
  if (!row) throw missing;
  const attendeeIds = (await deps.db.select({ userId: calendarAttendees.userId }).from(calendarAttendees).where(eq(calendarAttendees.eventId, eventId))).map((a) => a.userId);
  const visible = await calendarFor(deps, userId, row.calendarId).catch((error) => {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  });
  let calendar: VisibleCalendar & { places: Places };
  if (visible) calendar = visible;
  else if (attendeeIds.includes(userId)) {
    // Invited to an event of a calendar they cannot see: that event, read-only.
    const [calendarRow] = await deps.db.select().from(calendars).where(eq(calendars.id, row.calendarId)).limit(1);
    calendar = { ...invitedView(calendarRow!), places: await placesOf(deps, userId) };
  } else throw missing;
  if (eventDetail(calendar.access, { ...row, attendeeIds }, userId, calendar.row) !== "full") throw missing;
  return { row, calendar, attendeeIds };
}

async function attendeesOf(db: Db | Tx, eventId: string) {
  return db
    .select({ userId: calendarAttendees.userId, name: users.name, status: calendarAttendees.status, comment: calendarAttendees.comment, occurrenceAnswers: calendarAttendees.occurrenceAnswers, pending: calendarAttendees.pending })
    .from(calendarAttendees)
    .innerJoin(users, eq(users.id, calendarAttendees.userId))
    .where(eq(calendarAttendees.eventId, eventId))
    .orderBy(users.name);
}

export type EventView = Awaited<ReturnType<typeof eventView>>;

export async function eventView(db: Db | Tx, row: CalendarEventRow, calendar: VisibleCalendar) {
  return {
    id: row.id,
    calendarId: row.calendarId,
    uid: row.uid,
    recurrenceId: row.recurrenceId,
    reminders: row.reminders,
    title: row.title,
    description: row.description,
    location: row.location,
    url: row.url,
    conference: conferenceOf(row),
    color: row.color ?? calendar.row.color,
    start: row.start,
    end: row.end,
    timeZone: row.timeZone,
    allDay: row.allDay,
    rrule: row.rrule,
    recurrence: describeRule(row.rrule, row.start, row.timeZone),
    exdates: row.exdates,
    rdates: row.rdates,
    overrides: row.overrides,
    visibility: row.visibility,
    transparency: row.transparency,
    attendees: (await attendeesOf(db, row.id)).map(({ pending, ...a }) => ({ ...a, waitingForGuardian: pending !== null })),
    // Guests' addresses to those who may change the event; their names and answers to everyone who sees it.
    guests: (await db.select().from(calendarGuests).where(eq(calendarGuests.eventId, row.id)).orderBy(calendarGuests.email)).map((g) => ({ id: g.id, name: g.name, ...(mayEditEvents(calendar) ? { email: g.email } : {}), status: g.status, comment: g.comment, occurrenceAnswers: g.occurrenceAnswers })),
    sequence: row.sequence,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    canEdit: mayEditEvents(calendar),
  };
}

export async function getEvent(deps: Pick<Deps, "db" | "log">, userId: string, eventId: string): Promise<EventView> {
  const { row, calendar } = await eventFor(deps, userId, eventId);
  return eventView(deps.db, row, calendar);
}
