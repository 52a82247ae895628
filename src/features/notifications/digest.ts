// The email digest: notifications of kinds a user gets by email, which they have not seen for a
// while, mailed as one message per user and never twice. Runs every minute (runtime/bun.ts; the
// Workers cron calls the same function).
import { and, eq, inArray, min, sql } from "drizzle-orm";
import { publicLink } from "../../config";
import type { Deps, MailMessage } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import { lastSeenAt, users } from "../auth";
import { effectiveDeliveries } from "./kinds";
import { notifications, type NotificationRow } from "./schema";
import { chosenDeliveries } from "./service";

export interface DigestOptions {
  /**
   * When each user was last seen (epoch ms); users left out of the map count as never seen. The
   * default reads the sessions' lastSeenAt; presence can be plugged in instead.
   */
  lastSeen: (userIds: string[]) => Promise<Map<string, number>>;
  /** How long a notification must have gone unseen before it is mailed (default NOTIFY_EMAIL_AFTER_MINUTES). */
  awayAfterMs: number;
}

export type DigestDeps = Pick<Deps, "db" | "now" | "config" | "mailer" | "log">;

export interface DigestOutcome {
  /** Messages sent (one per user). */
  mailed: number;
  /** Notifications they listed. */
  notifications: number;
}

/** Notifications one digest lists; the rest are counted ("…and 7 more") and are on the page. */
export const DIGEST_LIST_MAX = 20;

// Written out as the partial index notifications_mail_waiting_idx is (a bound `by_email = ?` would not let SQLite use it).
const WAITING_FOR_MAIL = sql`${notifications.byEmail} = 1 and ${notifications.readAt} is null and ${notifications.emailedAt} is null`;

interface Recipient {
  id: string;
  email: string;
  name: string;
}

/**
 * Mails each user their waiting notifications (unread, not mailed, of a kind they got by email when
 * it was made and still do) once they have not been seen for `awayAfterMs` since the oldest of them
 * arrived — so a burst is batched into one message, and someone reading the app is not mailed. The rows are claimed (emailed_at set)
 * in one write transaction before anything is sent, so a second run, here or on another instance,
 * finds nothing to send; a mailer that throws gives its rows back for the next run.
 */
export async function sendDigests(deps: DigestDeps, options: Partial<DigestOptions> = {}): Promise<DigestOutcome> {
  const lastSeen = options.lastSeen ?? ((ids: string[]) => lastSeenAt(deps.db, ids));
  const awayAfterMs = options.awayAfterMs ?? deps.config.NOTIFY_EMAIL_AFTER_MINUTES * 60_000;
  const now = deps.now();

  const waiting = await deps.db
    .select({ userId: notifications.userId, kind: notifications.kind, oldest: min(notifications.createdAt) })
    .from(notifications)
    .where(WAITING_FOR_MAIL)
    .groupBy(notifications.userId, notifications.kind);
  if (waiting.length === 0) return { mailed: 0, notifications: 0 };

  // Which kinds each user still gets by email (they may have changed it since), and since when the oldest has waited.
  const chosen = await chosenDeliveries(deps.db, [...new Set(waiting.map((w) => w.userId))]);
  const mailable = new Map<string, { kinds: string[]; oldest: number }>();
  for (const row of waiting) {
    if (effectiveDeliveries(chosen.get(row.userId) ?? new Map())[row.kind] !== "email") continue;
    const entry = mailable.get(row.userId) ?? { kinds: [], oldest: Number.POSITIVE_INFINITY };
    entry.kinds.push(row.kind);
    entry.oldest = Math.min(entry.oldest, Number(row.oldest));
    mailable.set(row.userId, entry);
  }
  if (mailable.size === 0) return { mailed: 0, notifications: 0 };

  const seen = await lastSeen([...mailable.keys()]);
  const due = [...mailable].filter(([userId, entry]) => now - Math.max(seen.get(userId) ?? 0, entry.oldest) >= awayAfterMs);
  if (due.length === 0) return { mailed: 0, notifications: 0 };

  // Only confirmed, active addresses are mailed; the others' notifications wait in the app.
  const recipients = new Map<string, Recipient>();
  for (let i = 0; i < due.length; i += 500) {
    const rows = await deps.db
      .select({ id: users.id, email: users.email, name: users.name, verified: users.emailVerified, disabledAt: users.disabledAt })
      .from(users)
      .where(inArray(users.id, due.slice(i, i + 500).map(([userId]) => userId)));
    for (const row of rows) if (row.verified && row.disabledAt === null) recipients.set(row.id, row);
  }

  const claimed = await writeTransaction(deps.db, async (tx) => {
    const batches: Array<{ to: Recipient; rows: NotificationRow[] }> = [];
    for (const [userId, entry] of due) {
      const to = recipients.get(userId);
      if (!to) continue;
      const rows = await tx
        .update(notifications)
        .set({ emailedAt: now })
        .where(and(eq(notifications.userId, userId), inArray(notifications.kind, entry.kinds), WAITING_FOR_MAIL))
        .returning();
      if (rows.length > 0) batches.push({ to, rows: rows.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)) });
    }
    return batches;
  });

  let mailed = 0;
  let listed = 0;
  for (const { to, rows } of claimed) {
    try {
      await deps.mailer.send(digestMessage(deps.config, to, rows), {});
      mailed++;
      listed += rows.length;
    } catch (error) {
      // Not sent: give the rows back, so the next run tries again.
      await writeTransaction(deps.db, (tx) =>
        tx
          .update(notifications)
          .set({ emailedAt: null })
          .where(and(inArray(notifications.id, rows.map((row) => row.id)), eq(notifications.emailedAt, now))),
      ).catch(() => {});
      deps.log({ level: "error", msg: "notification digest not sent", userId: to.id, error: String(error) });
    }
  }
  return { mailed, notifications: listed };
}

const oneLine = (text: string, max: number) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** The digest for one user: every notification (newest first, at most DIGEST_LIST_MAX), each with its link. Plain text. */
export function digestMessage(config: Parameters<typeof publicLink>[0], to: Pick<Recipient, "email" | "name">, rows: Pick<NotificationRow, "title" | "body" | "url">[]): MailMessage {
  const listed = rows.slice(0, DIGEST_LIST_MAX);
  const items = listed.flatMap((row) => [
    `- ${oneLine(row.title, 200)}`,
    ...(row.body ? [`  ${oneLine(row.body, 300)}`] : []),
    `  ${publicLink(config, row.url ?? "/notifications")}`,
    "",
  ]);
  const more = rows.length - listed.length;
  const text = [
    `Hello ${oneLine(to.name, 100)},`,
    "",
    rows.length === 1 ? "You have a notification you have not seen on Block on Block:" : `You have ${rows.length} notifications you have not seen on Block on Block:`,
    "",
    ...items,
    ...(more > 0 ? [`…and ${more} more.`, ""] : []),
    `All your notifications: ${publicLink(config, "/notifications")}`,
    `Choose which notifications you get by email: ${publicLink(config, "/notifications/settings")}`,
  ].join("\n");
  const subject = rows.length === 1 ? oneLine(rows[0]!.title, 150) : `${rows.length} new notifications on Block on Block`;
  return { to: to.email, subject, text };
}
