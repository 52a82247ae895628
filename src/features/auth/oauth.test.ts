// Sign-in with GitHub, Google and Microsoft, end to end: the app's real routes through app.request(),
// a real OAuth 2 server (oauth2-mock-server) for authorize/token/userinfo, and a small stand-in for
// the GitHub REST API. Every provider endpoint is overridden by env and listens on 127.0.0.1 only.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { Events, type MutableResponse } from "oauth2-mock-server";
import { github, google, microsoft, startProviderServers, type Identity, type ProviderServers, type TokenExchange } from "./oauth-providers.fixture";
import { auditEvents, oauthAccounts, sessions, users } from "../../db/schema";
import { Browser, createTestApp, loginToken, registerUser, strongPassword, type TestApp } from "../../test/app";

let providers: ProviderServers;
beforeAll(async () => {
  providers = await startProviderServers();
});
afterEach(() => providers.reset());
afterAll(() => providers.stop());

const CLIENTS = {
  google: ["google-client", "google-secret"],
  microsoft: ["microsoft-client", "microsoft-secret"],
  github: ["github-client", "github-secret"],
} as const;
const SCOPES = { google: "openid email profile", microsoft: "openid email profile", github: "read:user user:email" } as const;
type ProviderName = keyof typeof CLIENTS;

let t: TestApp;
let seedAdmin: { id: string };
beforeAll(async () => {
  t = await createTestApp(providers.env());
  // The platform's first account exists already, so provider sign-ups here are ordinary users.
  seedAdmin = await registerUser(t.app, "founder@example.com", "Founder");
});
afterAll(() => t.close());

/** GET /auth/:provider: checks the redirect to the provider and the flow cookie; returns the authorize URL. */
async function startFlow(browser: Browser, provider: ProviderName, query = ""): Promise<URL> {
  const start = await browser.request(`/auth/${provider}${query}`);
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get("location")!);
  expect(`${authorize.origin}${authorize.pathname}`).toBe(`${providers.issuer}/authorize`);
  const params = authorize.searchParams;
  expect(params.get("response_type")).toBe("code");
  expect(params.get("client_id")).toBe(CLIENTS[provider][0]);
  expect(params.get("redirect_uri")).toBe(`http://localhost/auth/${provider}/callback`);
  expect(params.get("scope")).toBe(SCOPES[provider]);
  expect(params.get("state")!.length).toBeGreaterThanOrEqual(20);
  expect(params.get("code_challenge_method")).toBe("S256");
  expect(params.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const flowCookie = start.headers.getSetCookie().find((line) => line.startsWith("oauth_flow="));
  expect(flowCookie).toBeDefined();
  expect(flowCookie).toContain("HttpOnly");
  expect(flowCookie).toContain("SameSite=Lax");
  expect(flowCookie).toContain("Path=/auth");
  // The cookie holds the PKCE verifier: it must never travel to the provider.
  expect(authorize.toString()).not.toContain(browser.cookie("oauth_flow")!);
  return authorize;
}

/** The "user" approves at the provider: the mock redirects back to the app with code and state. */
async function approve(authorize: URL): Promise<string> {
  const response = await fetch(authorize, { redirect: "manual" });
  expect(response.status).toBe(302);
  const back = new URL(response.headers.get("location")!);
  expect(back.origin).toBe("http://localhost");
  expect(back.searchParams.get("state")).toBe(authorize.searchParams.get("state"));
  expect(back.searchParams.get("code")).toBeTruthy();
  return `${back.pathname}${back.search}`;
}

/** The token request carried the PKCE verifier matching the challenge, the redirect URI and the client's credentials. */
function expectProperExchange(exchange: TokenExchange, authorize: URL, provider: ProviderName) {
  expect(exchange.body.grant_type).toBe("authorization_code");
  const verifier = exchange.body.code_verifier;
  expect(typeof verifier).toBe("string");
  expect(createHash("sha256").update(verifier as string).digest("base64url")).toBe(authorize.searchParams.get("code_challenge")!);
  expect(exchange.body.redirect_uri).toBe(authorize.searchParams.get("redirect_uri"));
  const [id, secret] = CLIENTS[provider];
  expect(exchange.authorization).toBe(`Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`);
  expect(exchange.accessToken).toBeTruthy();
}

