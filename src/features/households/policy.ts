import type { HouseholdRole } from "./schema";

/**
 * The household policy the calendar, chat and other modules ask before a write: may this member
 * change shared household data? Teens and children see everything shared, and change nothing.
 */
export function mayWriteShared(role: HouseholdRole): boolean {
  return role === "owner" || role === "adult";
}

/** Inviting, removing and changing roles of members: owners and adults. */
export function mayManageMembers(role: HouseholdRole): boolean {
  return role === "owner" || role === "adult";
}
