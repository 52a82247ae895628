// What a space has, from its subscriptions as Stripe last said they are: pure functions, tested without a database.
// A subscription holds while active or trialing, and while past due for a grace period (the banners say until
// when); after that its paid features stop — nothing is deleted, paying again brings them back.
import { freePlan, PLANS, type Plan, type SpaceKind } from "./plans";
import type { SubscriptionItem } from "./schema";

export const GRACE_MS = 7 * 86_400_000;

export interface SubscriptionState {
  id: string;
  status: string;
  items: SubscriptionItem[];
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  pastDueSince: number | null;
}

export type Standing = "good" | "grace" | "lapsed";

export function standing(subscription: Pick<SubscriptionState, "status" | "pastDueSince">, now: number): Standing {
  if (subscription.status === "active" || subscription.status === "trialing") return "good";
  if (subscription.status === "past_due" && (subscription.pastDueSince === null || now < subscription.pastDueSince + GRACE_MS)) return "grace";
  return "lapsed";
}

export const holds = (subscription: Pick<SubscriptionState, "status" | "pastDueSince">, now: number) => standing(subscription, now) !== "lapsed";

/** Subscriptions Stripe will not bill again: nothing to show but history. */
export const isOver = (status: string) => status === "canceled" || status === "incomplete_expired";

export interface PlanStanding {
  plan: Plan;
  /** The subscription that pays for it; null on the free plan. */
  subscription: SubscriptionState | null;
  standing: Standing;
  /** When a past-due subscription stops holding. */
  graceEndsAt: number | null;
}

/** The plan a space is on: the paid plan of a subscription that holds, else the free plan of its kind. */
export function planOf(kind: SpaceKind, subscriptions: readonly SubscriptionState[], now: number, plans: readonly Plan[] = PLANS): PlanStanding {
  for (const subscription of subscriptions) {
    const planId = subscription.items.find((i) => i.planId)?.planId;
    const plan = planId ? plans.find((p) => p.id === planId && p.context === kind) : undefined;
    if (!plan || !holds(subscription, now)) continue;
    const state = standing(subscription, now);
    return { plan, subscription, standing: state, graceEndsAt: state === "grace" && subscription.pastDueSince !== null ? subscription.pastDueSince + GRACE_MS : null };
  }
  return { plan: freePlan(kind, plans), subscription: null, standing: "good", graceEndsAt: null };
}

/** The subscription (not over) that pays for a plan, whether or not it still holds: the one a plan change updates. */
export function planSubscription(subscriptions: readonly SubscriptionState[]): SubscriptionState | null {
  return subscriptions.find((s) => !isOver(s.status) && s.items.some((i) => i.planId)) ?? null;
}

/** The subscription (not over) that pays for a module in this space. */
export function moduleSubscription(subscriptions: readonly SubscriptionState[], moduleId: string): SubscriptionState | null {
  return subscriptions.find((s) => !isOver(s.status) && s.items.some((i) => i.moduleId === moduleId)) ?? null;
}

/** The past-due start to store when a subscription's status changes: kept while past due, cleared otherwise. */
export function pastDueSince(previous: Pick<SubscriptionState, "status" | "pastDueSince"> | null, status: string, now: number): number | null {
  if (status !== "past_due") return null;
  return previous?.status === "past_due" && previous.pastDueSince !== null ? previous.pastDueSince : now;
}

/** What a subscription pays for, in words: "the Team plan", or (a module's) `moduleName`. */
export function subscriptionWords(items: readonly SubscriptionItem[], moduleName = "a module subscription", plans: readonly Plan[] = PLANS): string {
  const planId = items.find((i) => i.planId)?.planId;
  return planId ? `the ${plans.find((p) => p.id === planId)?.name ?? planId} plan` : moduleName;
}
