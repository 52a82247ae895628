// Answering invitations: an attendee answers for the series or one occurrence (with a comment); a teen's answer to
// an event outside their household waits for a guardian, who approves or declines it; children cannot answer. Each
// answer is written with its audit entry and announced on the event's calendar, so the organizer sees it live.
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { writeTransaction } from "../../../db/transaction";
import type { Deps } from "../../../deps";
import { AppError } from "../../../lib/errors";
import { recordAudit, type RequestMeta } from "../../audit";
import { users } from "../../auth";
import { householdPlacesOf, listHouseholdMembers } from "../../households";
import { notify } from "../../notifications";
import { channel } from "../../realtime";
import { announce } from "../calendars";
import { eventFor } from "../event-read";
import { calendarAttendees, calendarEvents, calendars, type PendingAnswer, type RsvpStatus } from "../schema";
import { answeredOccurrence, answerRoute, withAnswer } from "./rsvp-rules";

export interface AnswerInput {
  status: Exclude<RsvpStatus, "needs-action">;
  occurrence?: string | undefined;
  comment?: string | undefined;
}

export type AnswerOutcome = { applied: true; status: RsvpStatus } | { applied: false; waitingFor: "guardian" };

const eventPath = (eventId: string) => `/calendar/events/${eventId}`;

/** The attendee's answer; 403 when they are not invited (or a child), a guardian's approval first for a teen outside their household. */
export async function answerInvitation(deps: Deps, userId: string, eventId: string, input: AnswerInput, meta: RequestMeta): Promise<AnswerOutcome> {
  const { row, calendar } = await eventFor(deps, userId, eventId);
  const occurrence = answeredOccurrence(row, input.occurrence, calendar.row.timeZone);
  const comment = input.comment?.trim() || null;
  const route = answerRoute(await householdPlacesOf(deps.db, userId), calendar.row);
  if (route.kind === "refused") throw new AppError(403, "forbidden", route.reason);
  const now = deps.now();
  return writeTransaction(deps.db, async (tx) => {
    const [attendee] = await tx.select().from(calendarAttendees).where(and(eq(calendarAttendees.eventId, eventId), eq(calendarAttendees.userId, userId)));
    if (!attendee) throw new AppError(403, "not_invited", "You are not invited to this event.");
    if (route.kind === "guardian") {
      const pending: PendingAnswer = { status: input.status, occurrence, comment, askedAt: now };
      await tx.update(calendarAttendees).set({ pending }).where(and(eq(calendarAttendees.eventId, eventId), eq(calendarAttendees.userId, userId)));
      const [teen] = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId));
      const guardians = new Set<string>();
      for (const householdId of route.householdIds) for (const m of await listHouseholdMembers(deps, householdId)) if (m.role === "owner" || m.role === "adult") guardians.add(m.userId);
      for (const guardian of guardians) await notify(tx, deps, guardian, { kind: "calendar.approval", title: `${teen?.name ?? "A teen"} wants to answer “${row.title}”: ${input.status}`, body: comment ?? undefined, url: "/calendar/approvals" });
      await recordAudit(tx, now, meta, { actorUserId: userId, action: "calendar.rsvp.asked", targetType: "calendar_event", targetId: eventId, details: { status: input.status, occurrence } });
      return { applied: false, waitingFor: "guardian" } as const;
    }
    const next = withAnswer({ status: attendee.status, comment: attendee.comment, occurrenceAnswers: attendee.occurrenceAnswers }, input.status, occurrence, comment);
    await tx.update(calendarAttendees).set({ ...next, respondedAt: now, pending: null }).where(and(eq(calendarAttendees.eventId, eventId), eq(calendarAttendees.userId, userId)));
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "calendar.rsvp", targetType: "calendar_event", targetId: eventId, details: { status: input.status, occurrence } });
    await announce(tx, deps, calendar.row, { eventId, change: "rsvp" }, [channel.user(userId)]);
    if (row.createdBy && row.createdBy !== userId) {
      const [who] = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId));
      await notify(tx, deps, row.createdBy, { kind: "calendar.rsvp", title: `${who?.name ?? "Someone"} ${input.status === "accepted" ? "accepted" : input.status === "declined" ? "declined" : "may come to"} “${row.title}”${occurrence ? ` (${occurrence.replace("T", " ")})` : ""}`, body: comment ?? undefined, url: eventPath(eventId) });
    }
    return { applied: true, status: input.status } as const;
  });
}

