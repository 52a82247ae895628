// Sign-in with GitHub, Google and Microsoft, end to end: the app's real routes through app.request(),
// a real OAuth 2 server (oauth2-mock-server) for authorize/token/userinfo, and a small stand-in for
// the GitHub REST API. Every provider endpoint is overridden by env and listens on 127.0.0.1 only.
import { describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents, oauthAccounts, sessions, users } from "../../schema";
import { bearerRequest, Browser, loginToken, registerUser, signedInBrowser } from "../../test/app";
import { signIn, expectSignedIn, expectRefused, shownAlert, userByEmail, linksOf, auditOf, useOAuthApp } from "./oauth-flow.fixture";
import { github, google, microsoft } from "./oauth-providers.fixture";
import { mailTo } from "../../test/mail";

const f = useOAuthApp();

// ---------------------------------------------------------------------------------------------

describe("Google", () => {
  test("a new user with a verified email is created, linked and signed in; audit says so", async () => {
    const browser = new Browser(f.t.app);
    const result = await signIn(f.providers, browser, "google", google({ sub: "g-ada", email: "Ada@Example.org", email_verified: true, name: "Ada Lovelace" }));
    const me = await expectSignedIn(browser, result, "google");
    expect(me).toMatchObject({ email: "ada@example.org", name: "Ada Lovelace", emailVerified: true, isPlatformAdmin: false });

    const row = await userByEmail(f.t, "ada@example.org");
    expect(row!.id).toBe(me.id);
    expect(row!.passwordHash).toBeNull();
    const links = await linksOf(f.t, me.id);
    expect(links.map((l) => [l.provider, l.providerUserId])).toEqual([["google", "g-ada"]]);

    const [register] = await auditOf(f.t, "auth.register", me.id);
    expect(register!.details).toMatchObject({ method: "google", platformAdmin: false });
    const [link] = await auditOf(f.t, "auth.provider_link", me.id);
    expect(link!.details).toMatchObject({ provider: "google", email: "ada@example.org" });
    const logins = await auditOf(f.t, "auth.login", me.id);
    expect(logins.map((e) => e.details)).toEqual([{ method: "google" }]);
  });

  test("signing in again with the same subject reaches the same user, whatever the email now says", async () => {
    const before = (await f.t.deps.db.select().from(users)).length;
    const browser = new Browser(f.t.app);
    const result = await signIn(f.providers, browser, "google", google({ sub: "g-ada", email: "ada.new@example.org", email_verified: true, name: "Ada L." }));
    const me = await expectSignedIn(browser, result, "google");
    expect(me.email).toBe("ada@example.org");
    expect((await f.t.deps.db.select().from(users)).length).toBe(before);
    expect(await linksOf(f.t, me.id)).toHaveLength(1);
    expect(await auditOf(f.t, "auth.login", me.id)).toHaveLength(2);
    expect(await auditOf(f.t, "auth.provider_link", me.id)).toHaveLength(1);
  });

  test("?next= is followed for a local path and ignored for another site", async () => {
    const local = new Browser(f.t.app);
    const ok = await signIn(f.providers, local, "google", google({ sub: "g-ada", email: "ada@example.org", email_verified: true }), "?next=/profile%3Fsaved%3Dname");
    await expectSignedIn(local, ok, "google", "/profile?saved=name");
    const foreign = new Browser(f.t.app);
    const evil = await signIn(f.providers, foreign, "google", google({ sub: "g-ada", email: "ada@example.org", email_verified: true }), "?next=//evil.example/x");
    await expectSignedIn(foreign, evil, "google", "/home");
  });

  test("an unverified password account whose email Google verifies is linked; its password and old sessions end", async () => {
    // Someone registered this address with a password and never proved they own it.
    const squatted = await registerUser(f.t.app, "victim@example.com", "Squatter", undefined, { verified: false });
    const oldToken = await loginToken(f.t.app, "victim@example.com");
    expect((await bearerRequest(f.t.app, oldToken, "/api/auth/me")).status).toBe(200);

    const browser = new Browser(f.t.app);
    const result = await signIn(f.providers, browser, "google", google({ sub: "g-victim", email: "victim@example.com", email_verified: true, name: "Real Owner" }));
    const me = await expectSignedIn(browser, result, "google");
    expect(me.id).toBe(squatted.id);
    expect(me.emailVerified).toBe(true);

    await expect(loginToken(f.t.app, "victim@example.com")).rejects.toThrow("login victim@example.com: 401 ");
    expect((await bearerRequest(f.t.app, oldToken, "/api/auth/me")).status).toBe(401);
    const remaining = await f.t.deps.db.select().from(sessions).where(eq(sessions.userId, squatted.id));
    expect(remaining).toHaveLength(1);
    expect((await userByEmail(f.t, "victim@example.com"))!.passwordHash).toBeNull();
    const [verified] = await auditOf(f.t, "auth.email_verified_by_provider", squatted.id);
    expect(verified!.details).toEqual({ provider: "google", passwordCleared: true, sessionsEnded: 1, providersUnlinked: [] });
    const [link] = await auditOf(f.t, "auth.provider_link", squatted.id);
    expect(link!.details).toMatchObject({ provider: "google", email: "victim@example.com" });
  });

  test("an already verified password account is linked and keeps its password and sessions", async () => {
    const owner = await registerUser(f.t.app, "verified@example.com", "Verified");
    await f.t.deps.db.update(users).set({ emailVerified: true }).where(eq(users.id, owner.id));
    const oldToken = await loginToken(f.t.app, "verified@example.com");

    const browser = new Browser(f.t.app);
    const me = await expectSignedIn(browser, await signIn(f.providers, browser, "google", google({ sub: "g-verified", email: "verified@example.com", email_verified: true })), "google");
    expect(me.id).toBe(owner.id);
    expect((await bearerRequest(f.t.app, oldToken, "/api/auth/me")).status).toBe(200);
    expect(await loginToken(f.t.app, "verified@example.com")).toBeTruthy();
    expect(await auditOf(f.t, "auth.email_verified_by_provider", owner.id)).toHaveLength(0);
  });

  test("email_verified=false never links to an existing account", async () => {
    const owner = await registerUser(f.t.app, "cautious@example.com", "Cautious", undefined, { verified: false });
    const browser = new Browser(f.t.app);
    const { response } = await signIn(f.providers, browser, "google", google({ sub: "g-impostor", email: "cautious@example.com", email_verified: false }));
    await expectRefused(browser, response, /not verified/);
    expect(await linksOf(f.t, owner.id)).toHaveLength(0);
    expect((await f.t.deps.db.select().from(oauthAccounts).where(eq(oauthAccounts.providerUserId, "g-impostor"))).length).toBe(0);
    expect(await loginToken(f.t.app, "cautious@example.com")).toBeTruthy();
    expect((await userByEmail(f.t, "cautious@example.com"))!.emailVerified).toBe(false);
  });

  test("a new address Google has not verified makes an unverified account", async () => {
    const browser = new Browser(f.t.app);
    const me = await expectSignedIn(browser, await signIn(f.providers, browser, "google", google({ sub: "g-fresh", email: "fresh@example.net", email_verified: false })), "google");
    expect(me).toMatchObject({ email: "fresh@example.net", emailVerified: false, name: "fresh" });
  });

  test("no email and no account: refused with a message, nothing created", async () => {
    const before = (await f.t.deps.db.select().from(users)).length;
    const browser = new Browser(f.t.app);
    const { response } = await signIn(f.providers, browser, "google", google({ sub: "g-noemail" }));
    await expectRefused(browser, response, /email/);
    expect((await f.t.deps.db.select().from(users)).length).toBe(before);
  });

  test("a disabled account cannot sign in through its provider", async () => {
    const browser = new Browser(f.t.app);
    const me = await expectSignedIn(browser, await signIn(f.providers, browser, "google", google({ sub: "g-disabled", email: "gone@example.net", email_verified: true })), "google");
    await f.t.deps.db.update(users).set({ disabledAt: Date.now() }).where(eq(users.id, me.id));
    const later = new Browser(f.t.app);
    const { response } = await signIn(f.providers, later, "google", google({ sub: "g-disabled", email: "gone@example.net", email_verified: true }));
    await expectRefused(later, response, /disabled/);
  });
});

