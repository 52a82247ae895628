import type { FieldErrors } from "../components/Field";

/**
 * The required "I accept" checkbox, never ticked in advance, with its error beside it: on the
 * register page and on the page that asks again for a new version.
 */
export function AcceptTermsField(props: { form: string; errors?: FieldErrors; terms: string; privacy: string; /** Ticked by the person in the post being shown again. */ checked?: boolean }) {
  const id = `${props.form}-acceptTerms`;
  const errors = props.errors?.acceptTerms ?? [];
  return (
    <div class={errors.length ? "field has-error" : "field"}>
      <label class="choice" for={id}>
        <input id={id} type="checkbox" name="acceptTerms" value="on" checked={props.checked === true} required aria-invalid={errors.length ? "true" : undefined} aria-describedby={errors.length ? `${id}-error` : undefined} />
        <span>
          I accept the{" "}
          <a href="/terms" target="_blank">
            terms of service
          </a>{" "}
          (version {props.terms}) and the{" "}
          <a href="/privacy" target="_blank">
            privacy notice
          </a>{" "}
          (version {props.privacy}).
        </span>
      </label>
      {errors.length ? (
        <p class="field-error" id={`${id}-error`}>
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
