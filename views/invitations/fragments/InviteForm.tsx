import type { FieldErrors } from "../../components/Field";

export interface InviteFormProps {
  action: string;
  roles: string[];
  defaultRole: string;
  kind: "business" | "household";
  departments: string[];
  positions: string[];
  values?: { text?: string; defaultRole?: string };
  errors?: FieldErrors;
}

/** Paste a list or upload a CSV file; the answer replaces the whole invitations panel. */
export function InviteForm(props: InviteFormProps) {
  const errors = props.errors ?? {};
  const chosen = props.values?.defaultRole || props.defaultRole;
  const columns = props.kind === "business" ? "email, role, department, position" : "email, role";
  const textErrors = [...(errors.text ?? []), ...(errors._form ?? [])];
  return (
    <form
      id="invite-form"
      class="card form invite-form"
      method="post"
      action={props.action}
      enctype="multipart/form-data"
      hx-post={props.action}
      hx-encoding="multipart/form-data"
      hx-target="#invitations-panel"
      hx-swap="outerHTML"
    >
      <h2>Invite people</h2>
      <div class={textErrors.length ? "field has-error" : "field"}>
        <label for="invite-text">Email addresses</label>
        <p class="hint" id="invite-text-hint">
          One per line: just an address, or “{columns}”.
          {props.kind === "business" && props.departments.length ? ` Departments: ${props.departments.join(", ")}.` : ""}
          {props.kind === "business" && props.positions.length ? ` Positions: ${props.positions.join(", ")}.` : ""}
        </p>
        <textarea
          id="invite-text"
          name="text"
          rows={6}
          aria-describedby={textErrors.length ? "invite-text-hint invite-text-error" : "invite-text-hint"}
          aria-invalid={textErrors.length ? "true" : undefined}
          placeholder={props.kind === "business" ? "ada@example.com\nbob@example.com, manager, Sales, Engineer" : "sam@example.com\nkim@example.com, teen"}
        >
          {props.values?.text ?? ""}
        </textarea>
        {textErrors.length ? (
          <p class="field-error" id="invite-text-error">
            {textErrors.join(" ")}
          </p>
        ) : null}
      </div>
      <div class={errors.file ? "field has-error" : "field"}>
        <label for="invite-file">…or upload a CSV file</label>
        <p class="hint" id="invite-file-hint">
          First line: <code>email,role,department,position</code>. Text (UTF-8), at most 1 MB.
        </p>
        <input
          id="invite-file"
          name="file"
          type="file"
          accept=".csv,text/csv,text/plain"
          aria-describedby={errors.file ? "invite-file-hint invite-file-error" : "invite-file-hint"}
          aria-invalid={errors.file ? "true" : undefined}
        />
        {errors.file ? (
          <p class="field-error" id="invite-file-error">
            {errors.file.join(" ")}
          </p>
        ) : null}
      </div>
      <div class="field">
        <label for="invite-role">Role when a line names none</label>
        <select id="invite-role" name="defaultRole">
          {props.roles.map((role) => (
            <option value={role} selected={role === chosen}>
              {role}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="button primary">Send invitations</button>
    </form>
  );
}