describe("Microsoft", () => {
  test("an existing email is refused even when the claim says verified", async () => {
    const owner = await registerUser(f.t.app, "msowner@example.com", "MS Owner");
    const browser = new Browser(f.t.app);
    const { response } = await signIn(f.providers, browser, "microsoft", microsoft({ sub: "ms-attacker", email: "msowner@example.com", email_verified: true }));
    await expectRefused(browser, response, /not verified/);
    expect(await linksOf(f.t, owner.id)).toHaveLength(0);
    expect(await loginToken(f.t.app, "msowner@example.com")).toBeTruthy();
  });

  test("a new Microsoft user gets an account whose email stays unverified", async () => {
    const browser = new Browser(f.t.app);
    const result = await signIn(f.providers, browser, "microsoft", microsoft({ sub: "ms-new", email: "msnew@example.com", email_verified: true, name: "MS New" }));
    const me = await expectSignedIn(browser, result, "microsoft");
    expect(me).toMatchObject({ email: "msnew@example.com", emailVerified: false });
    const [login] = await auditOf(f.t, "auth.login", me.id);
    expect(login!.details).toEqual({ method: "microsoft" });
  });

  test("when the verified owner of the address arrives, the account's unproven Microsoft link is cut", async () => {
    // An attacker's Microsoft account claims an address it does not own, and gets an account by it.
    const attacker = new Browser(f.t.app);
    const squat = await expectSignedIn(attacker, await signIn(f.providers, attacker, "microsoft", microsoft({ sub: "ms-squatter", email: "target@example.com" })), "microsoft");
    expect(squat.emailVerified).toBe(false);
    // The real owner signs in with Google, which has verified the address.
    const owner = new Browser(f.t.app);
    const me = await expectSignedIn(owner, await signIn(f.providers, owner, "google", google({ sub: "g-target", email: "target@example.com", email_verified: true })), "google");
    expect(me.id).toBe(squat.id);
    expect(me.emailVerified).toBe(true);
    expect((await attacker.request("/api/auth/me")).status).toBe(401);
    expect((await linksOf(f.t, me.id)).map((l) => l.provider)).toEqual(["google"]);
    const [verified] = await auditOf(f.t, "auth.email_verified_by_provider", me.id);
    expect(verified!.details).toMatchObject({ provider: "google", passwordCleared: false, providersUnlinked: ["microsoft"] });
    // The attacker's Microsoft account no longer reaches it.
    const again = new Browser(f.t.app);
    const { response } = await signIn(f.providers, again, "microsoft", microsoft({ sub: "ms-squatter", email: "target@example.com" }));
    await expectRefused(again, response, /not verified/);
  });
});

