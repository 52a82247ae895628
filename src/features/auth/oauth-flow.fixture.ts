// Test support for the OAuth tests: one whole round trip (app → provider → app) and the checks
// every sign-in or refusal must pass. The provider side is in oauth-providers.fixture.ts.
import { afterAll, afterEach, beforeAll, expect } from "bun:test";
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { auditEvents, oauthAccounts, users } from "../../schema";
import { createTestApp, registerUser, type Browser, type TestApp } from "../../test/app";
import { startProviderServers, type Identity, type ProviderServers, type TokenExchange } from "./oauth-providers.fixture";

/**
 * For one test file: the provider servers and an app pointed at them, in which the platform's first
 * account exists already (so provider sign-ups are ordinary users). Read the fields inside tests.
 */
export function useOAuthApp() {
  const f = {} as { providers: ProviderServers; t: TestApp; founder: { id: string } };
  beforeAll(async () => {
    f.providers = await startProviderServers();
    f.t = await createTestApp(f.providers.env());
    f.founder = await registerUser(f.t.app, "founder@example.com", "Founder");
  });
  afterEach(() => f.providers.reset());
  afterAll(async () => {
    f.t.close();
    await f.providers.stop();
  });
  return f;
}

export const CLIENTS = {
  google: ["google-client", "google-secret"],
  microsoft: ["microsoft-client", "microsoft-secret"],
  github: ["github-client", "github-secret"],
} as const;
const SCOPES = { google: "openid email profile", microsoft: "openid email profile", github: "read:user user:email" } as const;
export type ProviderName = keyof typeof CLIENTS;

/** GET /auth/:provider: checks the redirect to the provider and the flow cookie; returns the authorize URL. */
export async function startFlow(providers: ProviderServers, browser: Browser, provider: ProviderName, query = ""): Promise<URL> {
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
export async function approve(authorize: URL): Promise<string> {
  const response = await fetch(authorize, { redirect: "manual" });
  expect(response.status).toBe(302);
  const back = new URL(response.headers.get("location")!);
  expect(back.origin).toBe("http://localhost");
  expect(back.searchParams.get("state")).toBe(authorize.searchParams.get("state"));
  expect(back.searchParams.get("code")).toBeTruthy();
  return `${back.pathname}${back.search}`;
}

/** The token request carried the PKCE verifier matching the challenge, the redirect URI and the client's credentials. */
export function expectProperExchange(exchange: TokenExchange, authorize: URL, provider: ProviderName) {
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
export async function signIn(providers: ProviderServers, browser: Browser, provider: ProviderName, identity: Identity, query = "") {
  const authorize = await startFlow(providers, browser, provider, query);
  const exchange = providers.issueNextTokenFor(identity);
  const callback = await approve(authorize);
  const response = await browser.request(callback);
  return { response, exchange, authorize };
}

/** A successful sign-in: 303 to `next`, a session cookie, the flow cookie gone, and /me answers with the user. */
export async function expectSignedIn(browser: Browser, result: Awaited<ReturnType<typeof signIn>>, provider: ProviderName, next = "/home") {
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
export async function expectRefused(browser: Browser, response: Response, includes?: RegExp): Promise<string> {
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
export async function shownAlert(browser: Browser, location: URL, includes?: RegExp): Promise<string> {
  const page = await browser.request(`${location.pathname}${location.search}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const message = /<p class="form-message error" role="alert">([^<]+)<\/p>/.exec(html)?.[1] ?? "";
  expect(message.length).toBeGreaterThan(0);
  if (includes) expect(message.replaceAll("&#39;", "'")).toMatch(includes);
  return message;
}

export const userByEmail = async (app: TestApp, email: string) => (await app.deps.db.select().from(users).where(eq(users.email, email)))[0];
export const linksOf = (app: TestApp, userId: string) => app.deps.db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, userId));
export const auditOf = (app: TestApp, action: string, targetId: string) =>
  app.deps.db.select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)));

