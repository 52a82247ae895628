// Events and series: create, change and delete, each change for "this occurrence", "this and following" or "all"
// (the pure edits of recurrence/edits.ts), checked by the recurrence engine, and written with its audit entry and
// live event in one transaction. Reading one (who may, and what they see) is event-read.ts.
import { and, count, eq, notInArray } from "drizzle-orm";
import { writeTransaction } from "../../db/transaction";
import type { Tx } from "../../db/types";
import type { Deps } from "../../deps";
import { newId } from "../../lib/crypto";
import { AppError, validationError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { channel } from "../realtime";
import { householdCoMembers, listHouseholdMembers } from "../households";
import { businessCoMembers, selectMembers } from "../workspace";
import { announce, calendarFor, requireAccess } from "./calendars";
import { eventFor, eventView, type EventView, type LoadedEvent } from "./event-read";
import { guestsAfterMove, guestsCancelled, mailGuests, syncGuests, type GuestMail } from "./rsvp/guests";
import { attendeeIdsOf, resetAnswers, tellAttendees } from "./rsvp/invitations";
import { movedBy } from "./rsvp/rsvp-rules";
import type { EventInput, EventPatch, Scope } from "./input";
import {
  cancelOccurrence,
  dropStrayExceptions,
  formatLocalDate,
  formatLocalDateTime,
  moveSeries,
  overrideOccurrence,
  parseLocalDate,
  parseLocalDateTime,
  RecurrenceError,
  seriesBounds,
  splitSeries,
} from "./recurrence";
import { seriesOf, type EventSeries } from "./event-series";
import { calendarAttendees, calendarEvents, calendarGuests, type CalendarEventRow, type CalendarRow, type OccurrenceData } from "./schema";

/** The invitees' own channels: an invitee who cannot see the calendar hears of the event's changes there. */
const inviteeChannels = (userIds: readonly string[]) => [...new Set(userIds)].map(channel.user);

/** A RecurrenceError as the 400 the API answers: its field named ("rrule" for "rrule.BYDAY", with the part in the message). */
export function recurrenceFailure(error: RecurrenceError): AppError {
  const field = error.field.split(/[.[]/)[0] || "rrule";
  const message = error.field.startsWith("rrule.") ? `${error.field.slice(6)}: ${error.message}` : error.message;
  return new AppError(400, "validation_failed", message, { fieldErrors: { [field === "window" ? "to" : field]: [message] }, field: error.field });
}

/** Runs a recurrence computation; its RecurrenceError becomes the 400 naming the field. */
export function checked<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RecurrenceError) throw recurrenceFailure(error);
    throw error;
  }
}

/** Events one calendar holds at most (a series counts once): enough for any real calendar, a wall for a script gone wrong. */
export const MAX_EVENTS_PER_CALENDAR = 20_000;

/** Inside the write transaction, so a burst of creations cannot pass the cap together. */
async function requireRoom(tx: Tx, calendarId: string): Promise<void> {
  const [row] = await tx.select({ n: count() }).from(calendarEvents).where(eq(calendarEvents.calendarId, calendarId));
  if ((row?.n ?? 0) >= MAX_EVENTS_PER_CALENDAR) throw new AppError(409, "calendar_full", `This calendar holds ${MAX_EVENTS_PER_CALENDAR.toLocaleString("en")} events, its limit: delete some or use another calendar.`);
}

const DATA_FIELDS = ["title", "description", "location", "url", "color", "visibility", "transparency"] as const;
/** Fields of the whole event that change nothing about its times: a "this occurrence" edit may not carry them. */
const SERIES_ONLY = ["rrule", "exdates", "rdates", "allDay", "timeZone", "calendarId", "attendees", "guests", "reminders"] as const;

function dataOf(patch: EventPatch): OccurrenceData {
  const data: OccurrenceData = {};
  for (const key of DATA_FIELDS) if (patch[key] !== undefined) Object.assign(data, { [key]: patch[key] });
  return data;
}