/** The whole round trip; returns the app's answer to the callback. */
async function signIn(browser: Browser, provider: ProviderName, identity: Identity, query = "") {
  const authorize = await startFlow(browser, provider, query);
  const exchange = providers.issueNextTokenFor(identity);
  const callback = await approve(authorize);
  const response = await browser.request(callback);
  return { response, exchange, authorize };
}

/** A successful sign-in: 303 to `next`, a session cookie, the flow cookie gone, and /me answers with the user. */
async function expectSignedIn(browser: Browser, result: Awaited<ReturnType<typeof signIn>>, provider: ProviderName, next = "/home") {
  expect(result.response.status).toBe(303);
  expect(result.response.headers.get("location")).toBe(next);
  expect(browser.cookie("session")).toBeTruthy();
  expect(browser.cookie("oauth_flow")).toBeUndefined();
  expectProperExchange(result.exchange, result.authorize, provider);
  const me = await browser.request("/api/auth/me");
  expect(me.status).toBe(200);
  return ((await me.json()) as { user: { id: string; email: string; name: string; emailVerified: boolean; isPlatformAdmin: boolean } }).user;
}

/** A refused sign-in: 303 to /login with an error code, our own message on the page, and no session. Returns the message. */
async function expectRefused(browser: Browser, response: Response, includes?: RegExp): Promise<string> {
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get("location")!, "http://localhost");
  expect(location.pathname).toBe("/login");
  expect(location.searchParams.get("error")).toMatch(/^[a-z_]+$/);
  expect(response.headers.getSetCookie().some((line) => /^(__Host-)?session=[^;]/.test(line))).toBe(false);
  expect(browser.cookie("session")).toBeUndefined();
  expect((await browser.request("/api/auth/me")).status).toBe(401);
  return shownAlert(browser, location, includes);
}

