import { createMiddleware } from "hono/factory";
import { AppError } from "../lib/errors";
import type { AppEnv } from "./types";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses unsafe requests that a browser sent from another site. Browsers say where a request came
 * from in Sec-Fetch-Site and Origin; a request with neither is not from a browser (a script with a
 * bearer token), so it cannot carry a victim's cookie against their will.
 */
export function csrf(options: { exemptPrefixes?: string[] } = {}) {
  const exempt = options.exemptPrefixes ?? [];
  return createMiddleware<AppEnv>(async function csrf(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    // Paths that take no cookie at all, only a token in a header (module runtimes): nothing for another site to ride on.
    if (exempt.some((prefix) => c.req.path.startsWith(prefix))) return next();
    const site = c.req.header("sec-fetch-site");
    const origin = c.req.header("origin");
    const allowedOrigins = new Set([new URL(c.req.url).origin]);
    const publicUrl = c.var.deps.config.PUBLIC_URL;
    if (publicUrl) allowedOrigins.add(new URL(publicUrl).origin);

    const crossSite = site !== undefined ? site !== "same-origin" && site !== "none" : false;
    const foreignOrigin = origin !== undefined && !allowedOrigins.has(origin);
    if (crossSite || foreignOrigin) {
      throw new AppError(403, "csrf_rejected", "This request came from another site and was refused.");
    }
    return next();
  });
}