/** The people of the calendar's context among `ids`; anyone else is a 400 naming them. */
async function checkAttendees(deps: Pick<Deps, "db">, calendar: CalendarRow, ids: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  let members: Set<string>;
  if (calendar.contextType === "business") members = new Set((await selectMembers(deps.db, calendar.contextId, { userIds: wanted })).map((m) => m.userId));
  else if (calendar.contextType === "household") members = new Set((await listHouseholdMembers(deps, calendar.contextId)).map((m) => m.userId));
  else {
    const owner = calendar.ownerId ?? "";
    const [a, b] = await Promise.all([businessCoMembers(deps.db, owner, wanted), householdCoMembers(deps.db, owner, wanted)]);
    members = new Set([...a, ...b, owner]);
  }
  const strangers = wanted.filter((id) => !members.has(id));
  if (strangers.length) throw validationError({ attendees: [`${strangers.length === 1 ? "One attendee is" : `${strangers.length} attendees are`} not a member of this calendar's ${calendar.contextType === "personal" ? "businesses or households" : calendar.contextType}.`] });
  return wanted;
}

/** Wall-clock end that keeps the series' length from a new start (both in the series' form). */
function endKeepingLength(series: EventSeries, start: string): string {
  const allDay = !series.start.includes("T");
  const parse = allDay ? parseLocalDate : parseLocalDateTime;
  const [s0, e0, s1] = [parse(series.start), parse(series.end), parse(start)];
  if (s0 === null || e0 === null || s1 === null) throw new RecurrenceError("start", allDay ? "start must be a date, as the event is all-day." : "start must be a local date-time such as 2026-03-08T09:00.");
  return (allDay ? formatLocalDate : formatLocalDateTime)(s1 + (e0 - s0));
}

/** The whole series changed ("all"): times move it with its exceptions; a new rule drops exceptions it no longer has. */
function changeAll(series: EventSeries, patch: EventPatch, calendarZone: string): EventSeries {
  const allDay = patch.allDay ?? !series.start.includes("T");
  let next: EventSeries;
  if (allDay !== !series.start.includes("T")) {
    if (patch.start === undefined || patch.end === undefined) throw validationError({ start: ["Changing between all-day and timed needs a new start and end."] });
    next = { start: patch.start, end: patch.end, zone: allDay ? null : (patch.timeZone ?? series.zone ?? calendarZone), rrule: patch.rrule !== undefined ? patch.rrule : series.rrule, exdates: patch.exdates ?? [], rdates: patch.rdates ?? [], overrides: [] };
    return next.rrule ? dropStrayExceptions(next) : next;
  }
  next = series;
  if (patch.start !== undefined || patch.end !== undefined || (patch.timeZone !== undefined && !allDay)) {
    next = moveSeries(next, { start: patch.start ?? next.start, ...(patch.end !== undefined ? { end: patch.end } : patch.start === undefined ? { end: next.end } : {}), ...(patch.timeZone !== undefined && !allDay ? { zone: patch.timeZone } : {}) });
  }
  if (patch.exdates !== undefined) next = { ...next, exdates: patch.exdates };
  if (patch.rdates !== undefined) next = { ...next, rdates: patch.rdates };
  const rrule = patch.rrule === undefined ? next.rrule : patch.rrule === "" ? null : patch.rrule;
  if (rrule !== next.rrule) {
    next = { ...next, rrule };
    next = rrule ? dropStrayExceptions(next) : { ...next, exdates: [], overrides: [] };
  }
  return next;
}

/** Events repeat at most every minute: a per-second rule (valid iCalendar, and bounded by the engine) is refused at the edge. */
function refuseSubMinute(rrule: string | null | undefined): void {
  if (rrule && /(^|;)\s*FREQ=SECONDLY\s*(;|$)/i.test(rrule)) throw recurrenceFailure(new RecurrenceError("rrule.FREQ", "An event cannot repeat every second: choose minutes, hours, days or longer."));
}

export function rowFields(series: EventSeries): Pick<CalendarEventRow, "start" | "end" | "timeZone" | "allDay" | "rrule" | "exdates" | "rdates" | "overrides" | "firstStartMs" | "lastEndMs"> {
  refuseSubMinute(series.rrule);
  const bounds = checked(() => seriesBounds(series));
  const allDay = !series.start.includes("T");
  return {
    start: series.start,
    end: series.end,
    timeZone: allDay ? null : series.zone,
    allDay,
    rrule: series.rrule || null,
    exdates: [...(series.exdates ?? [])],
    rdates: [...(series.rdates ?? [])],
    overrides: [...(series.overrides ?? [])],
    ...bounds,
  };
}

