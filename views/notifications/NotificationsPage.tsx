import { NotificationList, type NotificationListProps } from "./fragments/NotificationList";

/** /notifications: the paged list, and the way to the settings. */
export function NotificationsPage(props: NotificationListProps) {
  return (
    <section class="notifications-page">
      <div class="page-heading">
        <h1>Notifications</h1>
        <a href="/notifications/settings">Notification settings</a>
      </div>
      <NotificationList {...props} />
    </section>
  );
}
