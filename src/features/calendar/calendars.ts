// Calendars as one person sees them: every calendar of their contexts and those shared with them, each with the
// access accessFor() gives; and the changes to calendars and their shares (each with an audit entry and a live
// event, in one transaction).
import { and, count, eq, inArray, or } from "drizzle-orm";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import type { Deps } from "../../deps";
import { newId } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { users } from "../auth";
import { householdCoMembers, householdPlacesOf, type HouseholdPlace } from "../households";
import { channel, publish } from "../realtime";
import { businessCoMembers, businessPlacesOf, memberSeesModule, type BusinessPlace } from "../workspace";
import { accessFor, atLeast, mayCreateCalendarIn, shareRefusal, type Access, type AskerPlace } from "./access";
import { calendars, calendarShares, calendarViewSettings, type CalendarContext, type CalendarRow, type MemberAccess, type ShareAccess } from "./schema";

export const CALENDAR_CHANGED = "calendar.changed";
/** Calendars one context holds at most. */
export const MAX_CALENDARS_PER_CONTEXT = 50;
const CALENDAR_MODULE = "calendar";

/** Where a person stands in each of their contexts (read once per request). */
export interface Places {
  userId: string;
  /** Businesses whose calendar module the person may use. */
  businesses: Map<string, BusinessPlace>;
  households: Map<string, HouseholdPlace>;
}

export async function placesOf(deps: Pick<Deps, "db" | "log">, userId: string): Promise<Places> {
  const [allBusinesses, households] = await Promise.all([businessPlacesOf(deps.db, userId), householdPlacesOf(deps.db, userId)]);
  const seen = await Promise.all([...allBusinesses].map(async ([id, place]) => [id, place, await memberSeesModule(deps, id, place, CALENDAR_MODULE)] as const));
  return { userId, businesses: new Map(seen.filter(([, , sees]) => sees).map(([id, place]) => [id, place])), households };
}

export function askerIn(places: Places, row: Pick<CalendarRow, "contextType" | "contextId">, share: ShareAccess | null): AskerPlace {
  return {
    userId: places.userId,
    businessRole: row.contextType === "business" ? (places.businesses.get(row.contextId)?.role ?? null) : null,
    householdRole: row.contextType === "household" ? (places.households.get(row.contextId)?.role ?? null) : null,
    share,
  };
}

export interface VisibleCalendar {
  row: CalendarRow;
  access: Access;
  /** The context's name as the person knows it ("Personal", the business's or household's name). */
  contextName: string;
  /** Not theirs to see: they are invited to an event in it, and see that event alone ("read", for it only). */
  invitedOnly?: boolean;
}

/** The calendar of an event the person is invited to but whose calendar they cannot see. */
export function invitedView(row: CalendarRow): VisibleCalendar {
  return { row, access: "read", contextName: "Invitations", invitedOnly: true };
}

function contextName(places: Places, row: CalendarRow): string {
  if (row.contextType === "personal") return row.ownerId === places.userId ? "Personal" : "Shared with you";
  return (row.contextType === "business" ? places.businesses.get(row.contextId)?.name : places.households.get(row.contextId)?.name) ?? row.name;
}

/** Every calendar the person can see at least free/busy of, contexts first (personal, businesses, households), primary first. */
export async function visibleCalendars(deps: Pick<Deps, "db" | "log">, places: Places): Promise<VisibleCalendar[]> {
  const { userId } = places;
  const businessIds = [...places.businesses.keys()];
  const householdIds = [...places.households.keys()];
  const shares = await deps.db.select({ calendarId: calendarShares.calendarId, access: calendarShares.access }).from(calendarShares).where(eq(calendarShares.userId, userId));
  const shareOf = new Map(shares.map((s) => [s.calendarId, s.access]));
  const rows = await deps.db
    .select()
    .from(calendars)
    .where(
      or(
        and(eq(calendars.contextType, "personal"), eq(calendars.contextId, userId)),
        businessIds.length ? and(eq(calendars.contextType, "business"), inArray(calendars.contextId, businessIds)) : undefined,
        householdIds.length ? and(eq(calendars.contextType, "household"), inArray(calendars.contextId, householdIds)) : undefined,
        shares.length ? inArray(calendars.id, [...shareOf.keys()]) : undefined,
      ),
    );
  const order = (row: CalendarRow) => (row.contextType === "personal" ? (row.ownerId === userId ? 0 : 3) : row.contextType === "business" ? 1 : 2);
  return rows
    .map((row) => ({ row, access: accessFor(row, askerIn(places, row, shareOf.get(row.id) ?? null)), contextName: contextName(places, row) }))
    .filter((c) => c.access !== "none")
    .sort((a, b) => order(a.row) - order(b.row) || a.contextName.localeCompare(b.contextName) || Number(b.row.isPrimary) - Number(a.row.isPrimary) || a.row.name.localeCompare(b.row.name));
}

