import { sql } from "drizzle-orm";
import type { HtmlEscapedString } from "hono/utils/html";
import { MembersPanel } from "../../../views/members/MembersPanel";
import type { MembersPanelProps } from "../../../views/members/types";
import type { Db } from "../../db/types";
import { keptHtml } from "../../http/kept-html";
import { pageOffset } from "../../lib/pager";
import type { AppContext } from "../../http/types";
import { presenceOf, type PresenceView } from "../presence";
import type { Membership } from "./access";
import { canManage, grantableRoles, manageableRoles } from "./member-rules";
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

/** Rows of the member table per page. */
export const PAGE_SIZE = 25;

/** `?page=` as a page number; anything else is the first page. */
export function pageNumber(value: string | undefined): number {
  const page = Number(value);
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}

/** One member of the page as the panel's statement hands it back (a JSON array, in this order). */
type StoredMember = [
  userId: string,
  name: string,
  email: string,
  blockId: string | null,
  role: BusinessRole,
  departmentId: string | null,
  departmentName: string | null,
  positionId: string | null,
  positionName: string | null,
  joinedAt: number,
];
type StoredUnit = [id: string, name: string];

/** What the panel's statement hands back: the member count, and the rest as JSON (see Stored). */
interface PanelRow {
  total: number;
  panel: string;
}
interface Stored {
  members: StoredMember[];
  departments: StoredUnit[] | null;
  positions: StoredUnit[] | null;
}

// Everything the panel reads comes back from ONE prepared statement: the count, and one JSON value
// with one page of members (by name, with department, position and Block ID) and, for admins, the
// units. Measured (docs/performance.md, 51 members): the page is sorted on plain columns and only
// its 25 rows are turned into JSON, as arrays rather than objects — ~50 µs in the driver instead of
// ~78 when every member became a JSON object before the sort — and the statement is prepared once
// per database and shape, so drizzle does not build the SQL on every request. Lists come from ordered
// subqueries, not `json_group_array(… order by …)`, which sqld cannot parse. `only` narrows the
// page to one member (the edit row).
const panelQueries = new WeakMap<Db, Map<string, ReturnType<typeof preparePanel>>>();
function panelQuery(db: Db, withUnits: boolean, only: boolean) {
  let queries = panelQueries.get(db);
  if (!queries) panelQueries.set(db, (queries = new Map()));
  const key = `${withUnits}:${only}`;
  let query = queries.get(key);
  if (!query) queries.set(key, (query = preparePanel(db, withUnits, only)));
  return query;
}

function preparePanel(db: Db, withUnits: boolean, only: boolean) {
  const businessId = sql.placeholder("businessId");
  const units = (table: "departments" | "positions") =>
    withUnits ? sql`(select json_group_array(json_array(id, name)) from (select id, name from ${sql.raw(table)} where business_id = ${businessId} order by name))` : sql`null`;
  const page = sql`select bm.user_id, u.name, u.email, u.block_id, bm.role, d.id as department_id, d.name as department_name,
        p.id as position_id, p.name as position_name, bm.joined_at
      from business_members bm
      join users u on u.id = bm.user_id
      left join departments d on d.id = bm.department_id
      left join positions p on p.id = bm.position_id
      where bm.business_id = ${businessId} ${only ? sql`and bm.user_id = ${sql.placeholder("userId")}` : sql``}
      order by u.name collate nocase, bm.user_id
      limit ${PAGE_SIZE} offset ${sql.placeholder("offset")}`;
  return db
    .select({
      total: sql<number>`(select count(*) from business_members where business_id = ${businessId})`,
      panel: sql<string>`json_object(
        'members', (select json_group_array(json_array(user_id, name, email, block_id, role, department_id, department_name, position_id, position_name, joined_at)) from (${page})),
        'departments', ${units("departments")},
        'positions', ${units("positions")})`,
    })
    .from(sql`(select 1)`)
    .prepare();
}

async function queryPanel(db: Db, businessId: string, offset: number, withUnits: boolean, only?: string): Promise<PanelRow> {
  const [row] = await panelQuery(db, withUnits, only !== undefined).all({ businessId, offset, userId: only ?? "" });
  return row!;
}

