import type { Child } from "hono/jsx";
import { BusinessLogo, type LogoOwner } from "../BusinessLogo";
import { DetailsForm } from "./fragments/DetailsForm";
import { LogoSection } from "./fragments/LogoSection";
import { TwoFactorPolicyForm } from "./fragments/TwoFactorPolicyForm";

export type SettingsSaved = "details" | "logo" | "logo-removed";

export interface SettingsPanelProps {
  business: LogoOwner & { description: string; requireTwoFactor?: boolean | number };
  /** Only owners decide whether members must use two factors. */
  isOwner?: boolean;
  /** Owners and admins get the forms; anyone else the tab lets in sees the settings read-only. */
  canEdit: boolean;
  /** What a plain form post just saved (`?saved=`), to confirm it. */
  saved?: SettingsSaved | null;
  /** A part shown as given: a form with its errors after a plain form post. */
  overrides?: { details?: Child; logo?: Child };
}

/** The settings tab's own content: the business's details and its logo. */
export function SettingsPanel(props: SettingsPanelProps) {
  const { business, saved, overrides = {} } = props;
  if (!props.canEdit) {
    return (
      <section class="card settings-readonly">
        <BusinessLogo business={business} size="large" />
        <h3>{business.name}</h3>
        {business.description ? <p>{business.description}</p> : null}
        <p class="muted">Only the business's owners and admins can change these settings.</p>
      </section>
    );
  }
  return (
    <div class="settings-panel">
      {overrides.details ?? <DetailsForm businessId={business.id} values={business} saved={saved === "details"} />}
      {overrides.logo ?? <LogoSection business={business} saved={saved === "logo" || saved === "logo-removed" ? saved : null} />}
      <TwoFactorPolicyForm businessId={business.id} required={Boolean(business.requireTwoFactor)} canChange={props.isOwner === true} />
      <section class="card">
        <h3>Plan and billing</h3>
        <p>
          <a href={`/billing/business/${business.id}`}>The plan, paid modules and invoices</a>
        </p>
      </section>
    </div>
  );
}
