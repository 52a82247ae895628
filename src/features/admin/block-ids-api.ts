// Block IDs as JSON for platform admins: search users with their current number, move one, and
// the audit trails of a user and of one number.
import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody, queryParams } from "../../http/validate";
import { requirePlatformAdmin } from "./access";
import {
  blockIdAuditEvents,
  existingBlockIdUser,
  issuedBlockIdRecord,
  moveUserByAdmin,
  searchBlockIdUsers,
  userAuditEvents,
  type AuditEventItem,
  type BlockIdRecord,
  type BlockIdUser,
} from "./block-ids";
import { blockIdSearchInput, eventPageInput, moveInput, parseBlockIdValue, parseUserId } from "./input";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

const userJson = (user: BlockIdUser) => ({
  id: user.id,
  name: user.name,
  email: user.email,
  blockId: user.blockId,
  source: user.source,
  issuedAt: iso(user.issuedAt),
  place: user.place,
});

const eventJson = (event: AuditEventItem) => ({ ...event, at: iso(event.at) });

const blockIdJson = (record: BlockIdRecord) => ({
  value: record.value,
  userId: record.userId,
  issuedAt: iso(record.issuedAt),
  retiredAt: iso(record.retiredAt),
  source: record.source,
  place: record.place,
});

/** /api/admin/users/… and /api/admin/block-ids/…: platform admins only, checked before the input is read. */
export function blockIdsApi() {
  return new Hono<AppEnv>()
    .get("/api/admin/users/block-ids", requirePlatformAdmin, queryParams(blockIdSearchInput), async (c) => {
      const found = await searchBlockIdUsers(c.var.deps.db, c.req.valid("query"));
      return c.json({ users: found.users.map(userJson), nextCursor: found.nextCursor });
    })
    .put("/api/admin/users/:id/location", requirePlatformAdmin, jsonBody(moveInput), async (c) => {
      const { user: admin } = requireUser(c);
      const user = await existingBlockIdUser(c.var.deps.db, parseUserId(c.req.param("id")));
      const moved = await moveUserByAdmin(c.var.deps, admin.id, user.id, c.req.valid("json"), requestMeta(c));
      return c.json({ user: { id: user.id, blockId: moved.current.blockId }, previous: moved.previous, current: moved.current });
    })
    .get("/api/admin/users/:id/audit-logs", requirePlatformAdmin, queryParams(eventPageInput), async (c) => {
      const user = await existingBlockIdUser(c.var.deps.db, parseUserId(c.req.param("id")));
      const page = await userAuditEvents(c.var.deps.db, user.id, c.req.valid("query"));
      return c.json({ events: page.events.map(eventJson), nextCursor: page.nextCursor });
    })
    .get("/api/admin/block-ids/:id/audit-logs", requirePlatformAdmin, queryParams(eventPageInput), async (c) => {
      const record = await issuedBlockIdRecord(c.var.deps.db, parseBlockIdValue(c.req.param("id")));
      const page = await blockIdAuditEvents(c.var.deps.db, record, c.req.valid("query"));
      return c.json({ blockId: blockIdJson(record), events: page.events.map(eventJson), nextCursor: page.nextCursor });
    });
}
