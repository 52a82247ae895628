// Telling attendees, inside the change's transaction: invited, the event moved (their answers asked again), or
// cancelled. In-app notifications (and email, by each person's choice); people outside get iMIP mail (guests.ts).
import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "../../../db/types";
import type { Deps } from "../../../deps";
import { users } from "../../auth";
import { notify } from "../../notifications";
import { calendarAttendees, type CalendarEventRow } from "../schema";
import { afterMove, type movedBy } from "./rsvp-rules";

export type Change = "invited" | "moved" | "cancelled";

const WHAT: Record<Change, (who: string, title: string, when: string) => string> = {
  invited: (who, title, when) => `${who} invited you to “${title}” (${when})`,
  moved: (who, title, when) => `${who} moved “${title}” (now ${when}): please answer again`,
  cancelled: (who, title, when) => `${who} cancelled “${title}” (${when})`,
};

const whenOf = (row: Pick<CalendarEventRow, "start" | "timeZone" | "allDay">) => (row.allDay ? row.start : `${row.start.replace("T", " ")}${row.timeZone ? ` ${row.timeZone}` : ""}`);

/** Notifies these attendees (never the one who made the change). */
export async function tellAttendees(tx: Tx, deps: Pick<Deps, "now" | "live">, row: CalendarEventRow, actorId: string, change: Change, userIds: readonly string[]): Promise<void> {
  const told = userIds.filter((id) => id !== actorId);
  if (told.length === 0) return;
  const [actor] = await tx.select({ name: users.name }).from(users).where(eq(users.id, actorId));
  const title = WHAT[change](actor?.name ?? "Someone", row.title, whenOf(row));
  for (const userId of told) await notify(tx, deps, userId, { kind: "calendar.invitation", title, url: change === "cancelled" ? "/calendar" : `/calendar/events/${row.id}` });
}

/** After the event's times changed: the answers asked again (all, or the moved occurrences'), and those attendees told. */
export async function resetAnswers(tx: Tx, deps: Pick<Deps, "now" | "live">, row: CalendarEventRow, actorId: string, moved: NonNullable<ReturnType<typeof movedBy>>): Promise<void> {
  const attendees = await tx.select().from(calendarAttendees).where(eq(calendarAttendees.eventId, row.id));
  for (const a of attendees) {
    const next = afterMove({ status: a.status, comment: a.comment, occurrenceAnswers: a.occurrenceAnswers }, moved);
    await tx.update(calendarAttendees).set({ ...next, pending: null }).where(and(eq(calendarAttendees.eventId, row.id), eq(calendarAttendees.userId, a.userId)));
  }
  await tellAttendees(tx, deps, row, actorId, "moved", attendees.map((a) => a.userId));
}

/** The attendees of these events (for telling them of a deletion before the rows go). */
export async function attendeeIdsOf(tx: Tx, eventIds: readonly string[]): Promise<string[]> {
  if (eventIds.length === 0) return [];
  return (await tx.select({ userId: calendarAttendees.userId }).from(calendarAttendees).where(inArray(calendarAttendees.eventId, [...eventIds]))).map((a) => a.userId);
}
