import { CodeChallengeMethod, generateCodeVerifier, generateState, OAuth2Client } from "arctic";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { redirectAfterPost } from "../../http/render";
import { setSessionCookie } from "./session-cookie";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { AppError } from "../../lib/errors";
import { withTimeout } from "../../lib/timeout";
import { signInWithProvider } from "./oauth";
import { isSignInErrorCode, type SignInErrorCode } from "./oauth-messages";
import { safeRedirectTarget as safeNext } from "../../http/safe-redirect";
import { setPendingCookie } from "./pending-cookie";
import { deletionOfferToken } from "./deletion-offer";
import { configuredProviders, type Provider } from "./providers";

const FLOW_COOKIE = "oauth_flow";
const FLOW_TTL_SECONDS = 600;

function baseUrl(c: AppContext): string {
  return (c.var.deps.config.PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/$/, "");
}

function findProvider(c: AppContext): Provider {
  const provider = configuredProviders(c.var.deps.config).find((p) => p.id === c.req.param("provider"));
  if (!provider) throw new AppError(404, "not_found", "That sign-in provider is not available here.");
  return provider;
}

function clientFor(c: AppContext, provider: Provider): OAuth2Client {
  return new OAuth2Client(provider.clientId, provider.clientSecret, `${baseUrl(c)}/auth/${provider.id}/callback`);
}

const EXCHANGE_TIMEOUT_MS = 10_000;

/**
 * Back to where the flow started — the sign-in page, or the profile when connecting a provider —
 * with an error code that page turns into one of our own messages. Always a full navigation.
 */
function failed(c: AppContext, code: SignInErrorCode, provider: Provider) {
  const page = c.var.user ? "/profile" : "/login";
  return c.redirect(`${page}?error=${code}&provider=${provider.id}`, 303);
}

/**
 * Sign-in with GitHub, Google and Microsoft: authorization code flow with state and PKCE (S256).
 * The state and code verifier live in a short-lived HttpOnly cookie bound to this browser.
 */
export function oauthRoutes() {
  return new Hono<AppEnv>()
    .get("/auth/:provider", (c) => {
      const provider = findProvider(c);
      const state = generateState();
      const verifier = generateCodeVerifier();
      const next = safeNext(c.req.query("next"));
      const url = clientFor(c, provider).createAuthorizationURLWithPKCE(provider.authorizeUrl, state, CodeChallengeMethod.S256, verifier, provider.scopes);
      setCookie(c, FLOW_COOKIE, JSON.stringify({ provider: provider.id, state, verifier, next }), {
        path: "/auth",
        httpOnly: true,
        secure: baseUrl(c).startsWith("https:"),
        sameSite: "Lax",
        maxAge: FLOW_TTL_SECONDS,
      });
      return c.redirect(url.toString(), 302);
    })
    .get("/auth/:provider/callback", async (c) => {
      const provider = findProvider(c);
      const raw = getCookie(c, FLOW_COOKIE);
      deleteCookie(c, FLOW_COOKIE, { path: "/auth" });
      const flow = parseFlow(raw);
      const { state, code, error } = c.req.query();
      if (error) return failed(c, "cancelled", provider);
      if (!flow || flow.provider !== provider.id || !state || state !== flow.state || !code) {
        return failed(c, "expired", provider);
      }
      let accessToken: string;
      try {
        // arctic's request takes no signal, so a hanging token endpoint is cut off here.
        const tokens = await withTimeout(clientFor(c, provider).validateAuthorizationCode(provider.tokenUrl, code, flow.verifier), EXCHANGE_TIMEOUT_MS);
        accessToken = tokens.accessToken();
      } catch (cause) {
        c.var.deps.log({ level: "warn", msg: "oauth code exchange failed", provider: provider.id, error: String(cause) });
        return failed(c, "exchange_failed", provider);
      }
      let profile;
      try {
        profile = await provider.fetchProfile(accessToken, c.var.deps.fetch);
      } catch (cause) {
        c.var.deps.log({ level: "warn", msg: "oauth profile fetch failed", provider: provider.id, error: String(cause) });
        return failed(c, "profile_failed", provider);
      }
      try {
        const result = await signInWithProvider(c.var.deps, provider.id, profile, c.var.user, requestMeta(c), c.var.session);
        if (result.pendingToken !== undefined) {
          setPendingCookie(c, result.pendingToken);
          return redirectAfterPost(c, `/login/two-factor?next=${encodeURIComponent(flow.next)}`);
        }
        setSessionCookie(c, result);
        return redirectAfterPost(c, flow.next);
      } catch (cause) {
        const offer = deletionOfferToken(cause);
        if (offer) {
          // The account is scheduled for deletion: the offer to cancel it (features/erasure).
          setPendingCookie(c, offer);
          return redirectAfterPost(c, "/account/deletion");
        }
        if (cause instanceof AppError && isSignInErrorCode(cause.code)) return failed(c, cause.code, provider);
        throw cause;
      }
    });
}

function parseFlow(raw: string | undefined): { provider: string; state: string; verifier: string; next: string } | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Record<string, unknown>;
    if (typeof value.provider !== "string" || typeof value.state !== "string" || typeof value.verifier !== "string") return null;
    return { provider: value.provider, state: value.state, verifier: value.verifier, next: safeNext(value.next) };
  } catch {
    return null;
  }
}
