import { Field, type FieldErrors } from "../../components/Field";

export interface AuditFilterProps {
  values: Record<string, string | undefined>;
  errors?: FieldErrors;
  /** Sent beside an htmx answer so errors (or their absence) show beside the fields. */
  oob?: boolean;
}

/** A plain GET form; htmx swaps only the results below it and keeps the address in step. */
export function AuditFilterForm(props: AuditFilterProps) {
  const { values, errors } = props;
  const field = (name: string, label: string, hint?: string) => (
    <Field form="audit" name={name} label={label} hint={hint} value={values[name] ?? ""} errors={errors} required={false} />
  );
  return (
    <form
      id="audit-filter"
      class="card filter-form"
      method="get"
      action="/admin-portal/audit"
      hx-get="/admin-portal/audit"
      hx-target="#audit-results"
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-swap-oob={props.oob ? "true" : undefined}
      novalidate
    >
      <h2>Filter</h2>
      <div class="filter-fields">
        {field("actor", "Actor", "A user id or an email address.")}
        {field("action", "Action", "Exact, like auth.login, or a prefix ending in a dot, like auth.")}
        {field("targetType", "Target type", "Like user or session.")}
        {field("targetId", "Target id")}
        {field("from", "From", "YYYY-MM-DD, UTC, inclusive.")}
        {field("to", "To", "YYYY-MM-DD, UTC, inclusive.")}
      </div>
      {values.limit ? <input type="hidden" name="limit" value={values.limit} /> : null}
      <div class="row-actions">
        <button type="submit" class="button primary">Apply filters</button>
        <a class="button" href="/admin-portal/audit">Clear</a>
      </div>
    </form>
  );
}
