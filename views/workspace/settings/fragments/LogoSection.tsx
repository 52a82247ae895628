import { FormMessage, type FieldErrors } from "../../../components/Field";
import { BusinessLogo, type LogoOwner } from "../../BusinessLogo";

export interface LogoSectionProps {
  business: LogoOwner;
  errors?: FieldErrors;
  /** What just happened, to confirm it. */
  saved?: "logo" | "logo-removed" | null;
}

export const LOGO_SECTION_ID = "business-logo-settings";

const SAVED_MESSAGES = { logo: "The new logo is saved.", "logo-removed": "The logo is removed." } as const;

/**
 * The logo, an upload form and a remove button. Both forms post normally (multipart for the file);
 * with htmx each swaps this whole section, so the preview follows.
 */
export function LogoSection(props: LogoSectionProps) {
  const { business } = props;
  const base = `/business/${encodeURIComponent(business.id)}/settings/logo`;
  const errors = props.errors?.logo ?? [];
  const swap = { "hx-target": `#${LOGO_SECTION_ID}`, "hx-swap": "outerHTML" };
  return (
    <section id={LOGO_SECTION_ID} class="card form settings-logo" aria-labelledby="business-logo-settings-title">
      <h3 id="business-logo-settings-title">Logo</h3>
      <FormMessage kind="success" message={props.saved ? SAVED_MESSAGES[props.saved] : null} />
      <div class="settings-logo-preview">
        {business.logoKey ? <BusinessLogo business={business} size="large" /> : <p class="muted">No logo yet.</p>}
      </div>
      <form method="post" action={base} enctype="multipart/form-data" hx-post={base} hx-encoding="multipart/form-data" {...swap} class="form" novalidate>
        <div class={errors.length ? "field has-error" : "field"}>
          <label for="business-logo-file">{business.logoKey ? "Replace the logo" : "Upload a logo"}</label>
          <p class="hint" id="business-logo-file-hint">
            A PNG, JPEG or WebP image of at most 2 MB.
          </p>
          <input
            id="business-logo-file"
            name="logo"
            type="file"
            accept="image/png,image/jpeg,image/webp"
            aria-invalid={errors.length ? "true" : undefined}
            aria-describedby={errors.length ? "business-logo-file-hint business-logo-file-error" : "business-logo-file-hint"}
          />
          {errors.length ? (
            <p class="field-error" id="business-logo-file-error">
              {errors.join(" ")}
            </p>
          ) : null}
        </div>
        <button type="submit" class="button primary">
          Upload logo
        </button>
      </form>
      {business.logoKey ? (
        <form method="post" action={`${base}/delete`} hx-post={`${base}/delete`} {...swap} class="settings-logo-remove">
          <button type="submit" class="button danger">
            Remove logo
          </button>
        </form>
      ) : null}
    </section>
  );
}
