// The notifications feature's service API: `notify` for other features (inside their write
// transaction), the email digest for the runtimes' schedules, and the page stream's renderers.
// Its routes are in mount.ts.
export { claimForImmediateEmail, notify, getPreferences, listNotifications, markAllRead, markRead, setPreferences, unreadCount, type NotificationInput, type NotificationView } from "./service";
export { sendDigests, type DigestOptions, type DigestOutcome } from "./digest";
export { notificationPageEvents } from "./page-events";
export { NOTIFICATION_KINDS, DELIVERIES, type Delivery, type KindInfo } from "./kinds";
