import type { NotificationView } from "../../../src/features/notifications";
import { Time } from "../../components/Time";

/** Where a mark-read form sends its answer: the list region of the page, or the header's dropdown. */
export type MarkTarget = { view: "page"; cursor: string | null } | { view: "menu" };

function MarkFields(props: { target: MarkTarget }) {
  return (
    <>
      <input type="hidden" name="view" value={props.target.view} />
      {props.target.view === "page" && props.target.cursor ? <input type="hidden" name="cursor" value={props.target.cursor} /> : null}
    </>
  );
}

/** htmx swaps the region the form sits in with the answer. */
const swapOf = (target: MarkTarget) =>
  target.view === "page" ? { "hx-target": "#notification-list", "hx-swap": "outerHTML" } : { "hx-target": "closest .notification-menu-body", "hx-swap": "innerHTML" };

/** One notification: its title (a link when it leads somewhere), body, time, and "Mark read" while unread. */
export function NotificationItem(props: { notification: NotificationView; kindLabel: string; target: MarkTarget }) {
  const n = props.notification;
  const action = `/notifications/${n.id}/read`;
  return (
    <li class={n.readAt ? "notification" : "notification unread"} id={`notification-${n.id}`}>
      <div class="notification-text">
        {n.readAt ? null : <span class="visually-hidden">Unread: </span>}
        {n.url ? <a href={n.url}>{n.title}</a> : <strong>{n.title}</strong>}
        {n.body ? <p class="notification-body">{n.body}</p> : null}
        <p class="notification-meta muted">
          {props.kindLabel} · <Time at={n.createdAt} />
        </p>
      </div>
      {n.readAt ? null : (
        <form method="post" action={action} class="inline-form" hx-post={action} {...swapOf(props.target)}>
          <MarkFields target={props.target} />
          <button type="submit" class="link-button">
            Mark read
          </button>
        </form>
      )}
    </li>
  );
}

/** "Mark all read", for the page's list or the dropdown. */
export function MarkAllRead(props: { target: MarkTarget }) {
  return (
    <form method="post" action="/notifications/read-all" class="inline-form" hx-post="/notifications/read-all" {...swapOf(props.target)}>
      <MarkFields target={props.target} />
      <button type="submit" class="button small">
        Mark all read
      </button>
    </form>
  );
}