describe("GitHub", () => {
  test("a verified primary email links to the existing account (never a secondary one)", async () => {
    const owner = await registerUser(f.t.app, "octo@example.com", "Octo");
    await f.t.deps.db.update(users).set({ emailVerified: true }).where(eq(users.id, owner.id));
    const browser = new Browser(f.t.app);
    const result = await signIn(f.providers, 
      browser,
      "github",
      github({
        id: 4242,
        login: "octocat",
        name: null,
        emails: [
          { email: "founder@example.com", primary: false, verified: true },
          { email: "Octo@Example.com", primary: true, verified: true },
        ],
      }),
    );
    const me = await expectSignedIn(browser, result, "github");
    expect(me.id).toBe(owner.id);
    const links = await linksOf(f.t, owner.id);
    expect(links.map((l) => [l.provider, l.providerUserId, l.email])).toEqual([["github", "4242", "octo@example.com"]]);
    const logins = await auditOf(f.t, "auth.login", owner.id);
    expect(logins.map((e) => e.details)).toContainEqual({ method: "github" });
    // A second sign-in by the same GitHub id reaches the same account.
    const again = new Browser(f.t.app);
    const second = await signIn(f.providers, again, "github", github({ id: 4242, login: "octocat", name: null, emails: [] }));
    expect((await expectSignedIn(again, second, "github")).id).toBe(owner.id);
  });

  test("a new GitHub user takes its name from the profile, or the login", async () => {
    const browser = new Browser(f.t.app);
    const me = await expectSignedIn(
      browser,
      await signIn(f.providers, browser, "github", github({ id: 77, login: "hubber", name: null, emails: [{ email: "hubber@example.io", primary: true, verified: true }] })),
      "github",
    );
    expect(me).toMatchObject({ email: "hubber@example.io", name: "hubber", emailVerified: true });
  });

  test("an unverified primary email with an existing account is refused", async () => {
    const owner = await registerUser(f.t.app, "hubowner@example.com", "Hub Owner");
    const browser = new Browser(f.t.app);
    const { response } = await signIn(f.providers, 
      browser,
      "github",
      github({ id: 999, login: "intruder", name: "Intruder", emails: [{ email: "hubowner@example.com", primary: true, verified: false }] }),
    );
    await expectRefused(browser, response, /not verified/);
    expect(await linksOf(f.t, owner.id)).toHaveLength(0);
  });

  test("a failing /user/emails is a message on /login, never a 500", async () => {
    f.providers.githubEmailsStatus = 500;
    const browser = new Browser(f.t.app);
    const { response } = await signIn(f.providers, browser, "github", github({ id: 31337, login: "x", name: null, emails: [] }));
    await expectRefused(browser, response, /GitHub/);
    expect((await f.t.deps.db.select().from(oauthAccounts).where(eq(oauthAccounts.providerUserId, "31337"))).length).toBe(0);
  });
});

