import type { Deps } from "../../deps";
import { AppError } from "../../lib/errors";
import { HOUSEHOLD_ROLES, mayManageMembers, requireHouseholdMembership } from "../households";
import { BUSINESS_ROLES, requireMembership, requireRole } from "../workspace";

export type ScopeKind = "business" | "household";

/** A business or household whose invitations the caller manages, with the roles they may hand out. */
export interface InviteScope {
  kind: ScopeKind;
  id: string;
  name: string;
  actorRole: string;
  /** Every role of this kind of place, highest first. */
  roles: readonly string[];
  /** The roles this caller may invite people into: none above their own. */
  grantable: string[];
  defaultRole: string;
}

export function rolesOf(kind: ScopeKind): readonly string[] {
  return kind === "business" ? BUSINESS_ROLES : HOUSEHOLD_ROLES;
}

/** Roles from the actor's own down (only an owner hands out owner); an unknown role hands out none. */
function grantableBy(kind: ScopeKind, actorRole: string): string[] {
  const roles = rolesOf(kind);
  const own = roles.indexOf(actorRole);
  return own === -1 ? [] : roles.slice(own);
}

/**
 * The caller's place, if they may manage its invitations: business owners and admins (managers and
 * members 403), household owners and adults (teens and children 403). Not a member: 404.
 */
export async function manageScope(deps: Pick<Deps, "db">, userId: string, kind: ScopeKind, id: string): Promise<InviteScope> {
  if (kind === "business") {
    const { business, member } = requireRole(await requireMembership(deps.db, userId, id), "admin", "invite members or manage invitations");
    return { kind, id, name: business.name, actorRole: member.role, roles: BUSINESS_ROLES, grantable: grantableBy(kind, member.role), defaultRole: "member" };
  }
  const { household, member } = await requireHouseholdMembership(deps.db, userId, id);
  if (!mayManageMembers(member.role)) {
    throw new AppError(403, "forbidden", "Only household owners and adults may invite members or manage invitations.");
  }
  return { kind, id, name: household.name, actorRole: member.role, roles: HOUSEHOLD_ROLES, grantable: grantableBy(kind, member.role), defaultRole: "adult" };
}
