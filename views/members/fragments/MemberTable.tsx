import { Time } from "../../components/Time";
import { canManage, grantableRoles, membersBase, ROLE_LABELS, type MembersPanelProps, type MemberView } from "../types";
import { UnitSelect } from "./UnitSelect";

const panelTarget = { "hx-target": "#members-panel", "hx-swap": "outerHTML" };

/**
 * Every member, one row each. Admins get a checkbox per row (tied to the bulk form by its id) and an
 * edit form per row whose selects sit in the cells and join the form through the `form` attribute,
 * so it all posts without JavaScript. Managers and members see the same table, read-only.
 */
export function MemberTable(props: MembersPanelProps) {
  const admin = canManage(props.me);
  const selected = new Set(props.selected ?? []);
  return (
    <div class="members-table-wrap">
      <table class="members-table">
        <caption class="members-sr">Members of {props.businessName}</caption>
        <thead>
          <tr>
            {admin ? <th scope="col"><span class="members-sr">Select</span></th> : null}
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Department</th>
            <th scope="col">Position</th>
            <th scope="col">Joined</th>
            {admin ? <th scope="col"><span class="members-sr">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {props.members.map((member) => (
            <MemberRow {...props} member={member} admin={admin} checked={selected.has(member.userId)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MemberRow(props: MembersPanelProps & { member: MemberView; admin: boolean; checked: boolean }) {
  const { member, me } = props;
  const editable = canManage(me, member);
  const formId = `member-${member.userId}`;
  const failed = props.rowError?.userId === member.userId ? props.rowError : null;
  const errorId = `${formId}-error`;
  const value = (field: "role" | "departmentId" | "positionId", current: string | null) => (failed ? (failed.values[field] ?? "") : (current ?? ""));
  const invalid = (field: string) => Boolean(failed?.errors[field]?.length);
  const you = member.userId === me.userId ? <span class="badge">You</span> : null;
  return (
    <tr id={`member-row-${member.userId}`} class={failed ? "has-error" : undefined}>
      {props.admin ? (
        <td>
          {editable ? (
            <input type="checkbox" name="userId" value={member.userId} form="members-bulk" checked={props.checked} aria-label={`Select ${member.name}`} />
          ) : null}
        </td>
      ) : null}
      <th scope="row">
        <span class="member-name">{member.name}</span>
        {you}
        <span class="member-email">{member.email}</span>
      </th>
      {editable ? (
        <>
          <td>
            <select id={`${formId}-role`} name="role" form={formId} aria-label={`Role of ${member.name}`} aria-invalid={invalid("role") ? "true" : undefined} aria-describedby={failed ? errorId : undefined}>
              {grantableRoles(me).map((role) => (
                <option value={role} selected={value("role", member.role) === role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
          </td>
          <td>
            <UnitSelect id={`${formId}-departmentId`} name="departmentId" form={formId} label={`Department of ${member.name}`} units={props.departments} value={value("departmentId", member.department?.id ?? null)} leading={[["", "None"]]} invalid={invalid("departmentId")} describedBy={failed ? errorId : undefined} />
          </td>
          <td>
            <UnitSelect id={`${formId}-positionId`} name="positionId" form={formId} label={`Position of ${member.name}`} units={props.positions} value={value("positionId", member.position?.id ?? null)} leading={[["", "None"]]} invalid={invalid("positionId")} describedBy={failed ? errorId : undefined} />
          </td>
        </>
      ) : (
        <>
          <td>{ROLE_LABELS[member.role]}</td>
          <td>{member.department?.name ?? <span class="muted">—</span>}</td>
          <td>{member.position?.name ?? <span class="muted">—</span>}</td>
        </>
      )}
      <td>
        <Time at={member.joinedAt} />
      </td>
      {props.admin ? (
        <td>
          {editable ? (
            <div class="member-actions">
              <form id={formId} method="post" action={`${membersBase(props.businessId)}/${member.userId}/update`} hx-post={`${membersBase(props.businessId)}/${member.userId}/update`} {...panelTarget}>
                <button type="submit" class="button small">Save<span class="members-sr"> {member.name}</span></button>
              </form>
              <form method="post" action={`${membersBase(props.businessId)}/bulk`} hx-post={`${membersBase(props.businessId)}/bulk`} {...panelTarget}>
                <input type="hidden" name="action" value="remove" />
                <input type="hidden" name="userId" value={member.userId} />
                <button type="submit" class="button small danger">Remove…<span class="members-sr"> {member.name}</span></button>
              </form>
            </div>
          ) : (
            <span class="muted">Only an owner may change an owner.</span>
          )}
          {failed ? (
            <p class="field-error" id={errorId} role="alert">
              {[failed.message, ...Object.values(failed.errors).flat()].filter((m, i, all) => m && all.indexOf(m) === i).join(" ")}
            </p>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