describe("connecting a provider while signed in", () => {
  test("connects to the signed-in user; a different verified address does not verify the account's own", async () => {
    const user = await registerUser(f.t.app, "connector@example.com", "Connector", undefined, { verified: false });
    const browser = await signedInBrowser(f.t.app, "connector@example.com");
    const otherToken = await loginToken(f.t.app, "connector@example.com");

    const result = await signIn(f.providers, browser, "google", google({ sub: "g-connector", email: "someone.else@gmail.example", email_verified: true }));
    const me = await expectSignedIn(browser, result, "google");
    expect(me.id).toBe(user.id);
    expect(me.email).toBe("connector@example.com");
    // Google vouched for someone.else@…, not for connector@…: nothing about this account is proven.
    expect(me.emailVerified).toBe(false);
    expect(await loginToken(f.t.app, "connector@example.com")).toBeTruthy();
    // A new way in is a factor change: the other sessions end and the owner is told.
    expect((await bearerRequest(f.t.app, otherToken, "/api/auth/me")).status).toBe(401);
    expect((await bearerRequest(f.t.app, (await loginToken(f.t.app, "connector@example.com"))!, "/api/auth/me")).status).toBe(200);
    expect((await mailTo(f.t, "connector@example.com")).at(-1)!.subject).toContain("Google was connected");
    expect((await linksOf(f.t, user.id)).map((l) => [l.provider, l.providerUserId])).toEqual([["google", "g-connector"]]);
  });

  test("connecting a provider that verifies the account's own address verifies it (and ends the unproven password)", async () => {
    const user = await registerUser(f.t.app, "selfproof@example.com", "Self Proof", undefined, { verified: false });
    const browser = await signedInBrowser(f.t.app, "selfproof@example.com");
    const me = await expectSignedIn(browser, await signIn(f.providers, browser, "google", google({ sub: "g-selfproof", email: "selfproof@example.com", email_verified: true })), "google");
    expect(me).toMatchObject({ id: user.id, emailVerified: true });
    await expect(loginToken(f.t.app, "selfproof@example.com")).rejects.toThrow("login selfproof@example.com: 401 ");
  });

  test("a provider account linked to someone else is refused", async () => {
    await registerUser(f.t.app, "second@example.com", "Second");
    const browser = await signedInBrowser(f.t.app, "second@example.com");
    const { response } = await signIn(f.providers, browser, "google", google({ sub: "g-ada", email: "ada@example.org", email_verified: true }));
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!, "http://localhost");
    expect(location.pathname).toBe("/profile");
    expect(location.searchParams.get("error")).toBe("provider_linked_elsewhere");
    await shownAlert(browser, location, /another user/);
    const me = (await (await browser.request("/api/auth/me")).json()) as { user: { email: string } };
    expect(me.user.email).toBe("second@example.com");
  });
});

describe("audit", () => {
  test("every provider sign-in and link is recorded with its method", async () => {
    const events = await f.t.deps.db.select().from(auditEvents);
    const logins = events.filter((e) => e.action === "auth.login").map((e) => (e.details as { method?: string }).method);
    for (const method of ["google", "github", "microsoft"]) expect(logins).toContain(method);
    const links = events.filter((e) => e.action === "auth.provider_link").map((e) => (e.details as { provider?: string }).provider);
    for (const provider of ["google", "github", "microsoft"]) expect(links).toContain(provider);
    // The seed account's password login is not mistaken for a provider one.
    expect(events.filter((e) => e.action === "auth.provider_link" && e.targetId === f.founder.id)).toHaveLength(0);
  });
});

