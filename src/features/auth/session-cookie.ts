import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppContext, AppEnv } from "../../http/types";
import { validateSessionToken, type NewSession } from "./sessions";

const PLAIN_COOKIE = "session";
const HOST_COOKIE = "__Host-session";

/** Whether the app is served over https here: its cookies then take the `__Host-` prefix (Secure, Path=/, no Domain). */
export function isSecureRequest(c: AppContext): boolean {
  const { PUBLIC_URL, TRUST_PROXY } = c.var.deps.config;
  if (PUBLIC_URL) return PUBLIC_URL.startsWith("https:");
  if (TRUST_PROXY && c.req.header("x-forwarded-proto") === "https") return true;
  return new URL(c.req.url).protocol === "https:";
}

/**
 * The token this request carries: `Authorization: Bearer …` first, then the session cookie — over
 * https only `__Host-session` (which a sibling subdomain or a plain-http response cannot plant), the
 * plain `session` only when the app is served over plain http (development).
 */
export function requestToken(c: AppContext): string | null {
  const auth = c.req.header("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim() || null;
  return getCookie(c, isSecureRequest(c) ? HOST_COOKIE : PLAIN_COOKIE) ?? null;
}

export function setSessionCookie(c: AppContext, created: NewSession): void {
  const secure = isSecureRequest(c);
  setCookie(c, secure ? HOST_COOKIE : PLAIN_COOKIE, created.token, {
    path: "/",
    httpOnly: true,
    secure,
    sameSite: "Lax",
    expires: new Date(created.session.expiresAt),
  });
}

export function clearSessionCookie(c: AppContext): void {
  deleteCookie(c, PLAIN_COOKIE, { path: "/" });
  if (getCookie(c, HOST_COOKIE) !== undefined) deleteCookie(c, HOST_COOKIE, { path: "/", secure: true });
}

/** Puts the signed-in user (or null) on every request as c.var.user and c.var.session. */
export function session() {
  return createMiddleware<AppEnv>(async function session(c, next) {
    c.set("user", null);
    c.set("session", null);
    const token = requestToken(c);
    if (token) {
      const found = await validateSessionToken(c.var.deps, token);
      if (found) {
        c.set("user", found.user);
        c.set("session", found.session);
      } else if (!c.req.header("authorization")) {
        clearSessionCookie(c);
      }
    }
    await next();
  });
}
