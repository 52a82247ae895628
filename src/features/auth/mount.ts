import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { authApi } from "./api";
import { oauthRoutes } from "./oauth-routes";
import { authPages } from "./pages";

/** The auth feature's routes: JSON under /api/auth, the pages, and the OAuth round trips. */
export function authRoutes() {
  return new Hono<AppEnv>().route("/api/auth", authApi()).route("/", oauthRoutes()).route("/", authPages());
}

/** Puts the signed-in user (or null) on every request; app.ts mounts it before the routes. */
export { session } from "./session-cookie";
