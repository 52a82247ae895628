import { Field, FormMessage, type FieldErrors } from "../../../components/Field";

export interface DetailsFormProps {
  businessId: string;
  values: { name: string; description: string };
  errors?: FieldErrors;
  saved?: boolean;
}

export const DETAILS_FORM_ID = "business-settings-form";

/** Name and description. A plain post redirects back; htmx swaps this form with its errors or a confirmation. */
export function DetailsForm(props: DetailsFormProps) {
  const action = `/business/${encodeURIComponent(props.businessId)}/settings`;
  const descriptionErrors = props.errors?.description ?? [];
  const formErrors = props.errors?._form ?? [];
  return (
    <form id={DETAILS_FORM_ID} class="card form settings-details" method="post" action={action} hx-post={action} hx-target="this" hx-swap="outerHTML" novalidate>
      <h3>Details</h3>
      <FormMessage kind="success" message={props.saved ? "The business details are saved." : null} />
      <FormMessage kind="error" message={formErrors.length ? formErrors.join(" ") : null} />
      <Field form="business-settings" name="name" label="Name" autocomplete="organization" value={props.values.name} errors={props.errors} />
      <div class={descriptionErrors.length ? "field has-error" : "field"}>
        <label for="business-settings-description">Description</label>
        <p class="hint" id="business-settings-description-hint">
          What the business is, for its members. At most 2,000 characters.
        </p>
        <textarea
          id="business-settings-description"
          name="description"
          rows={4}
          maxlength={2000}
          aria-invalid={descriptionErrors.length ? "true" : undefined}
          aria-describedby={["business-settings-description-hint", descriptionErrors.length ? "business-settings-description-error" : null].filter(Boolean).join(" ")}
        >
          {props.values.description}
        </textarea>
        {descriptionErrors.length ? (
          <p class="field-error" id="business-settings-description-error">
            {descriptionErrors.join(" ")}
          </p>
        ) : null}
      </div>
      <button type="submit" class="button primary">
        Save details
      </button>
    </form>
  );
}
