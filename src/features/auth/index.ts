import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { authApi } from "./api";
import { oauthRoutes } from "./oauth-routes";
import { authPages } from "./pages";

/** The auth feature's routes: JSON under /api/auth, the pages, and the OAuth round trips. */
export function authRoutes() {
  return new Hono<AppEnv>().route("/api/auth", authApi()).route("/", oauthRoutes()).route("/", authPages());
}

export { validateSessionToken, type NewSession, type SessionInfo, type SessionListItem } from "./sessions";
export { setAccountStatus } from "./service";
export type { PublicUser } from "./users";
/** The users table, for read-only joins (member lists, search, admin lists); writes go through this feature's services. */
export { users } from "./schema";
