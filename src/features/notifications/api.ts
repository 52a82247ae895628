// JSON under /api/notifications: the paged list with the unread count, marking read, and the
// per-kind preferences.
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { requireUser } from "../../http/require-user";
import type { AppContext, AppEnv } from "../../http/types";
import { jsonBody, queryParams } from "../../http/validate";
import { AppError } from "../../lib/errors";
import { idParam, listQuery, preferencesJson } from "./input";
import { NOTIFICATION_KINDS } from "./kinds";
import { getPreferences, listNotifications, markAllRead, markRead, setPreferences, unreadCount } from "./service";

/** A malformed id names nothing: 404, like someone else's or a missing one. */
function notificationId(c: AppContext): string {
  const parsed = idParam.safeParse({ id: c.req.param("id") });
  if (!parsed.success) throw new AppError(404, "not_found", "There is no such notification.");
  return parsed.data.id;
}

const kinds = NOTIFICATION_KINDS.map(({ kind, label, defaultDelivery }) => ({ kind, label, default: defaultDelivery }));

/** Signed in before anything else: no session is a 401, whatever the input. */
const signedIn = createMiddleware<AppEnv>(async function signedIn(c, next) {
  requireUser(c);
  await next();
});

export function notificationApi() {
  return new Hono<AppEnv>()
    .use("/api/notifications", signedIn)
    .use("/api/notifications/*", signedIn)
    .get("/api/notifications", queryParams(listQuery), async (c) => {
      const { user } = requireUser(c);
      const db = c.var.deps.db;
      const [page, unread] = await Promise.all([listNotifications(db, user.id, c.req.valid("query")), unreadCount(db, user.id)]);
      return c.json({ notifications: page.notifications, nextCursor: page.nextCursor, unread });
    })
    .post("/api/notifications/read-all", async (c) => {
      const { user } = requireUser(c);
      const marked = await markAllRead(c.var.deps, user.id);
      return c.json({ marked, unread: await unreadCount(c.var.deps.db, user.id) });
    })
    .post("/api/notifications/:id/read", async (c) => {
      const { user } = requireUser(c);
      const notification = await markRead(c.var.deps, user.id, notificationId(c));
      return c.json({ notification, unread: await unreadCount(c.var.deps.db, user.id) });
    })
    .get("/api/notifications/preferences", async (c) => {
      const { user } = requireUser(c);
      return c.json({ preferences: await getPreferences(c.var.deps.db, user.id), kinds });
    })
    .put("/api/notifications/preferences", jsonBody(preferencesJson), async (c) => {
      const { user } = requireUser(c);
      return c.json({ preferences: await setPreferences(c.var.deps, user.id, c.req.valid("json").preferences), kinds });
    });
}
