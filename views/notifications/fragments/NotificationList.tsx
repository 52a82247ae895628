import type { NotificationView } from "../../../src/features/notifications";
import { MarkAllRead, NotificationItem } from "./NotificationItem";

export interface NotificationListProps {
  notifications: NotificationView[];
  unread: number;
  /** The cursor this page was opened at (null: the newest page). */
  cursor: string | null;
  nextCursor: string | null;
  /** Kind → what users call it. */
  kindLabels: Record<string, string>;
}

const pageHref = (cursor: string | null) => (cursor ? `/notifications?cursor=${encodeURIComponent(cursor)}` : "/notifications");

/**
 * The /notifications list region: what htmx swaps after "Mark read", "Mark all read" and "Older".
 * The newest page also re-fetches itself on the page stream's `notifications` event.
 */
export function NotificationList(props: NotificationListProps) {
  const target = { view: "page" as const, cursor: props.cursor };
  const live = props.cursor === null ? { "hx-get": "/notifications", "hx-trigger": "sse:notifications, sse:resync", "hx-swap": "outerHTML", "hx-disinherit": "hx-swap" } : {};
  return (
    <section id="notification-list" class="notification-list" aria-label="Notifications" {...live}>
      <div class="notification-list-head">
        <p class="muted" role="status">
          {props.unread === 0 ? "Nothing unread." : props.unread === 1 ? "1 unread." : `${props.unread} unread.`}
        </p>
        {props.unread > 0 ? <MarkAllRead target={target} /> : null}
      </div>
      {props.notifications.length === 0 ? (
        <p class="muted">{props.cursor ? "No older notifications." : "No notifications yet."}</p>
      ) : (
        <ul class="notifications">
          {props.notifications.map((n) => (
            <NotificationItem notification={n} kindLabel={props.kindLabels[n.kind] ?? n.kind} target={target} />
          ))}
        </ul>
      )}
      {props.cursor || props.nextCursor ? (
        <nav class="pager" aria-label="Notification pages">
          {props.cursor ? (
            <a class="button small" href={pageHref(null)} hx-get={pageHref(null)} hx-target="#notification-list" hx-swap="outerHTML" hx-push-url="true">
              Newest
            </a>
          ) : (
            <span />
          )}
          {props.nextCursor ? (
            <a class="button small" rel="next" href={pageHref(props.nextCursor)} hx-get={pageHref(props.nextCursor)} hx-target="#notification-list" hx-swap="outerHTML" hx-push-url="true">
              Older
            </a>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
