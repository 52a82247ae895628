// Test support for src/http: a bare Hono app with the one error handler and just enough context
// (no database) for render(), redirectAfterPost() and the form helpers.
import { Hono } from "hono";
import type { Deps, LogEntry } from "../deps";
import { handleError, handleNotFound } from "./errors";
import type { AppEnv } from "./types";

export function bareApp(logged: LogEntry[] = []) {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set("deps", { log: (entry: LogEntry) => logged.push(entry) } as unknown as Deps);
    c.set("requestId", "req-test");
    c.set("user", null);
    c.set("session", null);
    c.set("loadShell", undefined);
    await next();
  });
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}

/** Headers of an htmx request for a region, a boosted htmx navigation, or a plain browser post. */
export const HTMX = { "hx-request": "true" } as const;
export const BOOSTED = { "hx-request": "true", "hx-boosted": "true" } as const;

/** A urlencoded POST body from pairs, so keys may repeat. */
export function formPost(pairs: [string, string][], headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(pairs).toString(),
  };
}
