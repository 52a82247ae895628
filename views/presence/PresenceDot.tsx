import { html } from "hono/html";
import type { PresenceView } from "../../src/features/presence/rules";

export type { PresenceView };

export const STATUS_LABELS: Record<PresenceView["status"], string> = { online: "Online", away: "Away", dnd: "Do not disturb", offline: "Offline" };

/** What a screen reader (and the tooltip) says: the status, and the user's text after it. */
export function presenceLabel(view: PresenceView): string {
  return view.text ? `${STATUS_LABELS[view.status]}: ${view.text}` : STATUS_LABELS[view.status];
}

/** The name of the page stream's event that carries this user's dot (see the presence.changed page renderer). */
export const presenceEvent = (userId: string) => `presence-${userId}`;

/**
 * A user's presence dot. Live on any signed-in page: the page stream's `presence-<userId>` event
 * carries the re-rendered dot, which replaces this one (the same user may show in several places,
 * so it has no id). As an html template for the member table's rows (see MemberTable's timings).
 */
export function presenceDotHtml(userId: string, view: PresenceView) {
  const label = presenceLabel(view);
  return html`<span class="presence presence-${view.status}" sse-swap="${presenceEvent(userId)}" hx-swap="outerHTML" role="img" aria-label="${label}" title="${label}"></span>`;
}

export function PresenceDot(props: { userId: string; presence: PresenceView | undefined }) {
  return presenceDotHtml(props.userId, props.presence ?? { status: "offline", text: "" });
}