/** The page behind a refusal shows the message for its code in an alert. */
async function shownAlert(browser: Browser, location: URL, includes?: RegExp): Promise<string> {
  const page = await browser.request(`${location.pathname}${location.search}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const message = /<p class="form-message error" role="alert">([^<]+)<\/p>/.exec(html)?.[1] ?? "";
  expect(message.length).toBeGreaterThan(0);
  if (includes) expect(message.replaceAll("&#39;", "'")).toMatch(includes);
  return message;
}

const userByEmail = async (app: TestApp, email: string) => (await app.deps.db.select().from(users).where(eq(users.email, email)))[0];
const linksOf = (app: TestApp, userId: string) => app.deps.db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, userId));
const auditOf = (app: TestApp, action: string, targetId: string) =>
  app.deps.db.select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)));

async function passwordLogin(app: TestApp, email: string, password = strongPassword) {
  return app.app.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.20" },
    body: JSON.stringify({ email, password }),
  });
}
const meWith = (app: TestApp, token: string) => app.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } });

// ---------------------------------------------------------------------------------------------

describe("Google", () => {
  test("a new user with a verified email is created, linked and signed in; audit says so", async () => {
    const browser = new Browser(t.app);
    const result = await signIn(browser, "google", google({ sub: "g-ada", email: "Ada@Example.org", email_verified: true, name: "Ada Lovelace" }));
    const me = await expectSignedIn(browser, result, "google");
    expect(me).toMatchObject({ email: "ada@example.org", name: "Ada Lovelace", emailVerified: true, isPlatformAdmin: false });

    const row = await userByEmail(t, "ada@example.org");
    expect(row!.id).toBe(me.id);
    expect(row!.passwordHash).toBeNull();
    const links = await linksOf(t, me.id);
    expect(links.map((l) => [l.provider, l.providerUserId])).toEqual([["google", "g-ada"]]);

    const [register] = await auditOf(t, "auth.register", me.id);
    expect(register!.details).toMatchObject({ method: "google", platformAdmin: false });
    const [link] = await auditOf(t, "auth.provider_link", me.id);
    expect(link!.details).toMatchObject({ provider: "google", email: "ada@example.org" });
    const logins = await auditOf(t, "auth.login", me.id);
    expect(logins.map((e) => e.details)).toEqual([{ method: "google" }]);
  });

  test("signing in again with the same subject reaches the same user, whatever the email now says", async () => {
    const before = (await t.deps.db.select().from(users)).length;
    const browser = new Browser(t.app);
    const result = await signIn(browser, "google", google({ sub: "g-ada", email: "ada.new@example.org", email_verified: true, name: "Ada L." }));
    const me = await expectSignedIn(browser, result, "google");
    expect(me.email).toBe("ada@example.org");
    expect((await t.deps.db.select().from(users)).length).toBe(before);
    expect(await linksOf(t, me.id)).toHaveLength(1);
    expect(await auditOf(t, "auth.login", me.id)).toHaveLength(2);
    expect(await auditOf(t, "auth.provider_link", me.id)).toHaveLength(1);
  });

  test("?next= is followed for a local path and ignored for another site", async () => {
    const local = new Browser(t.app);
    const ok = await signIn(local, "google", google({ sub: "g-ada", email: "ada@example.org", email_verified: true }), "?next=/profile%3Fsaved%3Dname");
    await expectSignedIn(local, ok, "google", "/profile?saved=name");
    const foreign = new Browser(t.app);
    const evil = await signIn(foreign, "google", google({ sub: "g-ada", email: "ada@example.org", email_verified: true }), "?next=//evil.example/x");
    await expectSignedIn(foreign, evil, "google", "/home");
  });

  test("an unverified password account whose email Google verifies is linked; its password and old sessions end", async () => {
    // Someone registered this address with a password and never proved they own it.
    const squatted = await registerUser(t.app, "victim@example.com", "Squatter");
    const oldToken = await loginToken(t.app, "victim@example.com");
    expect((await meWith(t, oldToken)).status).toBe(200);

    const browser = new Browser(t.app);
    const result = await signIn(browser, "google", google({ sub: "g-victim", email: "victim@example.com", email_verified: true, name: "Real Owner" }));
    const me = await expectSignedIn(browser, result, "google");
    expect(me.id).toBe(squatted.id);
    expect(me.emailVerified).toBe(true);

    expect((await passwordLogin(t, "victim@example.com")).status).toBe(401);
    expect((await meWith(t, oldToken)).status).toBe(401);
    const remaining = await t.deps.db.select().from(sessions).where(eq(sessions.userId, squatted.id));
    expect(remaining).toHaveLength(1);
    expect((await userByEmail(t, "victim@example.com"))!.passwordHash).toBeNull();
    const [verified] = await auditOf(t, "auth.email_verified_by_provider", squatted.id);
    expect(verified!.details).toEqual({ provider: "google", passwordCleared: true, sessionsEnded: 1, providersUnlinked: [] });
    const [link] = await auditOf(t, "auth.provider_link", squatted.id);
    expect(link!.details).toMatchObject({ provider: "google", email: "victim@example.com" });
  });

  test("an already verified password account is linked and keeps its password and sessions", async () => {
    const owner = await registerUser(t.app, "verified@example.com", "Verified");
    await t.deps.db.update(users).set({ emailVerified: true }).where(eq(users.id, owner.id));
    const oldToken = await loginToken(t.app, "verified@example.com");

    const browser = new Browser(t.app);
    const me = await expectSignedIn(browser, await signIn(browser, "google", google({ sub: "g-verified", email: "verified@example.com", email_verified: true })), "google");
    expect(me.id).toBe(owner.id);
    expect((await meWith(t, oldToken)).status).toBe(200);
    expect((await passwordLogin(t, "verified@example.com")).status).toBe(200);
    expect(await auditOf(t, "auth.email_verified_by_provider", owner.id)).toHaveLength(0);
  });

  test("email_verified=false never links to an existing account", async () => {
    const owner = await registerUser(t.app, "cautious@example.com", "Cautious");
    const browser = new Browser(t.app);
    const { response } = await signIn(browser, "google", google({ sub: "g-impostor", email: "cautious@example.com", email_verified: false }));
    await expectRefused(browser, response, /not verified/);
    expect(await linksOf(t, owner.id)).toHaveLength(0);
    expect((await t.deps.db.select().from(oauthAccounts).where(eq(oauthAccounts.providerUserId, "g-impostor"))).length).toBe(0);
    expect((await passwordLogin(t, "cautious@example.com")).status).toBe(200);
    expect((await userByEmail(t, "cautious@example.com"))!.emailVerified).toBe(false);
  });

  test("a new address Google has not verified makes an unverified account", async () => {
    const browser = new Browser(t.app);
    const me = await expectSignedIn(browser, await signIn(browser, "google", google({ sub: "g-fresh", email: "fresh@example.net", email_verified: false })), "google");
    expect(me).toMatchObject({ email: "fresh@example.net", emailVerified: false, name: "fresh" });
  });

  test("no email and no account: refused with a message, nothing created", async () => {
    const before = (await t.deps.db.select().from(users)).length;
    const browser = new Browser(t.app);
    const { response } = await signIn(browser, "google", google({ sub: "g-noemail" }));
    await expectRefused(browser, response, /email/);
    expect((await t.deps.db.select().from(users)).length).toBe(before);
  });

  test("a disabled account cannot sign in through its provider", async () => {
    const browser = new Browser(t.app);
    const me = await expectSignedIn(browser, await signIn(browser, "google", google({ sub: "g-disabled", email: "gone@example.net", email_verified: true })), "google");
    await t.deps.db.update(users).set({ disabledAt: Date.now() }).where(eq(users.id, me.id));
    const later = new Browser(t.app);
    const { response } = await signIn(later, "google", google({ sub: "g-disabled", email: "gone@example.net", email_verified: true }));
    await expectRefused(later, response, /disabled/);
  });
});

describe("Microsoft", () => {
  test("an existing email is refused even when the claim says verified", async () => {
    const owner = await registerUser(t.app, "msowner@example.com", "MS Owner");
    const browser = new Browser(t.app);
    const { response } = await signIn(browser, "microsoft", microsoft({ sub: "ms-attacker", email: "msowner@example.com", email_verified: true }));
    await expectRefused(browser, response, /not verified/);
    expect(await linksOf(t, owner.id)).toHaveLength(0);
    expect((await passwordLogin(t, "msowner@example.com")).status).toBe(200);
  });

  test("a new Microsoft user gets an account whose email stays unverified", async () => {
    const browser = new Browser(t.app);
    const result = await signIn(browser, "microsoft", microsoft({ sub: "ms-new", email: "msnew@example.com", email_verified: true, name: "MS New" }));
    const me = await expectSignedIn(browser, result, "microsoft");
    expect(me).toMatchObject({ email: "msnew@example.com", emailVerified: false });
    const [login] = await auditOf(t, "auth.login", me.id);
    expect(login!.details).toEqual({ method: "microsoft" });
  });

  test("when the verified owner of the address arrives, the account's unproven Microsoft link is cut", async () => {
    // An attacker's Microsoft account claims an address it does not own, and gets an account by it.
    const attacker = new Browser(t.app);
    const squat = await expectSignedIn(attacker, await signIn(attacker, "microsoft", microsoft({ sub: "ms-squatter", email: "target@example.com" })), "microsoft");
    expect(squat.emailVerified).toBe(false);
    // The real owner signs in with Google, which has verified the address.
    const owner = new Browser(t.app);
    const me = await expectSignedIn(owner, await signIn(owner, "google", google({ sub: "g-target", email: "target@example.com", email_verified: true })), "google");
    expect(me.id).toBe(squat.id);
    expect(me.emailVerified).toBe(true);
    expect((await attacker.request("/api/auth/me")).status).toBe(401);
    expect((await linksOf(t, me.id)).map((l) => l.provider)).toEqual(["google"]);
    const [verified] = await auditOf(t, "auth.email_verified_by_provider", me.id);
    expect(verified!.details).toMatchObject({ provider: "google", passwordCleared: false, providersUnlinked: ["microsoft"] });
    // The attacker's Microsoft account no longer reaches it.
    const again = new Browser(t.app);
    const { response } = await signIn(again, "microsoft", microsoft({ sub: "ms-squatter", email: "target@example.com" }));
    await expectRefused(again, response, /not verified/);
  });
});

describe("GitHub", () => {
  test("a verified primary email links to the existing account (never a secondary one)", async () => {
    const owner = await registerUser(t.app, "octo@example.com", "Octo");
    await t.deps.db.update(users).set({ emailVerified: true }).where(eq(users.id, owner.id));
    const browser = new Browser(t.app);
    const result = await signIn(
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
    const links = await linksOf(t, owner.id);
    expect(links.map((l) => [l.provider, l.providerUserId, l.email])).toEqual([["github", "4242", "octo@example.com"]]);
    const logins = await auditOf(t, "auth.login", owner.id);
    expect(logins.map((e) => e.details)).toContainEqual({ method: "github" });
    // A second sign-in by the same GitHub id reaches the same account.
    const again = new Browser(t.app);
    const second = await signIn(again, "github", github({ id: 4242, login: "octocat", name: null, emails: [] }));
    expect((await expectSignedIn(again, second, "github")).id).toBe(owner.id);
  });

  test("a new GitHub user takes its name from the profile, or the login", async () => {
    const browser = new Browser(t.app);
    const me = await expectSignedIn(
      browser,
      await signIn(browser, "github", github({ id: 77, login: "hubber", name: null, emails: [{ email: "hubber@example.io", primary: true, verified: true }] })),
      "github",
    );
    expect(me).toMatchObject({ email: "hubber@example.io", name: "hubber", emailVerified: true });
  });

  test("an unverified primary email with an existing account is refused", async () => {
    const owner = await registerUser(t.app, "hubowner@example.com", "Hub Owner");
    const browser = new Browser(t.app);
    const { response } = await signIn(
      browser,
      "github",
      github({ id: 999, login: "intruder", name: "Intruder", emails: [{ email: "hubowner@example.com", primary: true, verified: false }] }),
    );
    await expectRefused(browser, response, /not verified/);
    expect(await linksOf(t, owner.id)).toHaveLength(0);
  });

  test("a failing /user/emails is a message on /login, never a 500", async () => {
    providers.githubEmailsStatus = 500;
    const browser = new Browser(t.app);
    const { response } = await signIn(browser, "github", github({ id: 31337, login: "x", name: null, emails: [] }));
    await expectRefused(browser, response, /GitHub/);
    expect((await t.deps.db.select().from(oauthAccounts).where(eq(oauthAccounts.providerUserId, "31337"))).length).toBe(0);
  });
});

describe("connecting a provider while signed in", () => {
  test("connects to the signed-in user; a different verified address does not verify the account's own", async () => {
    const user = await registerUser(t.app, "connector@example.com", "Connector");
    const browser = new Browser(t.app);
    const login = await browser.request("/api/auth/login", { method: "POST", json: { email: "connector@example.com", password: strongPassword } });
    expect(login.status).toBe(200);
    const otherToken = await loginToken(t.app, "connector@example.com");

    const result = await signIn(browser, "google", google({ sub: "g-connector", email: "someone.else@gmail.example", email_verified: true }));
    const me = await expectSignedIn(browser, result, "google");
    expect(me.id).toBe(user.id);
    expect(me.email).toBe("connector@example.com");
    // Google vouched for someone.else@…, not for connector@…: nothing about this account is proven.
    expect(me.emailVerified).toBe(false);
    expect((await passwordLogin(t, "connector@example.com")).status).toBe(200);
    expect((await meWith(t, otherToken)).status).toBe(200);
    expect((await linksOf(t, user.id)).map((l) => [l.provider, l.providerUserId])).toEqual([["google", "g-connector"]]);
  });

  test("connecting a provider that verifies the account's own address verifies it (and ends the unproven password)", async () => {
    const user = await registerUser(t.app, "selfproof@example.com", "Self Proof");
    const browser = new Browser(t.app);
    expect((await browser.request("/api/auth/login", { method: "POST", json: { email: "selfproof@example.com", password: strongPassword } })).status).toBe(200);
    const me = await expectSignedIn(browser, await signIn(browser, "google", google({ sub: "g-selfproof", email: "selfproof@example.com", email_verified: true })), "google");
    expect(me).toMatchObject({ id: user.id, emailVerified: true });
    expect((await passwordLogin(t, "selfproof@example.com")).status).toBe(401);
  });

  test("a provider account linked to someone else is refused", async () => {
    await registerUser(t.app, "second@example.com", "Second");
    const browser = new Browser(t.app);
    expect((await browser.request("/api/auth/login", { method: "POST", json: { email: "second@example.com", password: strongPassword } })).status).toBe(200);
    const { response } = await signIn(browser, "google", google({ sub: "g-ada", email: "ada@example.org", email_verified: true }));
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!, "http://localhost");
    expect(location.pathname).toBe("/profile");
    expect(location.searchParams.get("error")).toBe("provider_linked_elsewhere");
    await shownAlert(browser, location, /another user/);
    const me = (await (await browser.request("/api/auth/me")).json()) as { user: { email: string } };
    expect(me.user.email).toBe("second@example.com");
  });
});

describe("the flow's own protections", () => {
  test("a state that does not match the flow cookie is refused before any code exchange", async () => {
    const browser = new Browser(t.app);
    const authorize = await startFlow(browser, "google");
    const callback = new URL(await approve(authorize), "http://localhost");
    callback.searchParams.set("state", "forged-state-value-000000");
    const signed = providers.tokensSigned;
    await expectRefused(browser, await browser.request(`${callback.pathname}${callback.search}`), /expired|not started/);
    expect(providers.tokensSigned).toBe(signed);
  });

  test("a callback without the flow cookie (another browser) is refused", async () => {
    const starter = new Browser(t.app);
    const callback = await approve(await startFlow(starter, "google"));
    const victim = new Browser(t.app);
    const signed = providers.tokensSigned;
    await expectRefused(victim, await victim.request(callback), /expired|not started/);
    expect(providers.tokensSigned).toBe(signed);
  });

  test("a flow started for one provider cannot finish at another", async () => {
    const browser = new Browser(t.app);
    const callback = new URL(await approve(await startFlow(browser, "google")), "http://localhost");
    await expectRefused(browser, await browser.request(`/auth/github/callback${callback.search}`), /expired|not started/);
  });

  test("a missing code is refused", async () => {
    const browser = new Browser(t.app);
    const authorize = await startFlow(browser, "google");
    const state = authorize.searchParams.get("state")!;
    await expectRefused(browser, await browser.request(`/auth/google/callback?state=${encodeURIComponent(state)}`), /expired|not started/);
  });

  test("the flow cookie is single-use: replaying a finished callback is refused", async () => {
    const browser = new Browser(t.app);
    const authorize = await startFlow(browser, "google");
    providers.issueNextTokenFor(google({ sub: "g-ada", email: "ada@example.org", email_verified: true }));
    const callback = await approve(authorize);
    const first = await browser.request(callback);
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/home");
    expect(browser.cookie("oauth_flow")).toBeUndefined();
    const signed = providers.tokensSigned;
    const replay = await browser.request(callback);
    expect(replay.status).toBe(303);
    const location = new URL(replay.headers.get("location")!, "http://localhost");
    // Still signed in from the first pass, so the refusal lands on the profile.
    expect(location.pathname).toBe("/profile");
    expect(location.searchParams.get("error")).toBe("expired");
    await shownAlert(browser, location, /expired|not started/);
    expect(replay.headers.getSetCookie().some((line) => /^session=[^;]/.test(line))).toBe(false);
    expect(providers.tokensSigned).toBe(signed);
  });

  test("PKCE: a code redeemed with another flow's verifier is refused by the provider", async () => {
    const a = new Browser(t.app);
    const callbackA = new URL(await approve(await startFlow(a, "google")), "http://localhost");
    const b = new Browser(t.app);
    const authorizeB = await startFlow(b, "google");
    // Browser B presents A's code under its own (valid) state: the app sends B's verifier with A's code.
    const exchange = providers.issueNextTokenFor(google({ sub: "g-pkce", email: "pkce@example.net", email_verified: true }));
    const mixed = `/auth/google/callback?code=${callbackA.searchParams.get("code")}&state=${authorizeB.searchParams.get("state")}`;
    await expectRefused(b, await b.request(mixed), /did not accept/);
    expect(exchange.accessToken).toBeNull();
    expect(await userByEmail(t, "pkce@example.net")).toBeUndefined();
  });

  test("the provider answering ?error=access_denied shows a message on /login", async () => {
    const browser = new Browser(t.app);
    const authorize = await startFlow(browser, "google");
    const state = authorize.searchParams.get("state")!;
    const response = await browser.request(`/auth/google/callback?error=access_denied&state=${encodeURIComponent(state)}`);
    await expectRefused(browser, response, /cancelled/);
    expect(browser.cookie("oauth_flow")).toBeUndefined();
  });

  test("unknown providers are 404", async () => {
    for (const path of ["/auth/facebook", "/auth/facebook/callback?code=x&state=y"]) {
      expect((await t.app.request(path)).status).toBe(404);
    }
  });
});

describe("provider failures", () => {
  test("a token endpoint refusing the code (invalid_grant) is a message on /login", async () => {
    const browser = new Browser(t.app);
    const authorize = await startFlow(browser, "google");
    providers.oauth.service.once(Events.BeforeResponse, (response: MutableResponse) => {
      response.statusCode = 400;
      response.body = { error: "invalid_grant" };
    });
    await expectRefused(browser, await browser.request(await approve(authorize)), /did not accept/);
  });

  test("a 200 token answer without an access token (GitHub's error style) is a message on /login", async () => {
    const browser = new Browser(t.app);
    const authorize = await startFlow(browser, "github");
    providers.oauth.service.once(Events.BeforeResponse, (response: MutableResponse) => {
      response.body = { error: "bad_verification_code" };
    });
    await expectRefused(browser, await browser.request(await approve(authorize)), /did not accept/);
  });

  test("userinfo refusing the token is a message on /login", async () => {
    const browser = new Browser(t.app);
    const authorize = await startFlow(browser, "google");
    const exchange = providers.issueNextTokenFor(google({ sub: "g-userinfo", email: "userinfo@example.net", email_verified: true }));
    // Runs after the persistent handler: the provider changes its mind about this token.
    providers.oauth.service.once(Events.BeforeUserinfo, (response: MutableResponse) => {
      response.statusCode = 401;
      response.body = { error: "invalid_token" };
    });
    await expectRefused(browser, await browser.request(await approve(authorize)), /profile/);
    expect(exchange.accessToken).toBeTruthy();
    expect(await userByEmail(t, "userinfo@example.net")).toBeUndefined();
  });

  test("a token endpoint answering 500 is a message on /login, never a 500", async () => {
    const broken = await createTestApp(providers.env({ GOOGLE_TOKEN_URL: providers.failingTokenUrl }));
    try {
      const browser = new Browser(broken.app);
      const authorize = new URL((await browser.request("/auth/google")).headers.get("location")!);
      const response = await browser.request(await approve(authorize));
      expect(response.status).toBe(303);
      await expectRefused(browser, response, /did not accept/);
      expect(await broken.deps.db.select().from(users)).toHaveLength(0);
    } finally {
      broken.close();
    }
  });
});

describe("PUBLIC_URL", () => {
  test("fixes the redirect URI whatever the Host header says, and makes the cookies Secure", async () => {
    const deployed = await createTestApp(providers.env({ PUBLIC_URL: "https://bob.example" }));
    try {
      const start = await deployed.app.request("http://attacker.example/auth/google", { headers: { host: "attacker.example" } });
      expect(start.status).toBe(302);
      const authorize = new URL(start.headers.get("location")!);
      expect(authorize.searchParams.get("redirect_uri")).toBe("https://bob.example/auth/google/callback");
      const flowCookie = start.headers.getSetCookie().find((line) => line.startsWith("oauth_flow="))!;
      expect(flowCookie).toContain("Secure");
      const cookie = flowCookie.split(";")[0]!;
      providers.issueNextTokenFor(google({ sub: "g-deployed", email: "deployed@example.com", email_verified: true }));
      const back = await fetch(authorize, { redirect: "manual" });
      const callback = new URL(back.headers.get("location")!);
      expect(callback.origin).toBe("https://bob.example");
      const done = await deployed.app.request(`http://localhost${callback.pathname}${callback.search}`, { headers: { cookie } });
      expect(done.status).toBe(303);
      expect(done.headers.getSetCookie().some((line) => line.startsWith("__Host-session=") && line.includes("Secure"))).toBe(true);
    } finally {
      deployed.close();
    }
  });
});

