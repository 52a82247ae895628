import { FormMessage, type FieldErrors } from "../../components/Field";

export interface PreferencesFormProps {
  /** Every kind, in the order the settings show them. */
  kinds: { kind: string; label: string }[];
  /** Each delivery and what the select calls it. */
  deliveries: { value: string; label: string }[];
  /** Kind → the delivery to show selected (what was sent, after a refusal). */
  values: Record<string, string>;
  errors?: FieldErrors;
  message?: { kind: "error" | "success"; text: string } | null;
}

/** One select per kind (In app / Email too / Off), errors beside each; htmx swaps the form with its answer. */
export function PreferencesForm(props: PreferencesFormProps) {
  const formErrors = props.errors?._form ?? [];
  return (
    <form id="notification-preferences" method="post" action="/notifications/settings" class="form" hx-post="/notifications/settings" hx-target="this" hx-swap="outerHTML">
      <FormMessage kind={props.message?.kind ?? "error"} message={props.message?.text ?? (formErrors.length ? formErrors.join(" ") : null)} />
      {props.kinds.map(({ kind, label }) => {
        const id = `notification-preference-${kind.replace(/[^a-z0-9]+/gi, "-")}`;
        const errors = props.errors?.[kind] ?? [];
        return (
          <div class={errors.length ? "field has-error" : "field"}>
            <label for={id}>{label}</label>
            <select id={id} name={kind} aria-invalid={errors.length ? "true" : undefined} aria-describedby={errors.length ? `${id}-error` : undefined}>
              {props.deliveries.map((d) => (
                <option value={d.value} selected={props.values[kind] === d.value}>
                  {d.label}
                </option>
              ))}
            </select>
            {errors.length ? (
              <p class="field-error" id={`${id}-error`}>
                {errors.join(" ")}
              </p>
            ) : null}
          </div>
        );
      })}
      <button type="submit" class="button primary">
        Save
      </button>
    </form>
  );
}
