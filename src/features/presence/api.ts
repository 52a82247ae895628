import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import type { AppEnv } from "../../http/types";
import { jsonBody, queryParams } from "../../http/validate";
import { presenceQuery, statusJson } from "./input";
import { ownStatus, setStatus, visiblePresence, type OwnStatus } from "./service";

const ownJson = (own: OwnStatus) => ({ status: own.status, text: own.text, mode: own.mode, dndUntil: own.dndUntil === null ? null : new Date(own.dndUntil).toISOString() });

/**
 * JSON: GET /api/presence?userIds=a,b — the presence of those the caller shares a business or
 * household with (and their own); anyone else is left out, as an unknown id is. GET and PUT
 * /api/presence/status — the caller's own status.
 */
export function presenceApi() {
  return new Hono<AppEnv>()
    .get("/api/presence", queryParams(presenceQuery), async (c) => {
      const { user } = requireUser(c);
      const seen = await visiblePresence(c.var.deps, user.id, c.req.valid("query").userIds);
      return c.json({ presence: [...seen].map(([userId, view]) => ({ userId, status: view.status, text: view.text })) });
    })
    .get("/api/presence/status", async (c) => {
      const { user } = requireUser(c);
      return c.json({ presence: ownJson(await ownStatus(c.var.deps, user.id)) });
    })
    .put("/api/presence/status", jsonBody(statusJson), async (c) => {
      const { user } = requireUser(c);
      return c.json({ presence: ownJson(await setStatus(c.var.deps, user.id, c.req.valid("json"))) });
    });
}
