import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppContext, AppEnv } from "../../http/types";
import { constantTimeEqual } from "../../lib/crypto";
import { withTimeout } from "../../lib/timeout";
import { requestToken, validateSessionToken } from "../auth";

const DB_CHECK_TIMEOUT_MS = 2000;

/**
 * Whether this request may read the details: `Authorization: Bearer $HEALTH_TOKEN` (a monitor), or a
 * platform admin's session. Mounted before the session middleware so a dead database still gets a
 * 503 rather than a 500; the session is looked up here, and only while the database answers.
 */
async function mayReadDetails(c: AppContext, dbOk: boolean): Promise<boolean> {
  const token = requestToken(c);
  if (!token) return false;
  const expected = c.var.deps.config.HEALTH_TOKEN;
  if (expected && constantTimeEqual(token, expected)) return true;
  if (!dbOk) return false;
  const found = await validateSessionToken(c.var.deps, token).catch(() => null);
  return found?.user.isPlatformAdmin === true;
}

/** `GET /health`: ok / not ok (200 / 503) to the world; which part failed and why only to admins and monitors. */
export function healthRoutes() {
  return new Hono<AppEnv>().get("/health", async (c) => {
    c.header("Cache-Control", "no-store");
    let reason: string | null = null;
    try {
      await withTimeout(c.var.deps.db.run(sql`select 1`), DB_CHECK_TIMEOUT_MS);
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
      c.var.deps.log({ level: "error", msg: "health check failed", error: reason });
    }
    const details = await mayReadDetails(c, reason === null);
    if (reason === null) return c.json(details ? { status: "ok", db: "ok" } : { status: "ok" });
    return c.json(details ? { status: "error", db: "unreachable", reason } : { status: "error" }, 503);
  });
}
