// Free/busy and availability between people who share a business or household. A person's busy time is what their
// own calendars hold plus the events they are invited to and have not declined, opaque occurrences only, merged:
// what others learn is when — never what, where, with whom, how often, or how many events lie behind a block.
import { and, eq, gt, inArray, isNull, lt, ne, or } from "drizzle-orm";
import type { Db } from "../../../db/types";
import type { Deps } from "../../../deps";
import { writeTransaction } from "../../../db/transaction";
import { AppError } from "../../../lib/errors";
import { householdCoMembers } from "../../households";
import { businessCoMembers } from "../../workspace";
import { TIME_COLUMNS } from "../event-series";
import { checked } from "../events";
import { checkWindow } from "../occurrences";
import { busyBlocks } from "../ical/export";
import { calendarAttendees, calendarEvents, calendars, calendarViewSettings, calendarWorkingHours, type CalendarEventRow, type WorkingHours } from "../schema";
import { keptBusy } from "./kept-busy";
import { DEFAULT_WORKING_HOURS, intersect, normalize, slotsIn, subtract, workingIntervals, type Interval } from "./intervals";

/** At most this many people per question, and this long a window. */
export const MAX_PEOPLE = 50;
export const MAX_FREEBUSY_DAYS = 93;
export const MAX_AVAILABILITY_DAYS = 62;
export const MAX_SLOTS = 1000;

/** Of `userIds`, those the viewer may ask about: themselves and whoever shares a business or household with them. */
export async function askable(db: Db, viewerId: string, userIds: readonly string[]): Promise<{ known: string[]; unknown: string[] }> {
  const wanted = [...new Set(userIds)];
  const others = wanted.filter((id) => id !== viewerId);
  const [inBusiness, inHousehold] = await Promise.all([businessCoMembers(db, viewerId, others), householdCoMembers(db, viewerId, others)]);
  const known = wanted.filter((id) => id === viewerId || inBusiness.has(id) || inHousehold.has(id));
  return { known, unknown: wanted.filter((id) => !known.includes(id)) };
}

/** What busy time needs of an event (not its title, description or the rest: fewer bytes read, less JSON parsed). */
const BUSY_COLUMNS = { id: calendarEvents.id, ...TIME_COLUMNS, transparency: calendarEvents.transparency };
type BusyRow = Pick<CalendarEventRow, keyof typeof BUSY_COLUMNS> & { zone: string };

