// Sign-in with a provider, the flow's own defences and the deployment's choices: state and PKCE,
// provider failures, PUBLIC_URL, which providers show, and the fixed messages on /login.
import { describe, expect, test } from "bun:test";
import { Events, type MutableResponse } from "oauth2-mock-server";
import { users } from "../../schema";
import { Browser, createTestApp } from "../../test/app";
import { startFlow, approve, signIn, expectSignedIn, expectRefused, shownAlert, userByEmail, auditOf, useOAuthApp } from "./oauth-flow.fixture";
import { github, google } from "./oauth-providers.fixture";

const f = useOAuthApp();

describe("the flow's own protections", () => {
  test("a state that does not match the flow cookie is refused before any code exchange", async () => {
    const browser = new Browser(f.t.app);
    const authorize = await startFlow(f.providers, browser, "google");
    const callback = new URL(await approve(authorize), "http://localhost");
    callback.searchParams.set("state", "forged-state-value-000000");
    const signed = f.providers.tokensSigned;
    await expectRefused(browser, await browser.request(`${callback.pathname}${callback.search}`), /expired|not started/);
    expect(f.providers.tokensSigned).toBe(signed);
  });

  test("a callback without the flow cookie (another browser) is refused", async () => {
    const starter = new Browser(f.t.app);
    const callback = await approve(await startFlow(f.providers, starter, "google"));
    const victim = new Browser(f.t.app);
    const signed = f.providers.tokensSigned;
    await expectRefused(victim, await victim.request(callback), /expired|not started/);
    expect(f.providers.tokensSigned).toBe(signed);
  });

  test("a flow started for one provider cannot finish at another", async () => {
    const browser = new Browser(f.t.app);
    const callback = new URL(await approve(await startFlow(f.providers, browser, "google")), "http://localhost");
    await expectRefused(browser, await browser.request(`/auth/github/callback${callback.search}`), /expired|not started/);
  });

  test("a missing code is refused", async () => {
    const browser = new Browser(f.t.app);
    const authorize = await startFlow(f.providers, browser, "google");
    const state = authorize.searchParams.get("state")!;
    await expectRefused(browser, await browser.request(`/auth/google/callback?state=${encodeURIComponent(state)}`), /expired|not started/);
  });

  test("the flow cookie is single-use: replaying a finished callback is refused", async () => {
    const browser = new Browser(f.t.app);
    const authorize = await startFlow(f.providers, browser, "google");
    f.providers.issueNextTokenFor(google({ sub: "g-ada", email: "ada@example.org", email_verified: true }));
    const callback = await approve(authorize);
    const first = await browser.request(callback);
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/home");
    expect(browser.cookie("oauth_flow")).toBeUndefined();
    const signed = f.providers.tokensSigned;
    const replay = await browser.request(callback);
    expect(replay.status).toBe(303);
    const location = new URL(replay.headers.get("location")!, "http://localhost");
    // Still signed in from the first pass, so the refusal lands on the profile.
    expect(location.pathname).toBe("/profile");
    expect(location.searchParams.get("error")).toBe("expired");
    await shownAlert(browser, location, /expired|not started/);
    expect(replay.headers.getSetCookie().some((line) => /^session=[^;]/.test(line))).toBe(false);
    expect(f.providers.tokensSigned).toBe(signed);
  });

  test("PKCE: a code redeemed with another flow's verifier is refused by the provider", async () => {
    const a = new Browser(f.t.app);
    const callbackA = new URL(await approve(await startFlow(f.providers, a, "google")), "http://localhost");
    const b = new Browser(f.t.app);
    const authorizeB = await startFlow(f.providers, b, "google");
    // Browser B presents A's code under its own (valid) state: the app sends B's verifier with A's code.
    const exchange = f.providers.issueNextTokenFor(google({ sub: "g-pkce", email: "pkce@example.net", email_verified: true }));
    const mixed = `/auth/google/callback?code=${callbackA.searchParams.get("code")}&state=${authorizeB.searchParams.get("state")}`;
    await expectRefused(b, await b.request(mixed), /did not accept/);
    expect(exchange.accessToken).toBeNull();
    expect(await userByEmail(f.t, "pkce@example.net")).toBeUndefined();
  });

  test("the provider answering ?error=access_denied shows a message on /login", async () => {
    const browser = new Browser(f.t.app);
    const authorize = await startFlow(f.providers, browser, "google");
    const state = authorize.searchParams.get("state")!;
    const response = await browser.request(`/auth/google/callback?error=access_denied&state=${encodeURIComponent(state)}`);
    await expectRefused(browser, response, /cancelled/);
    expect(browser.cookie("oauth_flow")).toBeUndefined();
  });

  test("unknown providers are 404", async () => {
    for (const path of ["/auth/facebook", "/auth/facebook/callback?code=x&state=y"]) {
      expect((await f.t.app.request(path)).status).toBe(404);
    }
  });
});

