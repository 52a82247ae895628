import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { withTimeout } from "../../lib/timeout";

const DB_CHECK_TIMEOUT_MS = 2000;

/** `GET /health`: 200 when the database answers, 503 with the reason when it does not. */
export function healthRoutes() {
  return new Hono<AppEnv>().get("/health", async (c) => {
    c.header("Cache-Control", "no-store");
    try {
      await withTimeout(c.var.deps.db.run(sql`select 1`), DB_CHECK_TIMEOUT_MS);
      return c.json({ status: "ok", db: "ok" });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      c.var.deps.log({ level: "error", msg: "health check failed", error: reason });
      return c.json({ status: "error", db: "unreachable", reason }, 503);
    }
  });
}
