import { membersBase, onPage, ROLE_LABELS, type MembersPanelProps } from "../types";
import { UnitSelect } from "./UnitSelect";

/**
 * The bulk form: the ticked rows' checkboxes belong to it (form="members-bulk"). "Apply" changes
 * what is chosen here; "Remove selected…" first answers with the confirm step.
 */
export function BulkBar(props: MembersPanelProps) {
  const action = onPage(`${membersBase(props.businessId)}/bulk`, props.page);
  return (
    <form id="members-bulk" class="members-bulk" method="post" action={action} hx-post={action} hx-target="#members-panel" hx-swap="outerHTML">
      <h3>Change the selected members</h3>
      <div class="members-bulk-fields">
        <label>
          <span>Role</span>
          <select name="role">
            <option value="">No change</option>
            {props.grantableRoles.map((role) => (
              <option value={role}>{ROLE_LABELS[role]}</option>
            ))}
          </select>
        </label>
        <label>
          <span>Department</span>
          <UnitSelect id="members-bulk-department" name="departmentId" label="Department" units={props.departments} value="" leading={[["", "No change"], ["none", "None (clear)"]]} />
        </label>
        <label>
          <span>Position</span>
          <UnitSelect id="members-bulk-position" name="positionId" label="Position" units={props.positions} value="" leading={[["", "No change"], ["none", "None (clear)"]]} />
        </label>
      </div>
      <div class="members-bulk-actions">
        <button type="submit" name="action" value="update" class="button primary small">Apply to selected</button>
        <button type="submit" name="action" value="remove" class="button danger small">Remove selected…</button>
      </div>
    </form>
  );
}