export async function createEvent(deps: Deps, userId: string, calendarId: string, input: EventInput, meta: RequestMeta): Promise<EventView> {
  const calendar = await calendarFor(deps, userId, calendarId);
  requireAccess(calendar, "write", "add events");
  const series: EventSeries = {
    start: input.start,
    end: input.end,
    zone: input.allDay ? null : (input.timeZone ?? calendar.row.timeZone),
    rrule: input.rrule ? input.rrule : null,
    exdates: input.exdates ?? [],
    rdates: input.rdates ?? [],
    overrides: [],
  };
  if (input.allDay && input.start.includes("T")) throw validationError({ start: ["An all-day event starts on a date such as 2026-03-08."] });
  if (!input.allDay && !input.start.includes("T")) throw validationError({ start: ["start must be a local date-time such as 2026-03-08T09:00 (or set allDay)."] });
  const fields = rowFields(series);
  const attendees = await checkAttendees(deps, calendar.row, input.attendees ?? []);
  const now = deps.now();
  const row: CalendarEventRow = {
    id: newId(),
    calendarId,
    uid: `${newId()}@blockonblock`,
    recurrenceId: null,
    reminders: input.reminders ?? null,
    title: input.title,
    description: input.description ?? "",
    location: input.location ?? "",
    url: input.url ?? "",
    color: input.color ?? null,
    ...fields,
    visibility: input.visibility ?? "default",
    transparency: input.transparency ?? (input.allDay ? "transparent" : "opaque"),
    sequence: 0,
    createdBy: userId,
    createdAt: now,
    updatedAt: now,
  };
  const { view, mails } = await writeTransaction(deps.db, async (tx) => {
    await requireRoom(tx, calendarId);
    await tx.insert(calendarEvents).values(row);
    if (attendees.length) await tx.insert(calendarAttendees).values(attendees.map((id) => ({ eventId: row.id, userId: id, createdAt: now })));
    await tellAttendees(tx, deps, row, userId, "invited", attendees);
    const mails = await syncGuests(tx, deps, row.id, input.guests ?? []);
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "calendar.event.created", targetType: "calendar_event", targetId: row.id, details: { calendarId, recurring: row.rrule !== null } });
    await announce(tx, deps, calendar.row, { eventId: row.id, change: "created" }, inviteeChannels(attendees));
    return { view: await eventView(tx, row, calendar), mails };
  });
  await mailGuests(deps, row, userId, mails);
  return view;
}

async function requireEditable(deps: Deps, userId: string, eventId: string): Promise<LoadedEvent> {
  const loaded = await eventFor(deps, userId, eventId);
  requireAccess(loaded.calendar, "write", "change events");
  return loaded;
}

function occurrenceOf(scope: Scope, row: CalendarEventRow): string | null {
  if (scope.scope === "all" || !row.rrule) return null;
  if (!scope.occurrence) throw validationError({ occurrence: [`Say which occurrence (its original start) to change for scope=${scope.scope}.`] });
  return scope.occurrence;
}

