import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../http/types";
import { businessApi } from "./api";
import { contextsWithActive } from "./contexts";
import { memberRoutes } from "./members-routes";
import { workspacePages } from "./pages";
import { memberApi } from "./search";
import { settingsRoutes } from "./settings-routes";
import { workspaceTabRoutes } from "./tabs";

/** The workspace feature's routes: /api/businesses and the context pages (/home, new business…). */
export function workspaceRoutes() {
  return new Hono<AppEnv>().route("/api/businesses", businessApi()).route("/", workspacePages()).route("/", workspaceTabRoutes())
    .route("/", memberRoutes()).route("/api/member", memberApi())
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
