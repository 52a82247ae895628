// The cookie that carries a pending sign-in (first factor proved, second awaited) to /login/two-factor.
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppContext } from "../../http/types";
import { PENDING_SIGN_IN_MS } from "./second-step";
import { isSecureRequest } from "./session-cookie";

const PLAIN = "signin_pending";
const SECURE = "__Host-signin_pending";

export function setPendingCookie(c: AppContext, token: string): void {
  const secure = isSecureRequest(c);
  setCookie(c, secure ? SECURE : PLAIN, token, { path: "/", httpOnly: true, secure, sameSite: "Lax", maxAge: PENDING_SIGN_IN_MS / 1000 });
}

export function pendingCookie(c: AppContext): string | null {
  return getCookie(c, isSecureRequest(c) ? SECURE : PLAIN) ?? null;
}

export function clearPendingCookie(c: AppContext): void {
  const secure = isSecureRequest(c);
  deleteCookie(c, secure ? SECURE : PLAIN, { path: "/", secure });
}
