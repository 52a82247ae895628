import { createMiddleware } from "hono/factory";
import { isApiPath, type AppEnv } from "./types";

/**
 * JSON answers carry personal data (accounts, members, sessions, audit entries): no cache — shared or
 * the browser's own — may keep them. A route that knows better sets its own Cache-Control.
 */
export function apiNoStore() {
  return createMiddleware<AppEnv>(async function apiNoStore(c, next) {
    await next();
    if (isApiPath(c.req.path) && !c.res.headers.has("cache-control")) c.header("Cache-Control", "no-store");
  });
}
