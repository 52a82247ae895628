// The consent feature's service API: what other features ask before doing what needs consent, and
// what sign-up records. Its routes and the gate are in mount.ts.
import { hasConsent } from "./service";

export { hasConsent, recordSignUpConsents, requiredToAccept, consentsOf } from "./service";
export { signUpConsentFields, ACCEPT_TERMS_MESSAGE } from "./input";
export { loadConsentSection } from "./profile-section";
export { PURPOSES, OPTIONAL_PURPOSES, REQUIRED_PURPOSES, type Purpose } from "./purposes";
export type { PurposeState } from "./consent-rules";

/** `consents.has(deps, userId, purpose)`: the one question a feature asks before it sends product mail, runs analytics or the assistant. */
export const consents = { has: hasConsent } as const;
