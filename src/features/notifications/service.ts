// Notifications: `notify` for any feature, inside the transaction of the change it tells of; the
// user's list, unread count, marking read, and the per-kind preferences.
import { and, count, desc, eq, inArray, isNull, lt, or } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import { safeRedirectTarget } from "../../http/safe-redirect";
import { newId } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { fetchLimit, nextCursor, pageOf } from "../../lib/pager";
import { users } from "../auth";
import { channel, publish } from "../realtime";
import { checkPreferences, effectiveDeliveries, isDelivery, kindInfo, type Delivery } from "./kinds";
import { notificationPreferences, notifications, type NotificationRow } from "./schema";

export const TITLE_MAX = 200;
export const BODY_MAX = 1000;

/** What a feature tells the user. `url` is a path on this site ("/chat/…"), never another host. */
export interface NotificationInput {
  kind: string;
  title: string;
  body?: string | null;
  url?: string | null;
}

/** One notification as pages and the JSON API show it. */
export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  url: string | null;
  createdAt: string;
  readAt: string | null;
}

export const CREATED = "notification.created";
export const READ = "notification.read";

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A same-site path: starts with "/" and is not "//host" (nor "/\host", which browsers read the same). */
export function isSameSitePath(url: string): boolean {
  return url !== "" && safeRedirectTarget(url, "") === url;
}

/**
 * Notifies `userId`, inside `tx` — the write transaction of the change it tells of, so a rollback
 * takes the notification (and its announcement) back too. Reads the user's preference for the
 * kind: "off" stores nothing and returns null; otherwise stores it, announces `notification.created`
 * on the user's channel, and returns its id. An unknown kind, an empty title or a `url` that is not
 * a same-site path is a programming error and throws.
 */
export async function notify(tx: Tx, deps: Pick<Deps, "now" | "live">, userId: string, input: NotificationInput): Promise<string | null> {
  const info = kindInfo(input.kind);
  if (!info) throw new TypeError(`Unknown notification kind "${input.kind}"; add it to features/notifications/kinds.ts`);
  const title = input.title.trim();
  if (!title) throw new TypeError("A notification needs a title");
  const url = input.url ?? null;
  if (url !== null && !isSameSitePath(url)) throw new TypeError(`A notification's url must be a path on this site, got "${url.slice(0, 100)}"`);
  const [chosen] = await tx
    .select({ delivery: notificationPreferences.delivery })
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.kind, info.kind)));
  const delivery = chosen?.delivery ?? info.defaultDelivery;
  if (delivery === "off") return null;
  const id = newId();
  const body = input.body?.trim() ? clip(input.body.trim(), BODY_MAX) : null;
  await tx.insert(notifications).values({ id, userId, kind: info.kind, title: clip(title, TITLE_MAX), body, url, createdAt: deps.now(), byEmail: delivery === "email" });
  await publish(tx, deps, { channel: channel.user(userId), type: CREATED, payload: { notificationId: id, kind: info.kind } });
  return id;
}

/**
 * For a notification that cannot wait for the digest (a reminder): when the person chose "Email too" for its kind,
 * marks it mailed (so the digest leaves it) and returns their address, for the caller to mail at once after the
 * commit; otherwise null.
 */
export async function claimForImmediateEmail(tx: Tx, now: number, notificationId: string): Promise<string | null> {
  const [row] = await tx.select({ byEmail: notifications.byEmail, userId: notifications.userId }).from(notifications).where(eq(notifications.id, notificationId));
  if (!row?.byEmail) return null;
  await tx.update(notifications).set({ emailedAt: now }).where(eq(notifications.id, notificationId));
  const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
  return user?.email ?? null;
}

export function toView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    url: row.url,
    createdAt: new Date(row.createdAt).toISOString(),
    readAt: row.readAt === null ? null : new Date(row.readAt).toISOString(),
  };
}

/** Where a page of the list starts: after the row with this time and id (newest first). */
export interface ListCursor {
  at: number;
  id: string;
}

export interface NotificationPage {
  notifications: NotificationView[];
  /** The cursor of the next (older) page, or null on the last. */
  nextCursor: string | null;
}