/** One calendar as the person sees it; 404 when they cannot see it at all (as if it did not exist). */
export async function calendarFor(deps: Pick<Deps, "db" | "log">, userId: string, calendarId: string, places?: Places): Promise<VisibleCalendar & { places: Places }> {
  const [row] = await deps.db.select().from(calendars).where(eq(calendars.id, calendarId)).limit(1);
  if (!row) throw new AppError(404, "not_found", "There is no such calendar, or you cannot see it.");
  const [share] = await deps.db.select({ access: calendarShares.access }).from(calendarShares).where(and(eq(calendarShares.calendarId, calendarId), eq(calendarShares.userId, userId))).limit(1);
  const p = places ?? (await placesOf(deps, userId));
  const access = accessFor(row, askerIn(p, row, share?.access ?? null));
  if (access === "none") throw new AppError(404, "not_found", "There is no such calendar, or you cannot see it.");
  return { row, access, contextName: contextName(p, row), places: p };
}

export function requireAccess(calendar: VisibleCalendar, needed: Access, doing: string): void {
  if (!atLeast(calendar.access, needed)) throw new AppError(403, "forbidden", `You may not ${doing} in the calendar "${calendar.row.name}".`);
  if (needed === "write" && calendar.row.subscribed) throw new AppError(403, "read_only", `The calendar "${calendar.row.name}" copies an outside feed: its events change only there.`);
}

/** Whether the person may add and change events in it (a subscribed calendar's events are the feed's alone). */
export function mayEditEvents(calendar: VisibleCalendar): boolean {
  return atLeast(calendar.access, "write") && !calendar.row.subscribed;
}

/** The primary calendar of a context the person is in (personal: their own). */
export async function primaryCalendarOf(db: Db | Tx, contextType: CalendarContext, contextId: string): Promise<CalendarRow | null> {
  const [row] = await db
    .select()
    .from(calendars)
    .where(and(eq(calendars.contextType, contextType), eq(calendars.contextId, contextId), eq(calendars.isPrimary, true)))
    .limit(1);
  return row ?? null;
}

/** The channels a change to this calendar is announced on: its context's, or its owner's and the people it is shared with. */
export async function calendarChannels(tx: Tx, row: CalendarRow): Promise<string[]> {
  if (row.contextType === "business") return [channel.business(row.contextId)];
  if (row.contextType === "household") return [channel.household(row.contextId)];
  const shared = await tx.select({ userId: calendarShares.userId }).from(calendarShares).where(eq(calendarShares.calendarId, row.id));
  return [channel.user(row.contextId), ...shared.map((s) => channel.user(s.userId))];
}

/** Tells whoever shows the calendar that it changed, and notes when (feeds answer Last-Modified from it). */
export async function announce(tx: Tx, deps: Pick<Deps, "now" | "live">, row: CalendarRow, extra: Record<string, unknown> = {}, also: string[] = []): Promise<void> {
  await tx.update(calendars).set({ changedAt: deps.now() }).where(eq(calendars.id, row.id));
  const names = [...new Set([...(await calendarChannels(tx, row)), ...also])];
  await publish(tx, deps, ...names.map((name) => ({ channel: name, type: CALENDAR_CHANGED, payload: { calendarId: row.id, ...extra } })));
}

export interface CalendarFields {
  name: string;
  description?: string;
  color?: string;
  timeZone?: string;
  memberAccess?: MemberAccess;
  /** Minutes before, for events that set no reminders of their own. */
  defaultReminders?: number[];
}

