// Comments on an event: read by whoever sees it in full; written by its organizer, its attendees and those who may
// change it; deleted by their author or the organizer. Each is announced to the event's calendar and to each
// attendee's own channel (an invitee may not see the calendar), so open drawers show it at once.
import { and, asc, eq } from "drizzle-orm";
import { writeTransaction } from "../../../db/transaction";
import type { Tx } from "../../../db/types";
import type { Deps } from "../../../deps";
import { newId } from "../../../lib/crypto";
import { AppError } from "../../../lib/errors";
import { recordAudit, type RequestMeta } from "../../audit";
import { users } from "../../auth";
import { enforceLimit } from "../../ratelimit";
import { channel, publish } from "../../realtime";
import { calendarChannels, mayEditEvents } from "../calendars";
import { eventFor, type LoadedEvent } from "../event-read";
import { calendarComments, type CalendarRow } from "../schema";

export const EVENT_COMMENTED = "calendar.commented";
const COMMENTS_PER_MINUTE = 20;
const MAX_COMMENTS = 500;

export interface CommentView {
  id: string;
  userId: string | null;
  name: string;
  body: string;
  createdAt: string;
  mine: boolean;
}

const mayComment = (loaded: LoadedEvent, userId: string) => loaded.row.createdBy === userId || loaded.attendeeIds.includes(userId) || mayEditEvents(loaded.calendar);

export async function listComments(deps: Pick<Deps, "db" | "log">, userId: string, eventId: string): Promise<{ comments: CommentView[]; mayComment: boolean }> {
  return commentsOn(deps, userId, await eventFor(deps, userId, eventId));
}

/** The comments of an event already loaded for the person (the drawer has it), and whether they may add one. */
export async function commentsOn(deps: Pick<Deps, "db">, userId: string, loaded: LoadedEvent): Promise<{ comments: CommentView[]; mayComment: boolean }> {
  const eventId = loaded.row.id;
  const rows = await deps.db
    .select({ id: calendarComments.id, userId: calendarComments.userId, name: users.name, body: calendarComments.body, createdAt: calendarComments.createdAt })
    .from(calendarComments)
    .leftJoin(users, eq(users.id, calendarComments.userId))
    .where(eq(calendarComments.eventId, eventId))
    .orderBy(asc(calendarComments.createdAt), asc(calendarComments.id))
    .limit(MAX_COMMENTS);
  return { comments: rows.map((r) => ({ id: r.id, userId: r.userId, name: r.name ?? "Someone who left", body: r.body, createdAt: new Date(r.createdAt).toISOString(), mine: r.userId === userId })), mayComment: mayComment(loaded, userId) };
}

async function announceComment(tx: Tx, deps: Pick<Deps, "now" | "live">, calendar: CalendarRow, eventId: string, attendeeIds: readonly string[]): Promise<void> {
  const names = new Set([...(await calendarChannels(tx, calendar)), ...attendeeIds.map(channel.user)]);
  await publish(tx, deps, ...[...names].map((name) => ({ channel: name, type: EVENT_COMMENTED, payload: { eventId } })));
}

export async function addComment(deps: Deps, userId: string, eventId: string, body: string, meta: RequestMeta): Promise<CommentView> {
  const loaded = await eventFor(deps, userId, eventId);
  if (!mayComment(loaded, userId)) throw new AppError(403, "forbidden", "Only the organizer, the attendees and those who may change the event comment on it.");
  await enforceLimit(deps, { bucket: `calendar-comment:${userId}`, max: COMMENTS_PER_MINUTE, windowMs: 60_000 }, "You are commenting very fast; wait a moment.");
  const now = deps.now();
  const row = { id: newId(), eventId, userId, body, createdAt: now };
  await writeTransaction(deps.db, async (tx) => {
    await tx.insert(calendarComments).values(row);
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "calendar.comment.added", targetType: "calendar_event", targetId: eventId, details: { commentId: row.id } });
    await announceComment(tx, deps, loaded.calendar.row, eventId, loaded.attendeeIds);
  });
  const [me] = await deps.db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return { id: row.id, userId, name: me?.name ?? "", body, createdAt: new Date(now).toISOString(), mine: true };
}

export async function deleteComment(deps: Deps, userId: string, eventId: string, commentId: string, meta: RequestMeta): Promise<void> {
  const loaded = await eventFor(deps, userId, eventId);
  const [comment] = await deps.db.select().from(calendarComments).where(and(eq(calendarComments.id, commentId), eq(calendarComments.eventId, eventId)));
  if (!comment) throw new AppError(404, "not_found", "There is no such comment.");
  if (comment.userId !== userId && loaded.row.createdBy !== userId) throw new AppError(403, "forbidden", "Only its author or the organizer may delete a comment.");
  await writeTransaction(deps.db, async (tx) => {
    await tx.delete(calendarComments).where(eq(calendarComments.id, commentId));
    await recordAudit(tx, deps.now(), meta, { actorUserId: userId, action: "calendar.comment.deleted", targetType: "calendar_event", targetId: eventId, details: { commentId } });
    await announceComment(tx, deps, loaded.calendar.row, eventId, loaded.attendeeIds);
  });
}
