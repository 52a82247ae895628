import type { NotificationView } from "../../../src/features/notifications";
import { MarkAllRead, NotificationItem } from "./NotificationItem";

/** The dropdown's content (/notifications/menu): the latest few, "Mark all read", and the way to the page. */
export function NotificationMenu(props: { notifications: NotificationView[]; unread: number; kindLabels: Record<string, string> }) {
  const target = { view: "menu" as const };
  return (
    <div class="notification-menu-content">
      {props.notifications.length === 0 ? (
        <p class="muted">No notifications yet.</p>
      ) : (
        <ul class="notifications compact">
          {props.notifications.map((n) => (
            <NotificationItem notification={n} kindLabel={props.kindLabels[n.kind] ?? n.kind} target={target} />
          ))}
        </ul>
      )}
      <p class="notification-menu-actions">
        {props.unread > 0 ? <MarkAllRead target={target} /> : null}
        <a href="/notifications">All notifications</a>
        <a href="/notifications/settings">Settings</a>
      </p>
    </div>
  );
}
