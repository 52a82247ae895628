import { Field, FormMessage, type FieldErrors } from "../../components/Field";

export interface NewBusinessFormProps {
  values?: { name?: string; kind?: string; description?: string };
  errors?: FieldErrors;
  message?: string | null;
}

export function NewBusinessForm(props: NewBusinessFormProps) {
  const kind = props.values?.kind ?? "company";
  const kindErrors = props.errors?.kind ?? [];
  return (
    <form id="business-form" class="card form" method="post" action="/businesses/new" hx-post="/businesses/new" hx-target="this" hx-swap="outerHTML" novalidate>
      <FormMessage kind="error" message={props.message} />
      <Field form="business" name="name" label="Name" autocomplete="organization" value={props.values?.name} errors={props.errors} />
      <fieldset class={kindErrors.length ? "field has-error" : "field"} aria-describedby={kindErrors.length ? "business-kind-error" : undefined}>
        <legend>Kind</legend>
        <label class="choice">
          <input type="radio" name="kind" value="company" checked={kind === "company"} /> Company
        </label>
        <label class="choice">
          <input type="radio" name="kind" value="institution" checked={kind === "institution"} /> Educational institution
        </label>
        {kindErrors.length ? (
          <p class="field-error" id="business-kind-error">
            {kindErrors.join(" ")}
          </p>
        ) : null}
      </fieldset>
      <div class="field">
        <label for="business-description">Description</label>
        <textarea id="business-description" name="description" rows={3} maxlength={2000}>
          {props.values?.description ?? ""}
        </textarea>
      </div>
      <button type="submit" class="button primary">Create business</button>
    </form>
  );
}
