import type { FieldErrors } from "../components/Field";
import type { MemberView, RowResult } from "../../src/features/workspace/members";
import type { BusinessRole } from "../../src/features/workspace/schema";
import type { Unit } from "../../src/features/workspace/service";
import type { PresenceView } from "../presence/PresenceDot";

export type { FieldErrors, MemberView, RowResult, BusinessRole, Unit };
export type UnitKind = "department" | "position";

/** Everything the members panel shows; a pure function of these props. */
export interface MembersPanelProps {
  businessId: string;
  businessName: string;
  me: { userId: string; role: BusinessRole };
  /** Whether the caller manages members (admins and owners): the bulk form, the checkboxes, the units. */
  manages: boolean;
  /** The roles of the members whose rows the caller may change (none unless they manage). */
  manageableRoles: BusinessRole[];
  /** The roles the caller may hand out. */
  grantableRoles: BusinessRole[];
  /** Rows of the member table per page. */
  pageSize: number;
  /** One page of members, by name; `total` counts them all. */
  members: MemberView[];
  total: number;
  page: number;
  pages: number;
  /** Empty unless the caller is an admin (only the bulk form and the edit rows need them). */
  departments: Unit[];
  positions: Unit[];
  /** The member whose row shows its edit form (a plain link's `?edit=`). */
  editing?: string | null;
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
  /** Each shown member's presence (a dot beside the name, live); offline when missing. */
  presence?: Record<string, PresenceView>;
}

export const ROLE_LABELS: Record<BusinessRole, string> = { owner: "Owner", admin: "Admin", manager: "Manager", member: "Member" };

export const membersBase = (businessId: string) => `/business/${businessId}/members`;

/** `url` on page `page` of the member table (the first page has no parameter). */
export const onPage = (url: string, page: number) => (page > 1 ? `${url}${url.includes("?") ? "&" : "?"}page=${page}` : url);

/** The members tab's own address (what a page load shows and htmx pushes). */
export const tabHref = (businessId: string, page = 1) => onPage(`/business/${businessId}/workspace/members`, page);

/** The tab with one member's row open for editing (the Edit link without JavaScript). */
export const editHref = (businessId: string, userId: string, page = 1) => `${tabHref(businessId, page)}${page > 1 ? "&" : "?"}edit=${encodeURIComponent(userId)}`;