/** Makes a calendar; `alsoInTx` writes what belongs with it (a subscription's row) in the same transaction. */
export async function createCalendar(
  deps: Deps,
  userId: string,
  input: CalendarFields & { contextType: CalendarContext; contextId?: string; subscribed?: boolean },
  meta: RequestMeta,
  alsoInTx?: (tx: Tx, row: CalendarRow) => Promise<void>,
): Promise<VisibleCalendar> {
  const places = await placesOf(deps, userId);
  const contextId = input.contextType === "personal" ? userId : (input.contextId ?? "");
  const asker = askerIn(places, { contextType: input.contextType, contextId }, null);
  const member = input.contextType === "personal" || asker.businessRole || asker.householdRole;
  if (!member) throw new AppError(404, "not_found", "There is no such context, or you are not a member of it.", { fieldErrors: { contextId: ["You are not a member of this context."] } });
  if (!mayCreateCalendarIn(input.contextType, asker)) throw new AppError(403, "forbidden", "You may not add calendars to this context.");
  const now = deps.now();
  const row: CalendarRow = {
    id: newId(),
    contextType: input.contextType,
    contextId,
    ownerId: input.contextType === "personal" ? userId : null,
    name: input.name,
    description: input.description ?? "",
    color: input.color ?? "#2563eb",
    timeZone: input.timeZone ?? "UTC",
    isPrimary: false,
    memberAccess: input.memberAccess ?? "default",
    changedAt: now,
    subscribed: input.subscribed ?? false,
    defaultReminders: input.defaultReminders ?? [],
    createdBy: userId,
    createdAt: now,
    updatedAt: now,
  };
  await writeTransaction(deps.db, async (tx) => {
    const [held] = await tx.select({ n: count() }).from(calendars).where(and(eq(calendars.contextType, row.contextType), eq(calendars.contextId, row.contextId)));
    if ((held?.n ?? 0) >= MAX_CALENDARS_PER_CONTEXT) throw new AppError(409, "too_many_calendars", `A context holds at most ${MAX_CALENDARS_PER_CONTEXT} calendars.`);
    await tx.insert(calendars).values(row);
    await alsoInTx?.(tx, row);
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "calendar.created", targetType: "calendar", targetId: row.id, details: { contextType: row.contextType, contextId: row.contextId, subscribed: row.subscribed } });
    await announce(tx, deps, row, { change: "created" });
  });
  return { row, access: "manage", contextName: contextName(places, row) };
}

export async function updateCalendar(deps: Deps, userId: string, calendarId: string, input: Partial<CalendarFields>, meta: RequestMeta): Promise<VisibleCalendar> {
  const calendar = await calendarFor(deps, userId, calendarId);
  requireAccess(calendar, "manage", "change settings");
  const now = deps.now();
  const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<CalendarFields>;
  if (calendar.row.contextType === "personal" && changes.memberAccess) delete changes.memberAccess;
  const row = { ...calendar.row, ...changes, updatedAt: now };
  await writeTransaction(deps.db, async (tx) => {
    await tx.update(calendars).set({ ...changes, updatedAt: now }).where(eq(calendars.id, calendarId));
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "calendar.updated", targetType: "calendar", targetId: calendarId, details: { fields: Object.keys(changes) } });
    await announce(tx, deps, row, { change: "updated" });
  });
  return { ...calendar, row };
}

/** Deletes a calendar and its events; a primary calendar stays (it is the context's). */
export async function deleteCalendar(deps: Deps, userId: string, calendarId: string, meta: RequestMeta): Promise<void> {
  const calendar = await calendarFor(deps, userId, calendarId);
  requireAccess(calendar, "manage", "delete calendars");
  if (calendar.row.isPrimary) throw new AppError(409, "primary_calendar", "A context's primary calendar cannot be deleted.");
  await writeTransaction(deps.db, async (tx) => {
    // Announced before the delete: the personal channels are read from the shares the delete takes away.
    await announce(tx, deps, calendar.row, { change: "deleted" });
    await tx.delete(calendars).where(eq(calendars.id, calendarId));
    await recordAudit(tx, deps.now(), meta, { actorUserId: userId, action: "calendar.deleted", targetType: "calendar", targetId: calendarId, details: { name: calendar.row.name } });
  });
}

/** Who the calendar is shared with (managers only). */
export async function listShares(deps: Pick<Deps, "db" | "log">, userId: string, calendarId: string, places?: Places) {
  const calendar = await calendarFor(deps, userId, calendarId, places);
  requireAccess(calendar, "manage", "see the sharing of calendars");
  return deps.db
    .select({ userId: calendarShares.userId, name: users.name, access: calendarShares.access, createdAt: calendarShares.createdAt })
    .from(calendarShares)
    .innerJoin(users, eq(users.id, calendarShares.userId))
    .where(eq(calendarShares.calendarId, calendarId))
    .orderBy(users.name);
}

