import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { authApi } from "./api";
import { oauthRoutes } from "./oauth-routes";
import { passwordResetApi } from "./reset-api";
import { passwordResetRoutes } from "./reset-routes";
import { authPageRoutes } from "./routes";
import { passkeyApi } from "./passkey-api";
import { passkeyRoutes } from "./passkey-routes";
import { providerRoutes } from "./provider-routes";
import { twoFactorApi } from "./two-factor-api";
import { twoFactorRoutes } from "./two-factor-routes";
import { verifyEmailApi } from "./verify-api";
import { verifyEmailRoutes } from "./verify-routes";

/** The auth feature's routes: JSON under /api/auth, the sign-in pages, and the OAuth round trips. The profile is src/pages. */
export function authRoutes() {
  return new Hono<AppEnv>()
    .route("/api/auth", authApi())
    .route("/api/auth", passwordResetApi())
    .route("/api/auth", verifyEmailApi())
    .route("/api/auth", twoFactorApi())
    .route("/api/auth", passkeyApi())
    .route("/", oauthRoutes())
    .route("/", authPageRoutes())
    .route("/", passwordResetRoutes())
    .route("/", verifyEmailRoutes())
    .route("/", twoFactorRoutes())
    .route("/", passkeyRoutes())
    .route("/", providerRoutes());
}

/** Puts the signed-in user (or null) on every request; app.ts mounts it before the routes. */
export { session } from "./session-cookie";
