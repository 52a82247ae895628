import { createMiddleware } from "hono/factory";
import { randomToken } from "../lib/crypto";
import type { AppEnv } from "./types";

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
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      userId: c.var.user?.id ?? null,
    });
  });
}
