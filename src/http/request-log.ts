import { createMiddleware } from "hono/factory";
import { randomToken } from "../lib/crypto";
import type { AppEnv } from "./types";

/**
 * Paths that carry a secret (a one-time link's token): the log keeps their shape, never the token.
 * Query strings are never logged at all.
 */
const SECRET_SEGMENTS = /^(\/(?:invitations|verify-email|reset-password)\/)(?!received(?:\/|$)|resend$)[^/]+/;

export function loggedPath(path: string): string {
  return path.replace(SECRET_SEGMENTS, "$1:token");
}

/** Gives each request an id (echoed as X-Request-Id) and writes one structured log line when it ends. */
export function requestLog() {
  return createMiddleware<AppEnv>(async function requestLog(c, next) {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomToken(10);
    c.set("requestId", requestId);
    c.header("X-Request-Id", requestId);
    await next();
    c.var.deps.log({
      level: c.res.status >= 500 ? "error" : "info",
      msg: "request",
      requestId,
      method: c.req.method,
      path: loggedPath(c.req.path),
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      userId: c.var.user?.id ?? null,
    });
  });
}
