export type FieldErrors = Record<string, string[] | undefined>;

interface FieldProps {
  /** The form's id, so two forms on one page never share an element id. */
  form: string;
  name: string;
  label: string;
  type?: "text" | "email" | "password";
  value?: string;
  autocomplete?: string;
  hint?: string;
  errors?: FieldErrors;
  required?: boolean;
}

/** A labelled input with its hint and its errors right beside it, tied together for screen readers. */
export function Field(props: FieldProps) {
  const id = `${props.form}-${props.name}`;
  const errors = props.errors?.[props.name] ?? [];
  const describedBy = [props.hint ? `${id}-hint` : null, errors.length ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div class={errors.length ? "field has-error" : "field"}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value ?? ""}
        autocomplete={props.autocomplete}
        required={props.required ?? true}
        aria-invalid={errors.length ? "true" : undefined}
        aria-describedby={describedBy || undefined}
      />
      {errors.length ? (
        <p class="field-error" id={`${id}-error`}>
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** A message for the whole form (wrong credentials, rate limited), announced when it appears. */
export function FormMessage(props: { kind: "error" | "success"; message?: string | null }) {
  if (!props.message) return null;
  return (
    <p class={`form-message ${props.kind}`} role={props.kind === "error" ? "alert" : "status"}>
      {props.message}
    </p>
  );
}