/** Shares with a member of the context (personal calendars: anyone who shares a context with the owner). */
export async function putShare(deps: Deps, userId: string, calendarId: string, targetId: string, access: ShareAccess, meta: RequestMeta): Promise<{ created: boolean }> {
  const calendar = await calendarFor(deps, userId, calendarId);
  requireAccess(calendar, "manage", "share calendars");
  if (targetId === userId) throw new AppError(400, "validation_failed", "You cannot share a calendar with yourself.", { fieldErrors: { userId: ["That is you."] } });
  const row = calendar.row;
  let refusal: string | null;
  if (row.contextType === "personal") {
    refusal = (await sharesAContext(deps.db, userId, targetId)) ? null : "Personal calendars are shared with people you share a business or household with.";
  } else {
    const target = await placesOf(deps, targetId);
    refusal = shareRefusal(row, askerIn(target, row, null), access);
  }
  if (refusal) throw new AppError(400, "validation_failed", refusal, { fieldErrors: { userId: [refusal] } });
  const now = deps.now();
  return writeTransaction(deps.db, async (tx) => {
    const [before] = await tx.select().from(calendarShares).where(and(eq(calendarShares.calendarId, calendarId), eq(calendarShares.userId, targetId)));
    await tx
      .insert(calendarShares)
      .values({ calendarId, userId: targetId, access, sharedBy: userId, createdAt: now })
      .onConflictDoUpdate({ target: [calendarShares.calendarId, calendarShares.userId], set: { access } });
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "calendar.shared", targetType: "calendar", targetId: calendarId, details: { userId: targetId, access } });
    await announce(tx, deps, row, { change: "shared" }, [channel.user(targetId)]);
    return { created: !before };
  });
}

async function sharesAContext(db: Db, userId: string, otherId: string): Promise<boolean> {
  const [inBusiness, inHousehold] = await Promise.all([businessCoMembers(db, userId, [otherId]), householdCoMembers(db, userId, [otherId])]);
  return inBusiness.has(otherId) || inHousehold.has(otherId);
}

export async function deleteShare(deps: Deps, userId: string, calendarId: string, targetId: string, meta: RequestMeta): Promise<void> {
  const calendar = await calendarFor(deps, userId, calendarId);
  requireAccess(calendar, "manage", "share calendars");
  await writeTransaction(deps.db, async (tx) => {
    const gone = await tx.delete(calendarShares).where(and(eq(calendarShares.calendarId, calendarId), eq(calendarShares.userId, targetId))).returning();
    if (gone.length === 0) throw new AppError(404, "not_found", "The calendar is not shared with this person.");
    await recordAudit(tx, deps.now(), meta, { actorUserId: userId, action: "calendar.unshared", targetType: "calendar", targetId: calendarId, details: { userId: targetId } });
    await announce(tx, deps, calendar.row, { change: "unshared" }, [channel.user(targetId)]);
  });
}

export interface ViewSettings {
  timeZone: string | null;
  hiddenCalendarIds: string[];
}

export async function viewSettingsOf(db: Db, userId: string): Promise<ViewSettings> {
  const [row] = await db.select().from(calendarViewSettings).where(eq(calendarViewSettings.userId, userId)).limit(1);
  return { timeZone: row?.timeZone ?? null, hiddenCalendarIds: row?.hiddenCalendarIds ?? [] };
}

/** Remembers the person's zone and the calendars they switched off; their other open pages hear it (and redraw). */
export async function saveViewSettings(deps: Pick<Deps, "db" | "now" | "live">, userId: string, change: Partial<ViewSettings>): Promise<ViewSettings> {
  const now = deps.now();
  return writeTransaction(deps.db, async (tx) => {
    const [row] = await tx.select().from(calendarViewSettings).where(eq(calendarViewSettings.userId, userId)).limit(1);
    const next: ViewSettings = {
      timeZone: change.timeZone !== undefined ? change.timeZone : (row?.timeZone ?? null),
      hiddenCalendarIds: [...new Set(change.hiddenCalendarIds ?? row?.hiddenCalendarIds ?? [])].slice(0, 500),
    };
    await tx
      .insert(calendarViewSettings)
      .values({ userId, ...next, updatedAt: now })
      .onConflictDoUpdate({ target: calendarViewSettings.userId, set: { ...next, updatedAt: now } });
    await publish(tx, deps, { channel: channel.user(userId), type: CALENDAR_CHANGED, payload: { change: "settings" } });
    return next;
  });
}

export function calendarJson(c: VisibleCalendar, hidden = false) {
  const { row } = c;
  return {
    id: row.id,
    name: row.isPrimary && row.contextType !== "personal" ? c.contextName : row.name,
    description: row.description,
    color: row.color,
    contextType: row.contextType,
    contextId: row.contextType === "personal" && c.access !== "manage" ? null : row.contextId,
    contextName: c.contextName,
    isPrimary: row.isPrimary,
    access: c.access,
    timeZone: row.timeZone,
    memberAccess: row.memberAccess,
    defaultReminders: row.defaultReminders,
    /** Its events are an outside feed's, read-only (GET /api/calendar/subscriptions says which feed and how it fares). */
    subscribed: row.subscribed,
    hidden,
  };
}
