import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { consentApi } from "./api";
import { consentPageRoutes } from "./routes";

/** The consent feature's routes: /api/me/consents, /terms, /privacy, /consents/accept, /profile/consents. */
export function consentRoutes() {
  return new Hono<AppEnv>().route("/api/me", consentApi()).route("/", consentPageRoutes());
}

/** Holds pages and the API for a signed-in person until the documents in force are accepted; app.ts mounts it after the session. */
export { consentGate } from "./gate";
