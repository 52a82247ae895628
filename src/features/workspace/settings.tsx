import type { Child } from "hono/jsx";
import { SettingsPanel, type SettingsSaved } from "../../../views/workspace/settings/SettingsPanel";
import { hasRole, type Membership } from "./access";
import type { TabRenderer } from "./tab-content";

const SAVED: readonly SettingsSaved[] = ["details", "logo", "logo-removed"];

/** `?saved=` after a plain form post, if it names something this tab confirms. */
export function savedFrom(value: string | undefined): SettingsSaved | null {
  return SAVED.find((s) => s === value) ?? null;
}

/** The settings panel for this member: forms for owners and admins, read-only for anyone else. */
export function settingsPanel(membership: Membership, options: { saved?: SettingsSaved | null; overrides?: { details?: Child; logo?: Child } } = {}) {
  return (
    <SettingsPanel
      business={membership.business}
      canEdit={hasRole(membership.member, "admin")}
      isOwner={hasRole(membership.member, "owner")}
      saved={options.saved}
      overrides={options.overrides}
    />
  );
}

/**
 * The settings tab's own content (tabs.tsx appends the module configuration below it): the
 * business's name, description and logo. The forms post to settings-routes.tsx.
 */
export const settingsTab: TabRenderer = async (c, membership) => settingsPanel(membership, { saved: savedFrom(c.req.query("saved")) });
