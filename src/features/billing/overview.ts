// What a space's billing page shows, read in one go: its plan as its subscriptions make it, the banners those call
// for (a failed payment's grace period, a lapse, a cancellation at the period's end), its paid modules and invoices.
import type { Deps } from "../../deps";
import { newId } from "../../lib/crypto";
import { formatMoney } from "../../lib/money";
import type { BillingView, PaidModuleRow } from "../../../views/billing/BillingPage";
import { installedPaidModules } from "../modules";
import { GRACE_MS, moduleSubscription, planOf, planSubscription, standing, subscriptionWords, type SubscriptionState } from "./billing-rules";
import { subscriptionsOf } from "./entitlements";
import { storedCustomer } from "./customers";
import { invoicesOf } from "./invoices";
import { PLANS, type PlanLimits } from "./plans";
import type { BillingSpace } from "./spaces";
import { periodOf, usageOf } from "./usage";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function limitWords(limits: PlanLimits): string {
  const gb = Math.round(limits.storageBytes / 1024 ** 3);
  return `Up to ${limits.seats} ${limits.seats === 1 ? "member" : "members"}, ${limits.modules} marketplace modules, ${gb} GB of files.`;
}

function moduleState(subscription: SubscriptionState | null, now: number): Pick<PaidModuleRow, "state" | "endsAt"> {
  if (!subscription) return { state: "none", endsAt: null };
  const s = standing(subscription, now);
  if (s === "lapsed") return { state: "none", endsAt: null };
  if (s === "grace") return { state: "grace", endsAt: null };
  if (subscription.cancelAtPeriodEnd && subscription.currentPeriodEnd) return { state: "ending", endsAt: day(subscription.currentPeriodEnd) };
  return { state: "active", endsAt: null };
}

const capitalized = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;

/** "the Team plan", or the module's name. */
function subscriptionName(subscription: SubscriptionState, modules: readonly { moduleId: string; name: string }[]): string {
  return subscriptionWords(subscription.items, modules.find((m) => subscription.items.some((i) => i.moduleId === m.moduleId))?.name ?? "a module");
}

export async function billingView(deps: Pick<Deps, "db" | "now" | "stripe">, space: BillingSpace, notes: { message?: string | null; error?: string | null } = {}): Promise<BillingView> {
  const now = deps.now();
  const [subscriptions, modules, invoices, customer, usage] = await Promise.all([
    subscriptionsOf(deps.db, space.context),
    installedPaidModules(deps.db, space.context),
    // Invoices are for those who pay (as GET /api/billing/invoices is).
    space.mayPay ? invoicesOf(deps.db, space.context) : Promise.resolve([]),
    storedCustomer(deps.db, space.context),
    usageOf(deps.db, space.context, periodOf(now)),
  ]);
  const current = planOf(space.kind, subscriptions, now);
  const payingForPlan = planSubscription(subscriptions);
  const banners: BillingView["banners"] = [];
  for (const subscription of subscriptions) {
    const what = subscriptionName(subscription, modules);
    const state = standing(subscription, now);
    if (state === "grace")
      banners.push({ kind: "error", text: `A payment for ${what} failed. Update your card by ${subscription.pastDueSince ? day(subscription.pastDueSince + GRACE_MS) : "soon"}, or its paid features stop (nothing is deleted).` });
    else if (subscription.status === "paused") banners.push({ kind: "error", text: `${capitalized(what)} is paused: its paid features are off until it resumes. Your data is kept.` });
    else if (subscription.status === "incomplete") banners.push({ kind: "error", text: `${capitalized(what)} is waiting for its first payment to go through.` });
    else if (state === "lapsed" && subscription.status !== "canceled" && subscription.status !== "incomplete_expired")
      banners.push({ kind: "error", text: `Payments for ${what} failed: its paid features are off. Your data is kept; pay the open invoice to turn them on again.` });
    else if (state === "good" && subscription.cancelAtPeriodEnd && subscription.currentPeriodEnd) banners.push({ kind: "error", text: `${capitalized(what)} is cancelled and ends on ${day(subscription.currentPeriodEnd)}.` });
  }
  // An invoice still to pay (a failed attempt, or a bank asking the payer to confirm: payment_action_required).
  for (const invoice of invoices.filter((i) => i.status === "open" && i.amountDue > 0).slice(0, 3))
    banners.push({ kind: "error", text: `Invoice ${invoice.number ?? invoice.id} (${formatMoney(invoice.amountDue, invoice.currency)}) is waiting for payment — your bank may ask you to confirm it.`, link: invoice.hostedUrl ? { href: invoice.hostedUrl, label: "Pay or confirm it with Stripe" } : undefined });
  return {
    path: space.path,
    spaceName: space.name,
    enabled: deps.stripe !== null,
    mayPay: space.mayPay,
    plan: { name: current.plan.name, limits: limitWords(current.plan.limits), seatsUsed: space.seats, seats: current.plan.limits.seats, paid: current.subscription !== null, moduleApiCalls: usage.module_api_calls ?? 0 },
    banners,
    choices: PLANS.filter((p) => p.context === space.kind && p.monthlyAmount > 0).map((p) => ({ id: p.id, name: p.name, price: `${formatMoney(p.monthlyAmount, p.currency)} a month`, limits: limitWords(p.limits), current: p.id === current.plan.id })),
    changeInsteadOfCheckout: payingForPlan !== null,
    modules: modules.map((m) => ({ moduleId: m.moduleId, name: m.name, href: m.href, price: `${formatMoney(m.pricing.monthlyAmount, m.pricing.currency)} a month ${m.pricing.model === "per_seat" ? "per member" : "per space"}`, ...moduleState(moduleSubscription(subscriptions, m.moduleId), now) })),
    invoices: invoices.map((i) => ({ number: i.number ?? i.id, date: day(i.createdAt), total: formatMoney(i.total, i.currency), status: i.status, hostedUrl: i.hostedUrl, pdfUrl: i.pdfUrl })),
    hasCustomer: customer !== null,
    attempt: newId(),
    message: notes.message ?? null,
    error: notes.error ?? null,
  };
}
