// The provider sign-in rules without a database: which account a sign-in reaches, when it is
// refused, and when the provider's word clears a password set on an unproven address.
import { describe, expect, test } from "bun:test";
import { planProviderSignIn, type SignInSnapshot } from "./oauth-rules";
import type { ProviderProfile } from "./providers";
import type { UserRow } from "./schema";

function account(id: string, fields: Partial<UserRow> = {}): UserRow {
  return {
    id,
    email: `${id}@example.com`,
    name: id,
    passwordHash: "$argon2id$…",
    emailVerified: false,
    isPlatformAdmin: false,
    disabledReason: null,
    disabledAt: null,
    blockId: null,
    createdAt: 0,
    updatedAt: 0,
    ...fields,
  };
}

function profile(fields: Partial<ProviderProfile> = {}): ProviderProfile {
  return { providerUserId: "p-1", email: "ada@example.com", emailVerified: true, name: "Ada", ...fields };
}

function snapshot(fields: Partial<SignInSnapshot> = {}): SignInSnapshot {
  return { profile: profile(), linked: null, signedIn: null, byEmail: null, ...fields };
}

const signedInAs = (user: UserRow | null, id = user?.id ?? "gone") => ({ id, account: user });

describe("a provider account linked already", () => {
  test("signs its user in, whether nobody or that same user is signed in, whatever the email now says", () => {
    const ada = account("ada", { emailVerified: true });
    const elsewhere = profile({ email: "ada.new@example.org", emailVerified: false });
    expect(planProviderSignIn(snapshot({ linked: ada, profile: elsewhere }))).toEqual({ kind: "sign_in_linked", user: ada });
    expect(planProviderSignIn(snapshot({ linked: ada, signedIn: signedInAs(ada) }))).toEqual({ kind: "sign_in_linked", user: ada });
  });

  test("is refused while someone else is signed in (409 provider_linked_elsewhere)", () => {
    const plan = planProviderSignIn(snapshot({ linked: account("ada"), signedIn: signedInAs(account("bob")) }));
    expect(plan).toEqual({ kind: "refuse", refusal: { status: 409, code: "provider_linked_elsewhere" } });
  });

  test("is refused when its user is disabled (403 account_disabled)", () => {
    const plan = planProviderSignIn(snapshot({ linked: account("ada", { disabledAt: 1 }) }));
    expect(plan).toEqual({ kind: "refuse", refusal: { status: 403, code: "account_disabled" } });
  });
});

describe("connecting a provider while signed in", () => {
  test("links it to the signed-in user, who keeps a verified address, password and sessions", () => {
    const bob = account("bob", { emailVerified: true });
    expect(planProviderSignIn(snapshot({ signedIn: signedInAs(bob), profile: profile({ email: bob.email }) }))).toEqual({ kind: "connect", user: bob, proveEmail: false });
  });

  test("proves the account's unverified address when the provider verifies that very address", () => {
    const bob = account("bob");
    expect(planProviderSignIn(snapshot({ signedIn: signedInAs(bob), profile: profile({ email: bob.email }) }))).toMatchObject({ kind: "connect", proveEmail: true });
  });

  test("proves nothing when the provider vouches for another address, or has not verified it", () => {
    const bob = account("bob");
    const otherAddress = planProviderSignIn(snapshot({ signedIn: signedInAs(bob), profile: profile({ email: "someone@example.org" }) }));
    expect(otherAddress).toEqual({ kind: "connect", user: bob, proveEmail: false });
    const unverified = planProviderSignIn(snapshot({ signedIn: signedInAs(bob), profile: profile({ email: bob.email, emailVerified: false }) }));
    expect(unverified).toEqual({ kind: "connect", user: bob, proveEmail: false });
    const noEmail = planProviderSignIn(snapshot({ signedIn: signedInAs(bob), profile: profile({ email: null }) }));
    expect(noEmail).toEqual({ kind: "connect", user: bob, proveEmail: false });
  });

  test("is refused (401) when the signed-in account is gone by now", () => {
    expect(planProviderSignIn(snapshot({ signedIn: signedInAs(null, "gone") }))).toEqual({ kind: "refuse", refusal: { status: 401, code: "unauthenticated" } });
  });
});

describe("an account with the provider's email", () => {
  test("is linked when the provider verified the email; an unproven address is proven, clearing its password and sessions", () => {
    const squatted = account("victim");
    const plan = planProviderSignIn(snapshot({ byEmail: squatted, profile: profile({ email: squatted.email }) }));
    expect(plan).toEqual({ kind: "link_by_email", user: squatted, proveEmail: true });
  });

  test("an already verified account is linked and keeps its password and sessions", () => {
    const owner = account("owner", { emailVerified: true });
    expect(planProviderSignIn(snapshot({ byEmail: owner, profile: profile({ email: owner.email }) }))).toEqual({ kind: "link_by_email", user: owner, proveEmail: false });
  });

  test("is never linked when the provider has not verified the email (409), disabled or not", () => {
    for (const owner of [account("cautious"), account("cautious", { disabledAt: 1 })]) {
      const plan = planProviderSignIn(snapshot({ byEmail: owner, profile: profile({ email: owner.email, emailVerified: false }) }));
      expect(plan).toEqual({ kind: "refuse", refusal: { status: 409, code: "email_not_verified" } });
    }
  });

  test("is refused when disabled (403)", () => {
    const gone = account("gone", { disabledAt: 1, emailVerified: true });
    expect(planProviderSignIn(snapshot({ byEmail: gone, profile: profile({ email: gone.email }) }))).toEqual({ kind: "refuse", refusal: { status: 403, code: "account_disabled" } });
  });
});

describe("nobody to link to", () => {
  test("creates an account with the provider's email, verified as the provider says, the name cut to 100 characters", () => {
    expect(planProviderSignIn(snapshot({ profile: profile({ email: "fresh@example.net", emailVerified: false, name: "n".repeat(150) }) }))).toEqual({
      kind: "create",
      email: "fresh@example.net",
      name: "n".repeat(100),
      emailVerified: false,
    });
    expect(planProviderSignIn(snapshot())).toEqual({ kind: "create", email: "ada@example.com", name: "Ada", emailVerified: true });
  });

  test("is refused without an email (400 email_required)", () => {
    expect(planProviderSignIn(snapshot({ profile: profile({ email: null }) }))).toEqual({ kind: "refuse", refusal: { status: 400, code: "email_required" } });
  });
});