describe("provider failures", () => {
  test("a token endpoint refusing the code (invalid_grant) is a message on /login", async () => {
    const browser = new Browser(f.t.app);
    const authorize = await startFlow(f.providers, browser, "google");
    f.providers.oauth.service.once(Events.BeforeResponse, (response: MutableResponse) => {
      response.statusCode = 400;
      response.body = { error: "invalid_grant" };
    });
    await expectRefused(browser, await browser.request(await approve(authorize)), /did not accept/);
  });

  test("a 200 token answer without an access token (GitHub's error style) is a message on /login", async () => {
    const browser = new Browser(f.t.app);
    const authorize = await startFlow(f.providers, browser, "github");
    f.providers.oauth.service.once(Events.BeforeResponse, (response: MutableResponse) => {
      response.body = { error: "bad_verification_code" };
    });
    await expectRefused(browser, await browser.request(await approve(authorize)), /did not accept/);
  });

  test("userinfo refusing the token is a message on /login", async () => {
    const browser = new Browser(f.t.app);
    const authorize = await startFlow(f.providers, browser, "google");
    const exchange = f.providers.issueNextTokenFor(google({ sub: "g-userinfo", email: "userinfo@example.net", email_verified: true }));
    // Runs after the persistent handler: the provider changes its mind about this token.
    f.providers.oauth.service.once(Events.BeforeUserinfo, (response: MutableResponse) => {
      response.statusCode = 401;
      response.body = { error: "invalid_token" };
    });
    await expectRefused(browser, await browser.request(await approve(authorize)), /profile/);
    expect(exchange.accessToken).toBeTruthy();
    expect(await userByEmail(f.t, "userinfo@example.net")).toBeUndefined();
  });

  test("a token endpoint answering 500 is a message on /login, never a 500", async () => {
    const broken = await createTestApp(f.providers.env({ GOOGLE_TOKEN_URL: f.providers.failingTokenUrl }));
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
    const deployed = await createTestApp(f.providers.env({ PUBLIC_URL: "https://bob.example" }));
    try {
      const start = await deployed.app.request("http://attacker.example/auth/google", { headers: { host: "attacker.example" } });
      expect(start.status).toBe(302);
      const authorize = new URL(start.headers.get("location")!);
      expect(authorize.searchParams.get("redirect_uri")).toBe("https://bob.example/auth/google/callback");
      const flowCookie = start.headers.getSetCookie().find((line) => line.startsWith("oauth_flow="))!;
      expect(flowCookie).toContain("Secure");
      const cookie = flowCookie.split(";")[0]!;
      f.providers.issueNextTokenFor(google({ sub: "g-deployed", email: "deployed@example.com", email_verified: true }));
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
      GOOGLE_AUTHORIZE_URL: `${f.providers.issuer}/authorize`,
      GOOGLE_TOKEN_URL: `${f.providers.issuer}/token`,
      GOOGLE_USERINFO_URL: `${f.providers.issuer}/userinfo`,
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
      const full = await (await f.t.app.request("/login")).text();
      for (const id of ["google", "github", "microsoft"]) expect(full).toContain(`href="/auth/${id}"`);
    } finally {
      only.close();
      none.close();
    }
  });

  test("the first account on the platform, made through a provider, is platform admin; the next is not", async () => {
    const fresh = await createTestApp(f.providers.env());
    try {
      const first = new Browser(fresh.app);
      const admin = await expectSignedIn(first, await signIn(f.providers, first, "google", google({ sub: "g-first", email: "first@example.com", email_verified: true })), "google");
      expect(admin.isPlatformAdmin).toBe(true);
      const [register] = await auditOf(fresh, "auth.register", admin.id);
      expect(register!.details).toMatchObject({ method: "google", platformAdmin: true });
      const second = new Browser(fresh.app);
      const other = await expectSignedIn(second, await signIn(f.providers, second, "github", github({ id: 2, login: "second", name: "Second", emails: [{ email: "second@example.com", primary: true, verified: true }] })), "github");
      expect(other.isPlatformAdmin).toBe(false);
    } finally {
      fresh.close();
    }
  });
});

describe("messages on the sign-in page", () => {
  test("only our own messages are shown for an error code; free text in the link is ignored", async () => {
    const html = await (await f.t.app.request("/login?error=Your%20account%20is%20locked%2C%20call%20us")).text();
    expect(html).not.toContain("call us");
    expect(html).not.toContain('role="alert"');
    const known = await (await f.t.app.request("/login?error=cancelled&provider=github")).text();
    expect(known).toContain("GitHub sign-in was cancelled.");
  });
});

