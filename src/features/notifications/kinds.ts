// The kinds of notification the platform sends, what users call them, and how each is delivered
// until the user says otherwise. Pure: no database, so the rules are tested on their own.

/** How a kind reaches the user: in the app only, in the app and by email when away, or not at all. */
export const DELIVERIES = ["app", "email", "off"] as const;
export type Delivery = (typeof DELIVERIES)[number];

export interface KindInfo {
  kind: string;
  /** What the settings page calls it. */
  label: string;
  /** The delivery until the user chooses one. */
  defaultDelivery: Delivery;
}

/** Every kind a feature may notify with; `notify` refuses any other. Add a kind here before using it. */
export const NOTIFICATION_KINDS: readonly KindInfo[] = [
  { kind: "chat.mention", label: "Mentions", defaultDelivery: "email" },
  { kind: "chat.direct", label: "Direct messages", defaultDelivery: "email" },
  { kind: "invitation", label: "Invitations", defaultDelivery: "email" },
  { kind: "members", label: "Membership changes", defaultDelivery: "app" },
  // The export's own email goes out whatever this says; the notification is the in-app half.
  { kind: "privacy.export", label: "Data exports", defaultDelivery: "app" },
  { kind: "calendar.invitation", label: "Event invitations and changes", defaultDelivery: "email" },
  { kind: "calendar.rsvp", label: "Answers to your events", defaultDelivery: "app" },
  { kind: "calendar.approval", label: "Answers waiting for a guardian", defaultDelivery: "email" },
  // Sent at their moment, by email at once when chosen (not in the digest).
  { kind: "calendar.reminder", label: "Event reminders", defaultDelivery: "app" },
  { kind: "modules.review", label: "Reviews of your marketplace modules", defaultDelivery: "email" },
  { kind: "modules.update", label: "Module updates waiting for your consent", defaultDelivery: "app" },
  { kind: "modules.message", label: "Messages from your modules", defaultDelivery: "app" },
  { kind: "billing.payment", label: "Failed payments of spaces you pay for", defaultDelivery: "email" },
];

const BY_KIND = new Map(NOTIFICATION_KINDS.map((info) => [info.kind, info]));

export function isKnownKind(kind: string): boolean {
  return BY_KIND.has(kind);
}

export function kindInfo(kind: string): KindInfo | null {
  return BY_KIND.get(kind) ?? null;
}

export function isDelivery(value: unknown): value is Delivery {
  return typeof value === "string" && (DELIVERIES as readonly string[]).includes(value);
}

/** What the settings form's select shows for each delivery. */
export const DELIVERY_LABELS: Record<Delivery, string> = { app: "In app", email: "Email too", off: "Off" };

/** Every kind's delivery: the user's choice where there is one, else the kind's default. Unknown kinds in `chosen` are dropped. */
export function effectiveDeliveries(chosen: ReadonlyMap<string, Delivery>): Record<string, Delivery> {
  return Object.fromEntries(NOTIFICATION_KINDS.map((info) => [info.kind, chosen.get(info.kind) ?? info.defaultDelivery]));
}

export type PreferenceCheck = { ok: true; preferences: Record<string, Delivery> } | { ok: false; fieldErrors: Record<string, string[]> };

/**
 * Checks preferences as sent (kind → delivery): every kind must be known and every delivery one of
 * DELIVERIES. The errors are keyed by the kind, so a form shows them beside its select.
 */
export function checkPreferences(sent: Record<string, unknown>): PreferenceCheck {
  // Entries, not assignments: a kind named "__proto__" must be refused like any other unknown one.
  const errors: [string, string[]][] = [];
  const chosen: [string, Delivery][] = [];
  for (const [kind, delivery] of Object.entries(sent)) {
    if (!isKnownKind(kind)) errors.push([kind, [`There is no notification kind "${kind.slice(0, 60)}".`]]);
    else if (!isDelivery(delivery)) errors.push([kind, ["Choose In app, Email too or Off."]]);
    else chosen.push([kind, delivery]);
  }
  return errors.length ? { ok: false, fieldErrors: Object.fromEntries(errors) } : { ok: true, preferences: Object.fromEntries(chosen) };
}