/** Changes an event: the whole series, one occurrence, or this one and the following (a split). Returns the event as it now is (the new half for a split). */
export async function updateEvent(deps: Deps, userId: string, eventId: string, patch: EventPatch, scope: Scope, meta: RequestMeta): Promise<EventView> {
  const { row, calendar } = await requireEditable(deps, userId, eventId);
  const occurrence = occurrenceOf(scope, row);
  const now = deps.now();
  const data = dataOf(patch);
  let target = calendar;
  if (patch.calendarId !== undefined && patch.calendarId !== row.calendarId) {
    if (occurrence) throw validationError({ calendarId: ["Only a whole series moves to another calendar."] });
    target = await calendarFor(deps, userId, patch.calendarId, calendar.places);
    requireAccess(target, "write", "add events");
  }
  const attendees = patch.attendees === undefined ? undefined : await checkAttendees(deps, target.row, patch.attendees);

  if (occurrence && scope.scope === "this") {
    const bad = SERIES_ONLY.filter((key) => patch[key] !== undefined);
    if (bad.length) throw validationError(Object.fromEntries(bad.map((key) => [key, ["This changes the whole series: use scope=all or scope=following."]])));
    const series = seriesOf(row);
    const start = patch.start;
    const end = patch.end ?? (start !== undefined ? endKeepingLength(series, start) : undefined);
    const changed = checked(() => overrideOccurrence(series, occurrence, { start: start ?? null, end: end ?? null }));
    const overrides = [...(changed.overrides ?? [])];
    const last = overrides.pop()!;
    const merged = { ...changed, overrides: [...overrides, { ...last, data: { ...last.data, ...data } }] };
    const fields = rowFields(merged);
    const { view, mails, next } = await writeTransaction(deps.db, async (tx) => {
      const next = { ...row, ...fields, sequence: row.sequence + 1, updatedAt: now };
      await tx.update(calendarEvents).set({ ...fields, sequence: next.sequence, updatedAt: now }).where(eq(calendarEvents.id, row.id));
      const moved = movedBy(row, next);
      if (moved) await resetAnswers(tx, deps, next, userId, moved);
      const mails = moved ? await guestsAfterMove(tx, row.id, moved) : [];
      await recordAudit(tx, now, meta, { actorUserId: userId, action: "calendar.event.updated", targetType: "calendar_event", targetId: row.id, details: { scope: "this", occurrence: last.recurrenceId, fields: Object.keys(patch) } });
      await announce(tx, deps, calendar.row, { eventId: row.id, change: "updated" }, inviteeChannels(await attendeeIdsOf(tx, [row.id])));
      return { view: await eventView(tx, next, calendar), mails, next };
    });
    await mailGuests(deps, next, row.createdBy, mails);
    return view;
  }

  if (occurrence && scope.scope === "following") {
    const { before, after } = checked(() => splitSeries(seriesOf(row), occurrence));
    if (before) {
      const afterSeries = checked(() => changeAll(after, patch, target.row.timeZone));
      const beforeFields = rowFields(before);
      const afterFields = rowFields(afterSeries);
      const carried = attendees ?? (await deps.db.select({ userId: calendarAttendees.userId }).from(calendarAttendees).where(eq(calendarAttendees.eventId, row.id))).map((a) => a.userId);
      const newRow: CalendarEventRow = { ...row, ...data, ...afterFields, id: newId(), uid: `${newId()}@blockonblock`, recurrenceId: null, calendarId: target.row.id, sequence: 0, createdBy: userId, createdAt: now, updatedAt: now };
      const { view, mails } = await writeTransaction(deps.db, async (tx) => {
        await tx.update(calendarEvents).set({ ...beforeFields, sequence: row.sequence + 1, updatedAt: now }).where(eq(calendarEvents.id, row.id));
        await requireRoom(tx, newRow.calendarId);
        await tx.insert(calendarEvents).values(newRow);
        if (carried.length) await tx.insert(calendarAttendees).values(carried.map((id) => ({ eventId: newRow.id, userId: id, createdAt: now })));
        // The following occurrences are a new series: asked afresh, and told when its times changed.
        if (movedBy({ ...after, timeZone: after.zone, rrule: after.rrule ?? null, rdates: after.rdates ?? [], overrides: after.overrides ?? [] }, newRow)) await tellAttendees(tx, deps, newRow, userId, "moved", carried);
        await recordAudit(tx, now, meta, { actorUserId: userId, action: "calendar.event.split", targetType: "calendar_event", targetId: row.id, details: { occurrence, newEventId: newRow.id, fields: Object.keys(patch) } });
        // Guests are invited to the new series too (the earlier occurrences keep theirs).
        const guests = await tx.select({ email: calendarGuests.email, name: calendarGuests.name }).from(calendarGuests).where(eq(calendarGuests.eventId, row.id));
        const mails = await syncGuests(tx, deps, newRow.id, guests);
        await announce(tx, deps, calendar.row, { eventId: row.id, change: "split" }, inviteeChannels(carried));
        return { view: await eventView(tx, newRow, target), mails };
      });
      await mailGuests(deps, newRow, row.createdBy, mails);
      return view;
    }
    // Splitting at the first occurrence changes them all.
  }

  const series = checked(() => changeAll(seriesOf(row), patch, target.row.timeZone));
  const fields = rowFields(series);
  const next: CalendarEventRow = { ...row, ...data, ...fields, ...(patch.reminders !== undefined ? { reminders: patch.reminders } : {}), calendarId: target.row.id, sequence: row.sequence + 1, updatedAt: now };
  const { view, mails } = await writeTransaction(deps.db, async (tx) => {
    await tx.update(calendarEvents).set({ ...data, ...fields, calendarId: target.row.id, sequence: next.sequence, updatedAt: now }).where(eq(calendarEvents.id, row.id));
    const invitedBefore = await attendeeIdsOf(tx, [row.id]);
    const moved = movedBy(row, next);
    if (moved) await resetAnswers(tx, deps, next, userId, moved);
    const mails = moved ? await guestsAfterMove(tx, row.id, moved) : [];
    if (patch.guests !== undefined) mails.push(...(await syncGuests(tx, deps, row.id, patch.guests)));
    if (attendees !== undefined) {
      const before = new Set(invitedBefore);
      await tx.delete(calendarAttendees).where(and(eq(calendarAttendees.eventId, row.id), attendees.length ? notInArray(calendarAttendees.userId, attendees) : undefined));
      if (attendees.length) await tx.insert(calendarAttendees).values(attendees.map((id) => ({ eventId: row.id, userId: id, createdAt: now }))).onConflictDoNothing();
      await tellAttendees(tx, deps, next, userId, "invited", attendees.filter((id) => !before.has(id)));
    }
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "calendar.event.updated", targetType: "calendar_event", targetId: row.id, details: { scope: "all", fields: Object.keys(patch) } });
    // Those invited before and after the change: an invitee who cannot see the calendar still shows the event.
    const invitees = inviteeChannels([...invitedBefore, ...(attendees ?? [])]);
    await announce(tx, deps, calendar.row, { eventId: row.id, change: "updated" }, invitees);
    if (target !== calendar) await announce(tx, deps, target.row, { eventId: row.id, change: "updated" });
    return { view: await eventView(tx, next, target), mails };
  });
  await mailGuests(deps, next, row.createdBy, mails);
  return view;
}