export interface PendingApproval {
  eventId: string;
  title: string;
  start: string;
  teenId: string;
  teenName: string;
  status: RsvpStatus;
  occurrence: string | null;
  comment: string | null;
}

/** Households where the person is an owner or adult, and the teens in them. */
async function teensOf(deps: Deps, guardianId: string): Promise<Set<string>> {
  const teens = new Set<string>();
  for (const [householdId, place] of await householdPlacesOf(deps.db, guardianId)) {
    if (place.role !== "owner" && place.role !== "adult") continue;
    for (const m of await listHouseholdMembers(deps, householdId)) if (m.role === "teen") teens.add(m.userId);
  }
  return teens;
}

/** The teens' answers waiting for this guardian. */
export async function pendingApprovals(deps: Deps, guardianId: string): Promise<PendingApproval[]> {
  const teens = await teensOf(deps, guardianId);
  if (teens.size === 0) return [];
  const rows = await deps.db
    .select({ eventId: calendarAttendees.eventId, teenId: calendarAttendees.userId, pending: calendarAttendees.pending, title: calendarEvents.title, start: calendarEvents.start, teenName: users.name })
    .from(calendarAttendees)
    .innerJoin(calendarEvents, eq(calendarEvents.id, calendarAttendees.eventId))
    .innerJoin(users, eq(users.id, calendarAttendees.userId))
    .where(and(inArray(calendarAttendees.userId, [...teens]), isNotNull(calendarAttendees.pending)));
  return rows.filter((r) => r.pending).map((r) => ({ eventId: r.eventId, title: r.title, start: r.start, teenId: r.teenId, teenName: r.teenName, status: r.pending!.status, occurrence: r.pending!.occurrence, comment: r.pending!.comment }));
}

/** A guardian approves (the answer stands) or declines (it is dropped) a teen's waiting answer. */
export async function decideApproval(deps: Deps, guardianId: string, eventId: string, teenId: string, approve: boolean, meta: RequestMeta): Promise<void> {
  if (!(await teensOf(deps, guardianId)).has(teenId)) throw new AppError(404, "not_found", "There is no such answer waiting for you.");
  const now = deps.now();
  await writeTransaction(deps.db, async (tx) => {
    const [attendee] = await tx.select().from(calendarAttendees).where(and(eq(calendarAttendees.eventId, eventId), eq(calendarAttendees.userId, teenId)));
    if (!attendee?.pending) throw new AppError(404, "not_found", "There is no such answer waiting for you.");
    const [event] = await tx.select().from(calendarEvents).where(eq(calendarEvents.id, eventId));
    const pending = attendee.pending;
    if (approve) {
      const next = withAnswer({ status: attendee.status, comment: attendee.comment, occurrenceAnswers: attendee.occurrenceAnswers }, pending.status, pending.occurrence, pending.comment);
      await tx.update(calendarAttendees).set({ ...next, respondedAt: now, pending: null }).where(and(eq(calendarAttendees.eventId, eventId), eq(calendarAttendees.userId, teenId)));
    } else await tx.update(calendarAttendees).set({ pending: null }).where(and(eq(calendarAttendees.eventId, eventId), eq(calendarAttendees.userId, teenId)));
    await recordAudit(tx, now, meta, { actorUserId: guardianId, action: approve ? "calendar.rsvp.approved" : "calendar.rsvp.refused", targetType: "calendar_event", targetId: eventId, details: { teenId, status: pending.status } });
    await notify(tx, deps, teenId, { kind: "calendar.approval", title: `Your answer to “${event?.title ?? "an event"}” was ${approve ? "approved" : "not approved"}.`, url: eventPath(eventId) });
    if (approve && event) {
      const [calendarRow] = await tx.select().from(calendars).where(eq(calendars.id, event.calendarId));
      if (calendarRow) await announce(tx, deps, calendarRow, { eventId, change: "rsvp" });
    }
  });
}
