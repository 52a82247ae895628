// Who may do what with a calendar, as pure functions of the facts (the calendar, the person's role in its
// context, their share): tested without a database in access.test.ts, and asked on every read and write path.
import type { BusinessRole } from "../workspace";
import type { HouseholdRole } from "../households";
import type { CalendarContext, MemberAccess, ShareAccess, Visibility } from "./schema";

/** From least to most: see nothing, see busy times, read, write events, and manage the calendar (rename, share, delete). */
export const ACCESS_LEVELS = ["none", "freebusy", "read", "write", "manage"] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

const rank = (access: Access) => ACCESS_LEVELS.indexOf(access);
export const atLeast = (access: Access, needed: Access) => rank(access) >= rank(needed);
const higher = (a: Access, b: Access): Access => (rank(a) >= rank(b) ? a : b);
const lower = (a: Access, b: Access): Access => (rank(a) <= rank(b) ? a : b);

export interface CalendarFacts {
  contextType: CalendarContext;
  ownerId: string | null;
  memberAccess: MemberAccess;
}

/** The asker's place: their role in the calendar's business or household (null when not a member there, or the business hides its calendar module from them) and their share. */
export interface AskerPlace {
  userId: string;
  businessRole?: BusinessRole | null;
  householdRole?: HouseholdRole | null;
  share?: ShareAccess | null;
}

const fromMemberAccess = (memberAccess: MemberAccess): Access => (memberAccess === "default" ? "read" : memberAccess === "freebusy" ? "freebusy" : "none");

/**
 * A personal calendar is its owner's to manage, and others see it only through a share. In a business, owners,
 * admins and managers manage every calendar; members read (or what the calendar's member access says), and a
 * share can give more. In a household, owners and adults manage; teens and children read (or less), and a share
 * never lets them write. Nobody outside the context sees a business or household calendar, share or not.
 */
export function accessFor(calendar: CalendarFacts, asker: AskerPlace): Access {
  const share: Access = asker.share ?? "none";
  if (calendar.contextType === "personal") return calendar.ownerId === asker.userId ? "manage" : share;
  if (calendar.contextType === "business") {
    const role = asker.businessRole;
    if (!role) return "none";
    if (role === "owner" || role === "admin" || role === "manager") return "manage";
    return higher(fromMemberAccess(calendar.memberAccess), share);
  }
  const role = asker.householdRole;
  if (!role) return "none";
  if (role === "owner" || role === "adult") return "manage";
  return lower(higher(fromMemberAccess(calendar.memberAccess), share), "read");
}

/** May this person add a calendar to the context? Only where they could write its primary calendar. */
export function mayCreateCalendarIn(contextType: CalendarContext, asker: AskerPlace): boolean {
  if (contextType === "personal") return true;
  return accessFor({ contextType, ownerId: null, memberAccess: "default" }, asker) === "manage";
}

/** What a share may grant in this context: household teens and children never write. */
export function shareRefusal(calendar: CalendarFacts, grantee: AskerPlace, access: ShareAccess): string | null {
  if (calendar.contextType === "business" && !grantee.businessRole) return "Calendars of a business are shared with its members only.";
  if (calendar.contextType === "household" && !grantee.householdRole) return "Calendars of a household are shared with its members only.";
  if (calendar.contextType === "household" && access === "write" && (grantee.householdRole === "teen" || grantee.householdRole === "child")) return "Teens and children cannot be given write access to household calendars.";
  return null;
}

/** How much of one event the asker sees: all of it, or a busy block (private events of others, free/busy access). */
export function eventDetail(access: Access, event: { visibility: Visibility; createdBy: string | null; attendeeIds?: readonly string[] }, askerId: string, calendar: CalendarFacts): "full" | "busy" | "none" {
  if (!atLeast(access, "freebusy")) return "none";
  // Invited, one sees the event in full even where the calendar shows one only busy time.
  if (event.attendeeIds?.includes(askerId)) return "full";
  if (access === "freebusy") return "busy";
  if (event.visibility === "default") return "full";
  if (event.createdBy === askerId || event.attendeeIds?.includes(askerId)) return "full";
  if (calendar.contextType === "personal" && calendar.ownerId === askerId) return "full";
  return "busy";
}
