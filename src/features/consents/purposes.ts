// What a person can consent to. The two required purposes are the documents an account is made
// under (their versions come from config); the optional ones start off and are asked by the
// features that would need them (docs/architecture.md, "Consent").
import type { Config } from "../../config";

export const PURPOSES = ["terms", "privacy", "product_emails", "assistant", "analytics"] as const;
export type Purpose = (typeof PURPOSES)[number];
export const REQUIRED_PURPOSES = ["terms", "privacy"] as const satisfies readonly Purpose[];
export const OPTIONAL_PURPOSES = ["product_emails", "assistant", "analytics"] as const satisfies readonly Purpose[];
export type OptionalPurpose = (typeof OPTIONAL_PURPOSES)[number];

export interface PurposeInfo {
  label: string;
  description: string;
  required: boolean;
}

export const PURPOSE_INFO: Record<Purpose, PurposeInfo> = {
  terms: { label: "Terms of service", description: "The rules for using Block on Block.", required: true },
  privacy: { label: "Privacy notice", description: "What we keep about you, why, and for how long.", required: true },
  product_emails: { label: "Product emails", description: "Occasional mail about new features. Security and account mail is sent regardless.", required: false },
  assistant: { label: "AI assistant", description: "Let the AI assistant process your data (messages, calendar) when you ask it something.", required: false },
  analytics: { label: "Usage analytics", description: "Count how you use the app (pages, features) to improve it. Never sold, never shared.", required: false },
};

export function isPurpose(value: string): value is Purpose {
  return (PURPOSES as readonly string[]).includes(value);
}

export function isRequired(purpose: Purpose): boolean {
  return PURPOSE_INFO[purpose].required;
}

/**
 * The version a consent to this purpose is given to now: the terms' own version for the terms; the
 * privacy notice's for the notice and for every optional purpose (the notice describes them).
 */
export function currentVersion(config: Pick<Config, "TERMS_VERSION" | "PRIVACY_VERSION">, purpose: Purpose): string {
  return purpose === "terms" ? config.TERMS_VERSION : config.PRIVACY_VERSION;
}
