import { sql } from "drizzle-orm";
import { MembersPanel } from "../../../views/members/MembersPanel";
import { canManage, PAGE_SIZE, type MembersPanelProps } from "../../../views/members/types";
import type { Db } from "../../db/types";
import type { AppContext } from "../../http/types";
import type { Membership } from "./access";
import type { MemberView } from "./members";
import type { BusinessRole } from "./schema";
import type { Unit } from "./service";
import type { TabRenderer } from "./tab-content";

/** Fixed texts behind `?notice=` after a plain form post redirected back to the tab. */
export const MEMBER_NOTICES = {
  "member-saved": "The member is saved.",
  "bulk-updated": "The selected members are updated.",
  removed: "The members are removed.",
  "unit-saved": "Saved.",
  "unit-deleted": "Deleted. Members in it now have none.",
} as const;
export type MemberNotice = keyof typeof MEMBER_NOTICES;

export function noticeText(key: string | undefined): string | null {
  return key && Object.hasOwn(MEMBER_NOTICES, key) ? MEMBER_NOTICES[key as MemberNotice] : null;
}

/** `?page=` as a page number; anything else is the first page. */
export function pageOf(value: string | undefined): number {
  const page = Number(value);
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}

interface StoredMember {
  userId: string;
  name: string;
  email: string;
  role: BusinessRole;
  departmentId: string | null;
  departmentName: string | null;
  positionId: string | null;
  positionName: string | null;
  joinedAt: number;
}

interface Loaded {
  total: number;
  members: StoredMember[];
  departments: Unit[] | null;
  positions: Unit[] | null;
}

const unitsOf = (table: "departments" | "positions", businessId: string) =>
  sql`(select json_group_array(json_object('id', id, 'name', name)) from (select id, name from ${sql.raw(table)} where business_id = ${businessId} order by name))`;

/**
 * Lists come from ordered subqueries, not `json_group_array(… order by …)`, which sqld cannot parse.
 * Everything the panel reads, in ONE statement handing back one JSON column: the count, one page of
 * members (by name, with their department and position) and, for admins, the units. The driver
 * prepares every statement afresh and its cost grows with the columns (docs/performance.md).
 * `only` narrows the page to one member (the edit row).
 */
async function queryPanel(db: Db, businessId: string, offset: number, withUnits: boolean, only?: string): Promise<Loaded> {
  const [row] = await db.all<{ panel: string }>(sql`select json_object(
    'total', (select count(*) from business_members where business_id = ${businessId}),
    'members', (select json_group_array(json(member)) from (
      select json_object('userId', bm.user_id, 'name', u.name, 'email', u.email, 'role', bm.role,
               'departmentId', d.id, 'departmentName', d.name, 'positionId', p.id, 'positionName', p.name, 'joinedAt', bm.joined_at) as member,
             u.name as sort_name, bm.user_id as user_id
      from business_members bm
      join users u on u.id = bm.user_id
      left join departments d on d.id = bm.department_id
      left join positions p on p.id = bm.position_id
      where bm.business_id = ${businessId} ${only === undefined ? sql`` : sql`and bm.user_id = ${only}`}
      order by u.name collate nocase, bm.user_id
      limit ${PAGE_SIZE} offset ${offset})),
    'departments', ${withUnits ? unitsOf("departments", businessId) : sql`null`},
    'positions', ${withUnits ? unitsOf("positions", businessId) : sql`null`}
  ) as panel`);
  return JSON.parse(row!.panel) as Loaded;
}

const toView = (m: StoredMember): MemberView => ({
  userId: m.userId,
  name: m.name,
  email: m.email,
  role: m.role,
  department: m.departmentId && m.departmentName !== null ? { id: m.departmentId, name: m.departmentName } : null,
  position: m.positionId && m.positionName !== null ? { id: m.positionId, name: m.positionName } : null,
  joinedAt: new Date(m.joinedAt).toISOString(),
});

/**
 * What the members panel shows to this member (the caller's membership is already checked): the
 * page of `?page=` (the last one when it is past the end), or only the member `only`.
 */
export async function loadMembersPanel(c: AppContext, { business, member }: Membership, only?: string): Promise<MembersPanelProps> {
  const me = { userId: member.userId, role: member.role };
  const admin = canManage(me);
  let page = only === undefined ? pageOf(c.req.query("page")) : 1;
  let loaded = await queryPanel(c.var.deps.db, business.id, (page - 1) * PAGE_SIZE, admin, only);
  const pages = Math.max(1, Math.ceil(loaded.total / PAGE_SIZE));
  if (only === undefined && page > pages) {
    page = pages; // a stale link, or the last rows of the last page were removed
    loaded = await queryPanel(c.var.deps.db, business.id, (page - 1) * PAGE_SIZE, admin);
  }
  return {
    businessId: business.id,
    businessName: business.name,
    me,
    members: loaded.members.map(toView),
    total: loaded.total,
    page,
    pages,
    departments: loaded.departments ?? [],
    positions: loaded.positions ?? [],
  };
}

/**
 * The members tab: one page of the member table (read-only rows; admins tick rows for the bulk form
 * and open one row's edit form at a time), bulk changes, and the departments and positions for admins.
 */
export const membersTab: TabRenderer = async (c, membership) => {
  const props = await loadMembersPanel(c, membership);
  return <MembersPanel {...props} notice={noticeText(c.req.query("notice"))} editing={c.req.query("edit") ?? null} />;
};
