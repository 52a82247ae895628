// What the calendar's pages share: a calendar's shown name, the person's zone, the calendars they may write to,
// the people an event may invite, and the zones to pick from.
import type { Option } from "../../../views/calendar/EventDrawer";
import type { AppContext } from "../../http/types";
import { listHouseholdMembers } from "../households";
import { selectMembers } from "../workspace";
import { mayEditEvents, placesOf, viewSettingsOf, visibleCalendars, type Places, type VisibleCalendar } from "./calendars";
import { isTimeZone } from "./recurrence";

export const displayName = (c: VisibleCalendar) => (c.row.isPrimary && c.row.contextType !== "personal" ? c.contextName : c.row.name);

export async function zoneOf(c: AppContext, userId: string): Promise<string> {
  const settings = await viewSettingsOf(c.var.deps.db, userId);
  return settings.timeZone && isTimeZone(settings.timeZone) ? settings.timeZone : "UTC";
}

export async function writableCalendars(c: AppContext, places: Places): Promise<VisibleCalendar[]> {
  return (await visibleCalendars(c.var.deps, places)).filter(mayEditEvents);
}

export async function membersFor(c: AppContext, calendar: VisibleCalendar | undefined): Promise<Option[]> {
  if (!calendar) return [];
  const { contextType, contextId } = calendar.row;
  if (contextType === "business") return (await selectMembers(c.var.deps.db, contextId)).map((m) => ({ id: m.userId, name: m.name }));
  if (contextType === "household") return (await listHouseholdMembers(c.var.deps, contextId)).map((m) => ({ id: m.userId, name: m.name }));
  // One's own calendar invites whoever one shares a business or household with.
  const owner = calendar.row.ownerId;
  return owner && owner === c.var.user?.id ? peopleAround(c, await placesOf(c.var.deps, owner)) : [];
}

let zoneList: string[] | null = null;
export const zones = () => (zoneList ??= typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"]);

/** Everyone the person shares a business or household with, by name (themselves left out). */
export async function peopleAround(c: AppContext, places: Places): Promise<Option[]> {
  const lists = await Promise.all([
    ...[...places.businesses.keys()].map(async (id) => (await selectMembers(c.var.deps.db, id)).map((m) => ({ id: m.userId, name: m.name }))),
    ...[...places.households.keys()].map(async (id) => (await listHouseholdMembers(c.var.deps, id)).map((m) => ({ id: m.userId, name: m.name }))),
  ]);
  const seen = new Map<string, Option>();
  for (const option of lists.flat()) if (option.id !== places.userId) seen.set(option.id, option);
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}