/** Deletes one occurrence (an EXDATE), this one and the following (the series ends before it), or the whole event. */
export async function deleteEvent(deps: Deps, userId: string, eventId: string, scope: Scope, meta: RequestMeta): Promise<void> {
  const { row, calendar } = await requireEditable(deps, userId, eventId);
  const occurrence = occurrenceOf(scope, row);
  const now = deps.now();
  let remaining: EventSeries | null = null;
  if (occurrence && scope.scope === "this") remaining = checked(() => cancelOccurrence(seriesOf(row), occurrence));
  if (occurrence && scope.scope === "following") remaining = checked(() => splitSeries(seriesOf(row), occurrence)).before;
  const mails = await writeTransaction(deps.db, async (tx) => {
    let mails: GuestMail[] = [];
    if (remaining) await tx.update(calendarEvents).set({ ...rowFields(remaining), sequence: row.sequence + 1, updatedAt: now }).where(eq(calendarEvents.id, row.id));
    const invitees = await attendeeIdsOf(tx, [row.id]);
    if (!remaining) {
      await tellAttendees(tx, deps, row, userId, "cancelled", invitees);
      mails = await guestsCancelled(tx, row.id);
      await tx.delete(calendarEvents).where(eq(calendarEvents.id, row.id));
    }
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "calendar.event.deleted", targetType: "calendar_event", targetId: row.id, details: { scope: remaining ? scope.scope : "all", occurrence } });
    await announce(tx, deps, calendar.row, { eventId: row.id, change: "deleted" }, inviteeChannels(invitees));
    return mails;
  });
  await mailGuests(deps, row, row.createdBy, mails);
}