describe("which providers a deployment offers", () => {
  test("only configured providers have buttons and routes", async () => {
    const only = await createTestApp({
      GOOGLE_CLIENT_ID: "google-client",
      GOOGLE_CLIENT_SECRET: "google-secret",
      GOOGLE_AUTHORIZE_URL: `${providers.issuer}/authorize`,
      GOOGLE_TOKEN_URL: `${providers.issuer}/token`,
      GOOGLE_USERINFO_URL: `${providers.issuer}/userinfo`,
      // An id without its secret does not enable a provider.
      GITHUB_CLIENT_ID: "github-client",
    });
    const none = await createTestApp();
    try {
      const html = await (await only.app.request("/login")).text();
      expect(html).toContain('href="/auth/google"');
      expect(html).not.toContain("/auth/github");
      expect(html).not.toContain("/auth/microsoft");
      for (const path of ["/auth/microsoft", "/auth/github", "/auth/github/callback?code=x&state=y"]) {
        expect((await only.app.request(path)).status).toBe(404);
      }
      expect((await only.app.request("/auth/google")).status).toBe(302);
      const bare = await (await none.app.request("/login")).text();
      expect(bare).not.toContain("/auth/");
      expect((await none.app.request("/auth/google")).status).toBe(404);
      const full = await (await t.app.request("/login")).text();
      for (const id of ["google", "github", "microsoft"]) expect(full).toContain(`href="/auth/${id}"`);
    } finally {
      only.close();
      none.close();
    }
  });

  test("the first account on the platform, made through a provider, is platform admin; the next is not", async () => {
    const fresh = await createTestApp(providers.env());
    try {
      const first = new Browser(fresh.app);
      const admin = await expectSignedIn(first, await signIn(first, "google", google({ sub: "g-first", email: "first@example.com", email_verified: true })), "google");
      expect(admin.isPlatformAdmin).toBe(true);
      const [register] = await auditOf(fresh, "auth.register", admin.id);
      expect(register!.details).toMatchObject({ method: "google", platformAdmin: true });
      const second = new Browser(fresh.app);
      const other = await expectSignedIn(second, await signIn(second, "github", github({ id: 2, login: "second", name: "Second", emails: [{ email: "second@example.com", primary: true, verified: true }] })), "github");
      expect(other.isPlatformAdmin).toBe(false);
    } finally {
      fresh.close();
    }
  });
});

describe("audit", () => {
  test("every provider sign-in and link is recorded with its method", async () => {
    const events = await t.deps.db.select().from(auditEvents);
    const logins = events.filter((e) => e.action === "auth.login").map((e) => (e.details as { method?: string }).method);
    for (const method of ["google", "github", "microsoft"]) expect(logins).toContain(method);
    const links = events.filter((e) => e.action === "auth.provider_link").map((e) => (e.details as { provider?: string }).provider);
    for (const provider of ["google", "github", "microsoft"]) expect(links).toContain(provider);
    // The seed account's password login is not mistaken for a provider one.
    expect(events.filter((e) => e.action === "auth.provider_link" && e.targetId === seedAdmin.id)).toHaveLength(0);
  });
});

describe("messages on the sign-in page", () => {
  test("only our own messages are shown for an error code; free text in the link is ignored", async () => {
    const html = await (await t.app.request("/login?error=Your%20account%20is%20locked%2C%20call%20us")).text();
    expect(html).not.toContain("call us");
    expect(html).not.toContain('role="alert"');
    const known = await (await t.app.request("/login?error=cancelled&provider=github")).text();
    expect(known).toContain("GitHub sign-in was cancelled.");
  });
});