/** Each person's merged busy time in [from, to). */
export async function busyOf(db: Db, userIds: readonly string[], from: number, to: number): Promise<Map<string, Interval[]>> {
  const result = new Map<string, Interval[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return result;
  const overlaps = and(lt(calendarEvents.firstStartMs, to), or(isNull(calendarEvents.lastEndMs), gt(calendarEvents.lastEndMs, from)));
  const [own, invited] = await Promise.all([
    db
      .select({ event: BUSY_COLUMNS, ownerId: calendars.ownerId, zone: calendars.timeZone })
      .from(calendarEvents)
      .innerJoin(calendars, eq(calendars.id, calendarEvents.calendarId))
      .where(and(eq(calendars.contextType, "personal"), inArray(calendars.ownerId, [...userIds]), overlaps)),
    db
      .select({ event: BUSY_COLUMNS, userId: calendarAttendees.userId, zone: calendars.timeZone })
      .from(calendarAttendees)
      .innerJoin(calendarEvents, eq(calendarEvents.id, calendarAttendees.eventId))
      .innerJoin(calendars, eq(calendars.id, calendarEvents.calendarId))
      .where(and(inArray(calendarAttendees.userId, [...userIds]), ne(calendarAttendees.status, "declined"), overlaps)),
  ]);
  const rowsOf = new Map<string, Map<string, BusyRow>>(userIds.map((id) => [id, new Map()]));
  for (const r of own) rowsOf.get(r.ownerId!)?.set(r.event.id, { ...r.event, zone: r.zone });
  for (const r of invited) rowsOf.get(r.userId)?.set(r.event.id, { ...r.event, zone: r.zone });
  for (const [userId, rows] of rowsOf) {
    // Floating and all-day events are placed in the zone of the calendar that holds them.
    const byZone = new Map<string, BusyRow[]>();
    for (const row of rows.values()) {
      const list = byZone.get(row.zone);
      if (list) list.push(row);
      else byZone.set(row.zone, [row]);
    }
    const blocks: Interval[] = [];
    for (const [zone, list] of byZone) blocks.push(...busyBlocks(list, zone, { from, to }));
    result.set(userId, normalize(blocks));
  }
  return result;
}

export interface WorkingHoursSetting {
  timeZone: string;
  /** Whether the person chose them (false: the default, Monday to Friday 09:00–17:00). */
  chosen: boolean;
  hours: WorkingHours;
}

/** The working hours of each person (their chosen zone, else their calendar zone, else UTC). */
export async function workingHoursOf(db: Db, userIds: readonly string[]): Promise<Map<string, WorkingHoursSetting>> {
  const ids = [...userIds];
  if (ids.length === 0) return new Map();
  const [rows, zones] = await Promise.all([
    db.select().from(calendarWorkingHours).where(inArray(calendarWorkingHours.userId, ids)),
    db.select({ userId: calendarViewSettings.userId, timeZone: calendarViewSettings.timeZone }).from(calendarViewSettings).where(inArray(calendarViewSettings.userId, ids)),
  ]);
  const chosen = new Map(rows.map((r) => [r.userId, r]));
  const viewZone = new Map(zones.map((z) => [z.userId, z.timeZone]));
  return new Map(
    ids.map((id) => {
      const row = chosen.get(id);
      return [id, { timeZone: row?.timeZone ?? viewZone.get(id) ?? "UTC", chosen: Boolean(row), hours: row?.hours ?? DEFAULT_WORKING_HOURS }];
    }),
  );
}

export async function saveWorkingHours(deps: Pick<Deps, "db" | "now">, userId: string, change: { timeZone: string | null; hours: WorkingHours }): Promise<WorkingHoursSetting> {
  const now = deps.now();
  await writeTransaction(deps.db, (tx) =>
    tx
      .insert(calendarWorkingHours)
      .values({ userId, timeZone: change.timeZone, hours: change.hours, updatedAt: now })
      .onConflictDoUpdate({ target: calendarWorkingHours.userId, set: { timeZone: change.timeZone, hours: change.hours, updatedAt: now } }),
  );
  return (await workingHoursOf(deps.db, [userId])).get(userId)!;
}

/** Busy time as `busyOf`, kept per person and month until something changes (kept-busy.ts). */
const keptBusyOf = (deps: Pick<Deps, "db" | "now">, userIds: readonly string[], from: number, to: number) => keptBusy(deps, userIds, from, to, (ids, start, end) => busyOf(deps.db, ids, start, end));

export async function freeBusy(deps: Pick<Deps, "db" | "now">, viewerId: string, query: { from: number; to: number; userIds: string[] }) {
  checked(() => checkWindow(query.from, query.to, MAX_FREEBUSY_DAYS));
  const { known, unknown } = await askable(deps.db, viewerId, query.userIds);
  const busy = await keptBusyOf(deps, known, query.from, query.to);
  return { known, unknown, busy };
}

export async function availability(deps: Pick<Deps, "db" | "now">, viewerId: string, query: { from: number; to: number; userIds: string[]; durationMinutes: number; stepMinutes: number }) {
  checked(() => checkWindow(query.from, query.to, MAX_AVAILABILITY_DAYS));
  const { known, unknown } = await askable(deps.db, viewerId, query.userIds);
  if (unknown.length) throw new AppError(404, "not_found", "Some of these people are not people you share a business or household with.", { fieldErrors: { userIds: [`Unknown: ${unknown.join(", ")}`] } });
  const [busy, hours] = await Promise.all([keptBusyOf(deps, known, query.from, query.to), workingHoursOf(deps.db, known)]);
  let free: Interval[] = [{ startMs: query.from, endMs: query.to }];
  for (const id of known) {
    const setting = hours.get(id)!;
    free = subtract(intersect(free, workingIntervals(setting.hours, setting.timeZone, query.from, query.to)), busy.get(id)!);
  }
  const { slots, truncated } = slotsIn(free, query.durationMinutes * 60_000, query.stepMinutes * 60_000, MAX_SLOTS);
  return { userIds: known, free, slots, truncated };
}

/** The person's own setting as saved (null: never set), for the settings form. */
export async function savedWorkingHours(db: Db, userId: string): Promise<{ timeZone: string | null; hours: WorkingHours } | null> {
  const [row] = await db.select({ timeZone: calendarWorkingHours.timeZone, hours: calendarWorkingHours.hours }).from(calendarWorkingHours).where(eq(calendarWorkingHours.userId, userId));
  return row ?? null;
}