describe("a first password on a provider-only account", () => {
  test("needs a provider sign-in from the last few minutes; then it is set, audited and mailed", async () => {
    const browser = new Browser(f.t.app);
    await expectSignedIn(browser, await signIn(f.providers, browser, "google", google({ sub: "g-firstpw", email: "firstpw@example.com", email_verified: true })), "google");
    const setPassword = () => browser.request("/api/auth/password", { method: "POST", json: { newPassword: "a first pass phrase here" } });
    f.t.advance(11 * 60_000);
    const stale = await setPassword();
    expect(stale.status).toBe(403);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe("reauthentication_required");
    // Signing in with the provider again makes it fresh.
    await expectSignedIn(browser, await signIn(f.providers, browser, "google", google({ sub: "g-firstpw", email: "firstpw@example.com", email_verified: true })), "google");
    expect((await setPassword()).status).toBe(200);
    expect(await loginToken(f.t.app, "firstpw@example.com", "a first pass phrase here")).toBeTruthy();
    const [mail] = (await mailTo(f.t, "firstpw@example.com")).filter((m) => m.subject.includes("your password was changed"));
    expect(mail!.textBody).toContain("A password was set");
  });
});

describe("linked providers on the profile", () => {
  test("connecting a new provider needs a sign-in from the last ten minutes", async () => {
    await registerUser(f.t.app, "stale-connect@example.com", "Stale Connect");
    const browser = await signedInBrowser(f.t.app, "stale-connect@example.com");
    f.t.advance(11 * 60_000);
    const { response } = await signIn(f.providers, browser, "github", github({ id: 771, login: "stale", name: "Stale", emails: [{ email: "stale-connect@example.com", primary: true, verified: true }] }));
    // Still signed in, so the refusal lands on the profile with our message.
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!, "http://localhost");
    expect(location.pathname).toBe("/profile");
    await shownAlert(browser, location, /sign in again first/);
    const user = await userByEmail(f.t, "stale-connect@example.com");
    expect(await linksOf(f.t, user!.id)).toHaveLength(0);
    // Signed in afresh, it connects.
    const fresh = await signedInBrowser(f.t.app, "stale-connect@example.com");
    await expectSignedIn(fresh, await signIn(f.providers, fresh, "github", github({ id: 771, login: "stale", name: "Stale", emails: [{ email: "stale-connect@example.com", primary: true, verified: true }] })), "github");
    expect(await linksOf(f.t, user!.id)).toHaveLength(1);
    const profile = await (await fresh.request("/profile")).text();
    expect(profile).toContain("Sign-in providers");
    expect(profile).toContain("Disconnect GitHub");

    // Disconnecting: the password first; then it is gone, audited and mailed.
    expect((await fresh.request("/profile/providers/github/unlink", { method: "POST", form: { currentPassword: "not it at all" } })).status).toBe(400);
    const unlinked = await fresh.request("/profile/providers/github/unlink", { method: "POST", form: { currentPassword: "correct horse battery staple" } });
    expect(unlinked.status).toBe(303);
    expect(await linksOf(f.t, user!.id)).toHaveLength(0);
    expect(await auditOf(f.t, "auth.provider_unlink", user!.id)).toHaveLength(1);
    expect((await mailTo(f.t, "stale-connect@example.com")).at(-1)!.subject).toContain("GitHub was disconnected");
    // Someone else's provider, or one never connected: 404.
    expect((await fresh.request("/profile/providers/google/unlink", { method: "POST", form: { currentPassword: "correct horse battery staple" } })).status).toBe(404);
  });

  test("the last way in cannot be disconnected", async () => {
    const browser = new Browser(f.t.app);
    await expectSignedIn(browser, await signIn(f.providers, browser, "google", google({ sub: "g-only", email: "only-google@example.com", email_verified: true })), "google");
    const refused = await browser.request("/profile/providers/google/unlink", { method: "POST", form: {} });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("your only way to sign in");
    const user = await userByEmail(f.t, "only-google@example.com");
    expect(await linksOf(f.t, user!.id)).toHaveLength(1);
  });
});
