import type { FieldErrors } from "../components/Field";
import type { MemberView, RowResult } from "../../src/features/workspace/members";
import type { BusinessRole } from "../../src/features/workspace/schema";
import type { Unit } from "../../src/features/workspace/service";

export type { FieldErrors, MemberView, RowResult, BusinessRole, Unit };
export type UnitKind = "department" | "position";

/** Everything the members panel shows; a pure function of these props. */
export interface MembersPanelProps {
  businessId: string;
  businessName: string;
  me: { userId: string; role: BusinessRole };
  members: MemberView[];
  departments: Unit[];
  positions: Unit[];
  /** A fixed success message (after a change). */
  notice?: string | null;
  /** A message about the whole panel (forbidden, bad bulk input…). */
  error?: string | null;
  /** One row's edit that failed, with its values and errors, shown in that row. */
  rowError?: { userId: string; message: string; errors: FieldErrors; values: Record<string, string> } | null;
  /** The answer of a bulk action, one line per row. */
  bulk?: { action: "update" | "remove"; results: RowResult[]; names: Record<string, string> } | null;
  /** The confirm step before removing these members. */
  confirmRemove?: MemberView[] | null;
  confirmLeave?: boolean;
  /** A department or position form that failed: which one (unitId null = the add form), what was typed, why. */
  unitError?: { kind: UnitKind; unitId: string | null; value: string; errors: FieldErrors } | null;
  /** Boxes still ticked after a failed bulk action. */
  selected?: string[];
}

export const ROLE_LABELS: Record<BusinessRole, string> = { owner: "Owner", admin: "Admin", manager: "Manager", member: "Member" };

/** Admins and owners manage members; an admin may not touch an owner. */
export function canManage(me: MembersPanelProps["me"], target?: { role: BusinessRole }): boolean {
  if (me.role !== "owner" && me.role !== "admin") return false;
  return !target || target.role !== "owner" || me.role === "owner";
}

/** The roles this caller may hand out: only an owner makes owners. */
export function grantableRoles(me: MembersPanelProps["me"]): BusinessRole[] {
  return me.role === "owner" ? ["owner", "admin", "manager", "member"] : ["admin", "manager", "member"];
}

export const membersBase = (businessId: string) => `/business/${businessId}/members`;
