import { and, eq, sql, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { jsonObject } from "../../db/json-row";
import type { Db } from "../../db/types";
import { AppError } from "../../lib/errors";
import { BUSINESS_ROLES, businesses, businessMembers, type BusinessMemberRow, type BusinessRole, type BusinessRow } from "./schema";

/** What the business routes read of a membership: the columns requireMembership selects. */
export interface Membership {
  business: Pick<BusinessRow, "id" | "name" | "kind" | "description" | "logoKey" | "logoContentType" | "createdAt" | "requireTwoFactor">;
  member: Pick<BusinessMemberRow, "userId" | "role" | "departmentId" | "positionId">;
}

/** The 404 for a business the caller is not in, worded as for one that does not exist. */
export const notAMember = () => new AppError(404, "not_found", "There is no such business, or you are not a member of it.");

/**
 * The caller's membership of a business. A business the caller does not belong to answers exactly
 * like one that does not exist (404), so ids cannot be probed.
 */
export async function requireMembership(db: Db, userId: string, businessId: string): Promise<Membership> {
  let lookup = lookups.get(db);
  if (!lookup) lookups.set(db, (lookup = prepareLookup(db)));
  const [found] = await lookup.all({ userId, businessId });
  return membershipFrom(found);
}

// Almost every business route starts here, so the lookup is prepared once per database and hands
// back two JSON columns of what the routes read, rather than fifteen columns (docs/performance.md:
// the driver prepares each statement afresh, and both that and reading the row grow with the columns).
const BUSINESS_COLUMNS = {
  id: businesses.id,
  name: businesses.name,
  kind: businesses.kind,
  description: businesses.description,
  logoKey: businesses.logoKey,
  logoContentType: businesses.logoContentType,
  createdAt: businesses.createdAt,
  requireTwoFactor: businesses.requireTwoFactor,
} satisfies Record<keyof Membership["business"], AnySQLiteColumn>;
const MEMBER_COLUMNS = {
  userId: businessMembers.userId,
  role: businessMembers.role,
  departmentId: businessMembers.departmentId,
  positionId: businessMembers.positionId,
} satisfies Record<keyof Membership["member"], AnySQLiteColumn>;
const lookups = new WeakMap<Db, ReturnType<typeof prepareLookup>>();
const prepareLookup = (db: Db) => selectMembership(db, {}).prepare();

/**
 * The membership lookup with the placeholders `userId` and `businessId`, selecting the membership's
 * two JSON columns and `extra`; `.prepare()` it once per database. `extra` may refer to the member's
 * row (`businessMembers.userId`, `businessMembers.businessId`) to ask more in the same statement, as
 * openWorkspace does. Read the row with membershipFrom.
 */
export function selectMembership<Extra extends Record<string, SQL>>(db: Db, extra: Extra) {
  return db
    .select({ business: jsonObject(BUSINESS_COLUMNS), member: jsonObject(MEMBER_COLUMNS), ...extra })
    .from(businessMembers)
    .innerJoin(businesses, eq(businesses.id, businessMembers.businessId))
    .where(and(eq(businessMembers.businessId, sql.placeholder("businessId")), eq(businessMembers.userId, sql.placeholder("userId"))))
    .limit(1);
}

/** The membership from a selectMembership row; the 404 when there is none. */
export function membershipFrom(found: { business: string; member: string } | undefined): Membership {
  if (!found) throw notAMember();
  return { business: JSON.parse(found.business) as Membership["business"], member: JSON.parse(found.member) as Membership["member"] };
}

/** owner 4 … member 1; a role the code does not know (a bad row, a newer version's role) ranks 0: it may do nothing. */
export function roleRank(role: string): number {
  const index = (BUSINESS_ROLES as readonly string[]).indexOf(role);
  return index === -1 ? 0 : BUSINESS_ROLES.length - index;
}

export function hasRole(member: Pick<BusinessMemberRow, "role">, atLeast: BusinessRole): boolean {
  return roleRank(member.role) >= roleRank(atLeast);
}

/** 403 unless the member holds `atLeast` (owner > admin > manager > member). */
export function requireRole(membership: Membership, atLeast: BusinessRole, action = "do that"): Membership {
  if (!hasRole(membership.member, atLeast)) {
    throw new AppError(403, "forbidden", `Only a business ${atLeast} or above may ${action}.`);
  }
  return membership;
}
