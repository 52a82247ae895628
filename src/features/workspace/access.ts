import { and, eq, getTableColumns, sql } from "drizzle-orm";
import { jsonObject } from "../../db/json-row";
import type { Db } from "../../db/types";
import { AppError } from "../../lib/errors";
import { BUSINESS_ROLES, businesses, businessMembers, type BusinessMemberRow, type BusinessRole, type BusinessRow } from "./schema";

export interface Membership {
  business: BusinessRow;
  member: BusinessMemberRow;
}

const notFound = () => new AppError(404, "not_found", "There is no such business, or you are not a member of it.");

/**
 * The caller's membership of a business. A business the caller does not belong to answers exactly
 * like one that does not exist (404), so ids cannot be probed.
 */
export async function requireMembership(db: Db, userId: string, businessId: string): Promise<Membership> {
  let lookup = lookups.get(db);
  if (!lookup) lookups.set(db, (lookup = prepareLookup(db)));
  const [found] = await lookup.all({ userId, businessId });
  if (!found) throw notFound();
  return { business: JSON.parse(found.business) as BusinessRow, member: JSON.parse(found.member) as BusinessMemberRow };
}

// Almost every business route starts here, so the lookup is prepared once per database and hands
// back two JSON columns rather than fifteen (docs/performance.md: the column count is the cost).
const lookups = new WeakMap<Db, ReturnType<typeof prepareLookup>>();
function prepareLookup(db: Db) {
  return db
    .select({ business: jsonObject(getTableColumns(businesses)), member: jsonObject(getTableColumns(businessMembers)) })
    .from(businessMembers)
    .innerJoin(businesses, eq(businesses.id, businessMembers.businessId))
    .where(and(eq(businessMembers.businessId, sql.placeholder("businessId")), eq(businessMembers.userId, sql.placeholder("userId"))))
    .limit(1)
    .prepare();
}

export function roleRank(role: BusinessRole): number {
  return BUSINESS_ROLES.length - BUSINESS_ROLES.indexOf(role);
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
