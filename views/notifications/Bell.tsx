// The header's bell. Without JavaScript it is a plain link to /notifications; with htmx the count
// loads from /notifications/bell and is fetched again on each `notifications` event of the page's
// stream (and after a resync), and the dropdown loads the latest notifications when opened.

/** What the shell renders: the link, upgraded by htmx, and the dropdown (a <details>, so it opens without JavaScript too). */
export function Bell() {
  return (
    <div class="notification-bell">
      <span id="notification-count" hx-get="/notifications/bell" hx-trigger="load, sse:notifications, sse:resync" hx-swap="innerHTML" hx-disinherit="hx-target hx-swap">
        <a href="/notifications">Notifications</a>
      </span>
      <details class="notification-menu" hx-get="/notifications/menu" hx-trigger="toggle" hx-target="find .notification-menu-body" hx-swap="innerHTML" hx-disinherit="hx-target hx-swap">
        <summary>
          <span class="visually-hidden">Latest notifications</span>
          <span aria-hidden="true">▾</span>
        </summary>
        <div class="notification-menu-body">
          <a href="/notifications/menu">Latest notifications</a>
        </div>
      </details>
    </div>
  );
}

/** The bell's link with its unread count (the /notifications/bell fragment). */
export function BellLink(props: { unread: number }) {
  // The count is read as part of the link's text ("Notifications 3 unread"), so what is seen is what is said.
  return (
    <a href="/notifications" class="bell-link">
      Notifications
      {props.unread > 0 ? (
        <span class="badge">
          {props.unread > 99 ? "99+" : props.unread}
          <span class="visually-hidden"> unread</span>
        </span>
      ) : null}
    </a>
  );
}
