import { html, raw } from "hono/html";
import { BlockId, blockIdHtml } from "../../components/BlockId";
import { presenceDotHtml } from "../../presence/PresenceDot";
import { editHref, membersBase, onPage, ROLE_LABELS, tabHref, type MembersPanelProps, type MemberView } from "../types";
import { UnitSelect } from "./UnitSelect";

const panelTarget = { "hx-target": "#members-panel", "hx-swap": "outerHTML" };

/**
 * One page of members, one read-only row each. Admins get a checkbox per row (tied to the bulk form
 * by its id) and an Edit link that swaps in that row's edit form (htmx) or opens the tab with it
 * (`?edit=`, without JavaScript), so the page does not carry three selects for every member.
 */
export function MemberTable(props: MembersPanelProps) {
  const admin = props.manages;
  const selected = new Set(props.selected ?? []);
  const table = tableOf(props);
  return (
    <div class="members-table-wrap">
      <table class="members-table">
        <caption class="members-sr">
          Members of {props.businessName}
          {props.pages > 1 ? `, page ${props.page} of ${props.pages}` : ""}
        </caption>
        <thead>
          <tr>
            {admin ? <th scope="col"><span class="members-sr">Select</span></th> : null}
            <th scope="col">Name</th>
            <th scope="col">Block ID</th>
            <th scope="col">Role</th>
            <th scope="col">Department</th>
            <th scope="col">Position</th>
            <th scope="col">Joined</th>
            {admin ? <th scope="col"><span class="members-sr">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {props.members.map((member) => memberRow(table, member, selected.has(member.userId)))}
        </tbody>
      </table>
    </div>
  );
}

/** What every row needs from the panel. */
export type TableContext = Pick<
  MembersPanelProps,
  "businessId" | "me" | "manages" | "manageableRoles" | "grantableRoles" | "page" | "departments" | "positions" | "editing" | "rowError" | "presence"
>;
export const tableOf = (p: MembersPanelProps): TableContext => ({
  businessId: p.businessId,
  me: p.me,
  manages: p.manages,
  manageableRoles: p.manageableRoles,
  grantableRoles: p.grantableRoles,
  page: p.page,
  departments: p.departments,
  positions: p.positions,
  editing: p.editing,
  rowError: p.rowError,
  presence: p.presence,
});

type RowProps = { table: TableContext; member: MemberView; checked: boolean };

/** A member's row: its edit form when an admin opened it or its save failed, else read-only text. */
export function memberRow(table: TableContext, member: MemberView, checked: boolean) {
  const failed = table.rowError?.userId === member.userId ? table.rowError : null;
  if (table.manageableRoles.includes(member.role) && (failed || table.editing === member.userId)) return <EditRow table={table} member={member} checked={checked} />;
  return readOnlyRow(table, member, checked, failed);
}

const NONE = html`<span class="muted">—</span>`;
const HAS_ERROR = raw(' class="has-error"');
const CHECKED = raw(" checked");
const YOU = raw('<span class="badge">You</span>');

// The read-only row is what the table repeats, so it is html`` templates (escaped as JSX is), few
// and flat: hono/jsx spends ~5 µs on such a row, a template nesting one per cell took ~2.2 µs, these
// ~1.6 µs with the Block ID (docs/performance.md). One template per kind of row, around the cells
// they share.
function readOnlyRow(table: TableContext, member: MemberView, checked: boolean, failed: MembersPanelProps["rowError"]) {
  const { page, businessId } = table;
  const id = member.userId;
  const error = failed ? rowErrorText(`member-${id}-error`, failed) : "";
  const marked = failed ? HAS_ERROR : "";
  if (!table.manages) return html`<tr id="member-row-${id}"${marked}>${memberCells(table, member)}</tr>`;
  if (!table.manageableRoles.includes(member.role)) {
    return html`<tr id="member-row-${id}"${marked}><td></td>${memberCells(table, member)}<td><span class="muted">Only an owner may change an owner.</span>${error}</td></tr>`;
  }
  const editRow = onPage(`${membersBase(businessId)}/${id}/edit`, page);
  return html`<tr id="member-row-${id}"${marked}><td><input type="checkbox" name="userId" value="${id}" form="members-bulk"${checked ? CHECKED : ""} aria-label="Select ${member.name}"></td>${memberCells(table, member)}<td><a class="button small" href="${editHref(businessId, id, page)}" hx-get="${editRow}" hx-target="closest tr" hx-swap="outerHTML">Edit<span class="members-sr"> ${member.name}</span></a>${error}</td></tr>`;
}

/** The cells every row shows, from the name to the join time. */
function memberCells(table: TableContext, member: MemberView) {
  const iso = member.joinedAt;
  return html`<th scope="row">${dot(table, member)}<span class="member-name">${member.name}</span>${member.userId === table.me.userId ? YOU : ""}<span class="member-email">${member.email}</span></th><td>${blockIdHtml(member.blockId)}</td><td>${ROLE_LABELS[member.role]}</td><td>${member.department?.name ?? NONE}</td><td>${member.position?.name ?? NONE}</td><td><time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC</time></td>`;
}

/**
 * The row's edit form: its selects sit in the cells and join the form through the `form` attribute,
 * so it all posts without JavaScript. Save and Remove answer with the whole panel, on the same page.
 */
function EditRow(props: RowProps) {
  const { member } = props;
  const { page, businessId, departments, positions } = props.table;
  const base = membersBase(businessId);
  const formId = `member-${member.userId}`;
  const failed = props.table.rowError?.userId === member.userId ? props.table.rowError : null;
  const errorId = `${formId}-error`;
  const value = (field: "role" | "departmentId" | "positionId", current: string | null) => (failed ? (failed.values[field] ?? "") : (current ?? ""));
  const invalid = (field: string) => Boolean(failed?.errors[field]?.length);
  const describedBy = failed ? errorId : undefined;
  return (
    <tr id={`member-row-${member.userId}`} class={failed ? "member-editing has-error" : "member-editing"}>
      <td>{selectBox(member, props.checked)}</td>
      {nameCell(props.table, member)}
      <td>
        <BlockId value={member.blockId} />
      </td>
      <td>
        <select id={`${formId}-role`} name="role" form={formId} aria-label={`Role of ${member.name}`} aria-invalid={invalid("role") ? "true" : undefined} aria-describedby={describedBy} autofocus>
          {props.table.grantableRoles.map((role) => (
            <option value={role} selected={value("role", member.role) === role}>
              {ROLE_LABELS[role]}
            </option>
          ))}
        </select>
      </td>
      <td>
        <UnitSelect id={`${formId}-departmentId`} name="departmentId" form={formId} label={`Department of ${member.name}`} units={departments} value={value("departmentId", member.department?.id ?? null)} leading={[["", "None"]]} invalid={invalid("departmentId")} describedBy={describedBy} />
      </td>
      <td>
        <UnitSelect id={`${formId}-positionId`} name="positionId" form={formId} label={`Position of ${member.name}`} units={positions} value={value("positionId", member.position?.id ?? null)} leading={[["", "None"]]} invalid={invalid("positionId")} describedBy={describedBy} />
      </td>
      <td>{time(member.joinedAt)}</td>
      <td>
        <div class="member-actions">
          <form id={formId} method="post" action={onPage(`${base}/${member.userId}/update`, page)} hx-post={onPage(`${base}/${member.userId}/update`, page)} {...panelTarget}>
            <button type="submit" class="button small">Save<span class="members-sr"> {member.name}</span></button>
          </form>
          <form method="post" action={onPage(`${base}/bulk`, page)} hx-post={onPage(`${base}/bulk`, page)} {...panelTarget}>
            <input type="hidden" name="action" value="remove" />
            <input type="hidden" name="userId" value={member.userId} />
            <button type="submit" class="button small danger">Remove…<span class="members-sr"> {member.name}</span></button>
          </form>
          <a class="button small" href={tabHref(businessId, page)} hx-get={onPage(base, page)} {...panelTarget}>
            Cancel<span class="members-sr"> editing {member.name}</span>
          </a>
        </div>
        {failed ? rowErrorText(errorId, failed) : null}
      </td>
    </tr>
  );
}

const selectBox = (member: MemberView, checked: boolean) =>
  html`<input type="checkbox" name="userId" value="${member.userId}" form="members-bulk"${checked ? CHECKED : ""} aria-label="Select ${member.name}">`;

const OFFLINE = { status: "offline", text: "" } as const;
/** The member's presence dot (live: it swaps itself on presence-<userId> events of the page stream). */
const dot = (table: TableContext, member: MemberView) => presenceDotHtml(member.userId, table.presence?.[member.userId] ?? OFFLINE);

const nameCell = (table: TableContext, member: MemberView) =>
  html`<th scope="row">${dot(table, member)}<span class="member-name">${member.name}</span>${member.userId === table.me.userId ? YOU : ""}<span class="member-email">${member.email}</span></th>`;

/** As views/components/Time renders it. */
const time = (iso: string) => html`<time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC</time>`;

function rowErrorText(id: string, failed: NonNullable<MembersPanelProps["rowError"]>) {
  const text = [failed.message, ...Object.values(failed.errors).flat()].filter((m, i, all) => m && all.indexOf(m) === i).join(" ");
  return html`<p class="field-error" id="${id}" role="alert">${text}</p>`;
}
