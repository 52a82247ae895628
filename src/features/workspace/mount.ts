import { Hono } from "hono";
import type { TabRenderer } from "./tab-content";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../http/types";
import { businessApi } from "./api";
import type { Deps } from "../../deps";
import { contextsWithActive, rememberContext } from "./contexts";
import { memberApi } from "./member-search-api";
import { membersApi } from "./members-api";
import { memberRoutes } from "./members-routes";
import { contextRoutes } from "./routes";
import { settingsRoutes } from "./settings-routes";
import { workspaceTabRoutes } from "./workspace-routes";

/** The workspace feature's routes: /api/businesses, /api/member, /business/:id/… and the context pages (/contexts/switch, /businesses/new). */
/** `tabs`: workspace tabs drawn by other features (src/app.ts passes chat's). */
export function workspaceRoutes(tabs: Record<string, TabRenderer> = {}) {
  return new Hono<AppEnv>().route("/", businessApi()).route("/", membersApi()).route("/", contextRoutes()).route("/", workspaceTabRoutes(tabs))
    .route("/", memberRoutes()).route("/", memberApi())
    .route("/", settingsRoutes());
}

/** Lets full-page renders load the header's context switcher for the signed-in user. */
export function shellContexts() {
  return createMiddleware<AppEnv>(async function shellContexts(c, next) {
    c.set("loadShell", async () => {
      const user = c.var.user;
      if (!user) throw new Error("loadShell needs a signed-in user");
      return contextsWithActive(c.var.deps, user.id);
    });
    await next();
  });
}

export { hasOwnBodyLimit } from "./settings-routes";
export { businessTwoFactorGate } from "./two-factor-gate";

/** Wired into the households routes by app.ts: a new household becomes the header's active context. */
export function rememberNewHousehold(deps: Deps, userId: string, householdId: string): Promise<void> {
  return rememberContext(deps, userId, `household:${householdId}`);
}
