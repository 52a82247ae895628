// What a provider sign-in does, as a pure function over a snapshot of the accounts involved:
// oauth.ts reads the snapshot inside its write transaction, plans here, and carries out the plan
// with its audit entries. No database, no Hono: each rule is easy to test on its own.
import type { SignInErrorCode } from "./oauth-messages";
import type { ProviderProfile } from "./providers";
import type { UserRow } from "./schema";

export interface SignInSnapshot {
  /** What the provider says about the person. */
  profile: ProviderProfile;
  /** The account already linked to this provider account, if any. */
  linked: UserRow | null;
  /**
   * Someone signed in, connecting a provider: their id, and their account as it is now (null when
   * it is gone by now, removed mid-flow). Null when nobody is signed in.
   */
  signedIn: { id: string; account: UserRow | null } | null;
  /** The account with the provider's email; looked up only when nobody is signed in. */
  byEmail: UserRow | null;
}

/** A refusal: one of the sign-in error codes (a message on the page), or 401 when the signed-in account is gone. */
export type SignInRefusal =
  | { status: 400 | 403 | 409; code: Extract<SignInErrorCode, "provider_linked_elsewhere" | "account_disabled" | "email_not_verified" | "email_required"> }
  | { status: 401; code: "unauthenticated" };

export type SignInPlan =
  | { kind: "refuse"; refusal: SignInRefusal }
  /** The provider account is linked already: sign its user in, nothing to write. */
  | { kind: "sign_in_linked"; user: UserRow }
  /**
   * Link the provider account to `user` — the signed-in user ("connect") or the account with the
   * email the provider has verified ("link_by_email") — then sign that user in. `proveEmail`: the
   * provider proves this person owns the account's unverified address, so whoever set the password,
   * or connected a provider, while it was unproven did not (account pre-hijacking): the address
   * becomes verified, and that password, those sessions and those provider links go.
   */
  | { kind: "connect" | "link_by_email"; user: UserRow; proveEmail: boolean }
  /** A new account with the provider's email (verified as the provider says), linked and signed in. */
  | { kind: "create"; email: string; name: string; emailVerified: boolean };

const refuse = (status: SignInRefusal["status"], code: SignInRefusal["code"]): SignInPlan => ({ kind: "refuse", refusal: { status, code } as SignInRefusal });

/** Whether the provider proves that this person owns `account`'s still unverified address. */
function provesEmailOf(profile: ProviderProfile, account: UserRow): boolean {
  // Only the account's own address counts: a signed-in user connecting a provider that vouches for
  // some other address has proven nothing about this account's email.
  return !account.emailVerified && profile.emailVerified && profile.email === account.email;
}

/**
 * The account already linked to the provider account; else the signed-in user (connecting a
 * provider); else the account with the same email, but only when the provider has verified that
 * email; else a new account.
 */
export function planProviderSignIn(snapshot: SignInSnapshot): SignInPlan {
  const { profile, linked, signedIn, byEmail } = snapshot;
  if (linked) {
    if (signedIn && signedIn.id !== linked.id) return refuse(409, "provider_linked_elsewhere");
    // Disabled by its own deletion request: the sign-in goes on to the offer to cancel it (openSession).
    if (linked.disabledAt !== null && !(linked.disabledReason === "deletion" && !signedIn)) return refuse(403, "account_disabled");
    return { kind: "sign_in_linked", user: linked };
  }
  if (signedIn) {
    if (!signedIn.account) return refuse(401, "unauthenticated");
    return { kind: "connect", user: signedIn.account, proveEmail: provesEmailOf(profile, signedIn.account) };
  }
  if (byEmail) {
    if (!profile.emailVerified) return refuse(409, "email_not_verified");
    if (byEmail.disabledAt !== null) return refuse(403, "account_disabled");
    return { kind: "link_by_email", user: byEmail, proveEmail: provesEmailOf(profile, byEmail) };
  }
  if (!profile.email) return refuse(400, "email_required");
  return { kind: "create", email: profile.email, name: profile.name.slice(0, 100), emailVerified: profile.emailVerified };
}