const toView = ([userId, name, email, blockId, role, departmentId, departmentName, positionId, positionName, joinedAt]: StoredMember): MemberView => ({
  userId,
  name,
  email,
  blockId,
  role,
  department: departmentId && departmentName !== null ? { id: departmentId, name: departmentName } : null,
  position: positionId && positionName !== null ? { id: positionId, name: positionName } : null,
  joinedAt: new Date(joinedAt).toISOString(),
});

const toUnits = (units: StoredUnit[] | null): Unit[] => (units ?? []).map(([id, name]) => ({ id, name }));

/** The panel's page and data as the statement returned them, and the presence of the page's members. */
interface FetchedPanel {
  me: MembersPanelProps["me"];
  page: number;
  row: PanelRow;
  stored: Stored;
  presence: Record<string, PresenceView>;
}

/** The page of `?page=` (the last one when it is past the end), or only the member `only`. */
async function fetchPanel(c: AppContext, { business, member }: Membership, only?: string): Promise<FetchedPanel> {
  const me = { userId: member.userId, role: member.role };
  const admin = canManage(me);
  let page = only === undefined ? pageNumber(c.req.query("page")) : 1;
  let row = await queryPanel(c.var.deps.db, business.id, pageOffset(page, PAGE_SIZE), admin, only);
  const pages = Math.max(1, Math.ceil(row.total / PAGE_SIZE));
  if (only === undefined && page > pages) {
    page = pages; // a stale link, or the last rows of the last page were removed
    row = await queryPanel(c.var.deps.db, business.id, pageOffset(page, PAGE_SIZE), admin);
  }
  const stored = JSON.parse(row.panel) as Stored;
  const presence = Object.fromEntries(await presenceOf(c.var.deps, stored.members.map(([userId]) => userId)));
  return { me, page, row, stored, presence };
}

function panelProps({ business }: Membership, { me, page, row, stored, presence }: FetchedPanel): MembersPanelProps {
  return {
    businessId: business.id,
    businessName: business.name,
    me,
    manages: canManage(me),
    manageableRoles: manageableRoles(me),
    grantableRoles: grantableRoles(me),
    pageSize: PAGE_SIZE,
    members: stored.members.map(toView),
    total: row.total,
    page,
    pages: Math.max(1, Math.ceil(row.total / PAGE_SIZE)),
    departments: toUnits(stored.departments),
    positions: toUnits(stored.positions),
    presence,
  };
}

/**
 * What the members panel shows to this member (the caller's membership is already checked): the
 * page of `?page=` (the last one when it is past the end), or only the member `only`.
 */
export async function loadMembersPanel(c: AppContext, membership: Membership, only?: string): Promise<MembersPanelProps> {
  return panelProps(membership, await fetchPanel(c, membership, only));
}

/**
 * The members tab: one page of the member table (read-only rows; admins tick rows for the bulk form
 * and open one row's edit form at a time), bulk changes, and the departments and positions for admins.
 */
export const membersTab: TabRenderer = async (c, membership) => {
  const notice = noticeText(c.req.query("notice"));
  const editing = c.req.query("edit") ?? null;
  if (notice || editing) return <MembersPanel {...await loadMembersPanel(c, membership)} notice={notice} editing={editing} />;
  return keptMembersPanel(c, membership);
};

/**
 * The panel with nothing said and no row open, as HTML kept for the same inputs: it is a pure
 * function of who looks (id and role), the business (id and name), the page, and what the panel
 * statement returns in this same request, so those are its key.
 */
export async function keptMembersPanel(c: AppContext, membership: Membership): Promise<HtmlEscapedString> {
  const fetched = await fetchPanel(c, membership);
  const { business } = membership;
  const { me, page, row, presence } = fetched;
  // The dots are shown from presence as read now: it is part of the key like everything else shown.
  const key = JSON.stringify([business.id, business.name, me.userId, me.role, page, row.total, presence]) + row.panel;
  return keptHtml(key, () => <MembersPanel {...panelProps(membership, fetched)} />);
}
