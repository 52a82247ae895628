import type { ProviderId } from "./providers";

const LABELS: Record<ProviderId, string> = { github: "GitHub", google: "Google", microsoft: "Microsoft" };

// A failed provider sign-in lands on a page with `?error=<code>`; only these fixed texts are ever
// shown for it, so nobody can put words of their own on our sign-in page through a link.
const MESSAGES = {
  cancelled: (p: string) => `${p} sign-in was cancelled.`,
  expired: () => "That sign-in link has expired or was not started here. Try again.",
  exchange_failed: (p: string) => `${p} did not accept the sign-in. Try again.`,
  profile_failed: (p: string) => `Could not read your ${p} profile. Try again.`,
  provider_linked_elsewhere: () => "That account is already connected to another user.",
  account_disabled: () => "This account is disabled.",
  email_not_verified: () =>
    "An account with this email exists, and the provider has not verified the address. Sign in with your password instead.",
  email_required: () => "The provider did not share an email address, which an account needs.",
  overlapped: () => "That sign-in overlapped another one. Try again.",
  reauthenticate: (p: string) => `To connect ${p}, sign in again first (within 10 minutes), then connect it.`,
} satisfies Record<string, (providerLabel: string) => string>;

export type SignInErrorCode = keyof typeof MESSAGES;

export function isSignInErrorCode(code: string): code is SignInErrorCode {
  return Object.hasOwn(MESSAGES, code);
}

export function providerLabel(id: string): string {
  return Object.hasOwn(LABELS, id) ? LABELS[id as ProviderId] : "The provider";
}

/** The text for `?error=<code>&provider=<id>`, or null for anything we did not write. */
export function signInErrorMessage(code: string | undefined, provider?: string): string | null {
  if (!code || !isSignInErrorCode(code)) return null;
  return MESSAGES[code](providerLabel(provider ?? ""));
}