/** The user's notifications, newest first, `limit` at a time, after `cursor` (a page's nextCursor). */
export async function listNotifications(db: Db, userId: string, query: { cursor?: ListCursor | null; limit: number }): Promise<NotificationPage> {
  const limit = Math.max(1, Math.min(100, Math.floor(query.limit)));
  const after = query.cursor ?? null;
  const rows = await db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        after ? or(lt(notifications.createdAt, after.at), and(eq(notifications.createdAt, after.at), lt(notifications.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(fetchLimit(limit));
  const page = pageOf(rows, limit);
  return { notifications: page.rows.map(toView), nextCursor: nextCursor(page, (last) => [last.createdAt, last.id]) };
}

export async function unreadCount(db: Db | Tx, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

const notFound = () => new AppError(404, "not_found", "There is no such notification.");

/**
 * Marks one of the user's notifications read (already read: unchanged). Another user's id is a 404,
 * the same as a missing one. Announces `notification.read` so the user's other tabs update their badge.
 */
export async function markRead(deps: Pick<Deps, "db" | "now" | "live">, userId: string, id: string): Promise<NotificationView> {
  return writeTransaction(deps.db, async (tx) => {
    const mine = and(eq(notifications.id, id), eq(notifications.userId, userId));
    const [changed] = await tx
      .update(notifications)
      .set({ readAt: deps.now() })
      .where(and(mine, isNull(notifications.readAt)))
      .returning();
    if (changed) {
      await publish(tx, deps, { channel: channel.user(userId), type: READ, payload: { notificationId: id } });
      return toView(changed);
    }
    const [row] = await tx.select().from(notifications).where(mine);
    if (!row) throw notFound();
    return toView(row);
  });
}

/** Marks every unread notification of the user read; returns how many changed (and announces it when any did). */
export async function markAllRead(deps: Pick<Deps, "db" | "now" | "live">, userId: string): Promise<number> {
  return writeTransaction(deps.db, async (tx) => {
    const changed = await tx
      .update(notifications)
      .set({ readAt: deps.now() })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    if (changed.length > 0) await publish(tx, deps, { channel: channel.user(userId), type: READ, payload: { all: true } });
    return changed.length;
  });
}

/** The user's stored choices, kind → delivery (kinds no longer in the registry left out). */
export async function chosenDeliveries(db: Db | Tx, userIds: readonly string[]): Promise<Map<string, Map<string, Delivery>>> {
  const byUser = new Map<string, Map<string, Delivery>>();
  if (userIds.length === 0) return byUser;
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = await db.select().from(notificationPreferences).where(inArray(notificationPreferences.userId, userIds.slice(i, i + 500)));
    for (const row of rows) {
      if (!kindInfo(row.kind) || !isDelivery(row.delivery)) continue;
      let chosen = byUser.get(row.userId);
      if (!chosen) byUser.set(row.userId, (chosen = new Map()));
      chosen.set(row.kind, row.delivery);
    }
  }
  return byUser;
}

/** Every kind's delivery for the user: their choice, else the kind's default. */
export async function getPreferences(db: Db | Tx, userId: string): Promise<Record<string, Delivery>> {
  return effectiveDeliveries((await chosenDeliveries(db, [userId])).get(userId) ?? new Map());
}

/**
 * Sets the user's delivery for the kinds given (others unchanged); an unknown kind or delivery is
 * a 400 naming it. Returns every kind's delivery after the change.
 */
export async function setPreferences(deps: Pick<Deps, "db">, userId: string, sent: Record<string, unknown>): Promise<Record<string, Delivery>> {
  const checked = checkPreferences(sent);
  if (!checked.ok) throw new AppError(400, "validation_failed", "Some notification preferences are invalid.", { fieldErrors: checked.fieldErrors });
  return writeTransaction(deps.db, async (tx) => {
    for (const [kind, delivery] of Object.entries(checked.preferences)) {
      await tx
        .insert(notificationPreferences)
        .values({ userId, kind, delivery })
        .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind], set: { delivery } });
    }
    return getPreferences(tx, userId);
  });
}
