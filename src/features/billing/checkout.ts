// Subscribing and changing what a space pays for: Stripe Checkout for a new subscription (a plan, or a paid
// module), a plan change on the existing subscription with proration, and the Customer Portal for cards and
// cancelling. Nothing here writes what a space has: that is Stripe's to say, through the webhook (webhook.ts).
import type Stripe from "stripe";
import { and, eq } from "drizzle-orm";
import type { Deps } from "../../deps";
import { AppError, validationError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { writeTransaction } from "../../db/transaction";
import { listedModule } from "../modules";
import { moduleSubscription, planSubscription } from "./billing-rules";
import { customerFor, storedCustomer } from "./customers";
import { subscriptionsOf } from "./entitlements";
import { isMissing } from "./stripe-client";
import { PLANS, type Plan } from "./plans";
import { apiCallsPrice, modulePrice, planPrice, type ModuleOffer } from "./prices";
import { billingCheckouts, billingSubscriptions } from "./schema";
import { requirePayer, type BillingSpace } from "./spaces";

type CheckoutDeps = Pick<Deps, "db" | "now" | "stripe">;

export function requireStripe(deps: Pick<Deps, "stripe">): Stripe {
  if (!deps.stripe) throw new AppError(404, "billing_off", "Billing is not set up here: every space has its free plan.");
  return deps.stripe;
}

/** A paid plan of this kind of space, or the field error that says why not. */
export function paidPlan(space: BillingSpace, planId: string): Plan {
  const plan = PLANS.find((p) => p.id === planId && p.context === space.kind && p.monthlyAmount > 0);
  if (!plan) throw validationError({ plan: ["Choose one of the paid plans for this space."] });
  return plan;
}

/** What a paid module costs this space, from its newest approved version. */
export async function moduleOffer(db: Deps["db"], space: BillingSpace, moduleId: string): Promise<ModuleOffer> {
  const { module, version } = await listedModule(db, moduleId);
  const pricing = version.manifest.pricing;
  if (pricing.model === "free") throw new AppError(409, "free_module", `${module.name} is free: there is nothing to subscribe to.`);
  if (!module.contexts.includes(space.kind)) throw new AppError(409, "wrong_space", `${module.name} is not made for this kind of space.`);
  return { moduleId: module.id, name: module.name, model: pricing.model, monthlyAmount: pricing.monthlyAmount, currency: pricing.currency };
}

export type CheckoutItem = { plan: string } | { module: string };

export interface CheckoutInput {
  item: CheckoutItem;
  /** Names this attempt (a form's hidden field): the same attempt sent twice opens the same Checkout. */
  attempt: string;
  /** Where Stripe sends the person back: our public origin. */
  origin: string;
}

/** A Stripe Checkout Session for a new subscription of this space; its address. */
export async function startCheckout(deps: CheckoutDeps, space: BillingSpace, input: CheckoutInput, meta: RequestMeta, userId: string): Promise<string> {
  requirePayer(space);
  const stripe = requireStripe(deps);
  const subscriptions = await subscriptionsOf(deps.db, space.context);
  let price: Stripe.Price;
  let quantity = 1;
  let what: string;
  // A plan also carries the metered price of module API calls (billed in arrears; the first 100,000 a month included).
  const metered: Stripe.Checkout.SessionCreateParams.LineItem[] = [];
  if ("plan" in input.item) {
    const plan = paidPlan(space, input.item.plan);
    if (planSubscription(subscriptions)) throw new AppError(409, "already_subscribed", "This space already pays for a plan: change the plan instead.");
    price = await planPrice(stripe, plan);
    metered.push({ price: (await apiCallsPrice(stripe)).id });
    what = `plan:${plan.id}`;
  } else {
    const offer = await moduleOffer(deps.db, space, input.item.module);
    if (moduleSubscription(subscriptions, offer.moduleId)) throw new AppError(409, "already_subscribed", `This space already subscribes to ${offer.name}.`);
    price = await modulePrice(stripe, offer);
    quantity = offer.model === "per_seat" ? Math.max(1, space.seats) : 1;
    what = `module:${offer.moduleId}`;
  }
  // One open Checkout per space and slot: the same thing again gets the session already open; another plan ends it.
  const slot = what.startsWith("plan:") ? "plan" : what;
  const open = await openCheckout(deps, stripe, space.context, slot);
  if (open?.item === what) return open.url;
  if (open) await endCheckout(deps, stripe, open.sessionId);
  const customer = await customerFor(deps, stripe, space);
  const back = `${input.origin}${space.path}`;
  const session = await stripe.checkout.sessions.create(
    {
      mode: "subscription",
      customer,
      line_items: [{ price: price.id, quantity }, ...metered],
      success_url: `${back}/return?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${back}?checkout=cancelled`,
      client_reference_id: space.context,
      metadata: { context: space.context, item: what },
      subscription_data: { metadata: { context: space.context, item: what } },
    },
    { idempotencyKey: `bob_checkout_${space.context}_${input.attempt}` },
  );
  if (!session.url) throw new AppError(503, "stripe_failed", "Stripe did not give a checkout address.");
  const url = session.url;
  const kept = await writeTransaction(deps.db, async (tx) => {
    const claimed = await tx
      .insert(billingCheckouts)
      .values({ sessionId: session.id, context: space.context, slot, item: what, url, expiresAt: session.expires_at * 1000, createdAt: deps.now() })
      .onConflictDoNothing()
      .returning({ sessionId: billingCheckouts.sessionId });
    if (claimed.length) await recordAudit(tx, deps.now(), meta, { actorUserId: userId, action: "billing.checkout_started", targetType: space.kind, targetId: space.id, details: { item: what, session: session.id } });
    return claimed.length > 0;
  });
  if (kept) return url;
  // Another checkout for this slot was opened at the same moment (or this attempt's session was already ours).
  const winner = await openCheckout(deps, stripe, space.context, slot);
  if (winner?.sessionId !== session.id) await endCheckout(deps, stripe, session.id);
  if (winner?.item === what) return winner.url;
  throw new AppError(409, "checkout_open", "Another checkout for this space is open right now: finish or cancel it first.");
}

/** The space's open Checkout for a slot, if Stripe still has it open (a finished or expired one is forgotten). */
async function openCheckout(deps: Pick<Deps, "db" | "now">, stripe: Stripe, context: string, slot: string) {
  const [row] = await deps.db.select().from(billingCheckouts).where(and(eq(billingCheckouts.context, context), eq(billingCheckouts.slot, slot)));
  if (!row) return null;
  const session = row.expiresAt > deps.now() ? await stripe.checkout.sessions.retrieve(row.sessionId).catch(() => null) : null;
  if (session?.status === "open") return row;
  await writeTransaction(deps.db, (tx) => tx.delete(billingCheckouts).where(eq(billingCheckouts.sessionId, row.sessionId)));
  return null;
}

/** Ends a Checkout at Stripe (it can no longer be paid) and forgets it. */
async function endCheckout(deps: Pick<Deps, "db">, stripe: Stripe, sessionId: string) {
  await stripe.checkout.sessions.expire(sessionId).catch((error: { code?: string }) => {
    // Already complete or expired: nothing to end.
    if (error.code !== "checkout_session_not_open" && !isMissing(error)) throw error;
  });
  await writeTransaction(deps.db, (tx) => tx.delete(billingCheckouts).where(eq(billingCheckouts.sessionId, sessionId)));
}

/** Moves the space's plan subscription to another paid plan; the rest of the period is charged (or credited) now. */
export async function changePlan(deps: CheckoutDeps, space: BillingSpace, planId: string, meta: RequestMeta, userId: string): Promise<void> {
  requirePayer(space);
  const stripe = requireStripe(deps);
  const plan = paidPlan(space, planId);
  const current = planSubscription(await subscriptionsOf(deps.db, space.context));
  if (!current) throw new AppError(409, "no_plan", "This space has no paid plan to change: subscribe instead.");
  const item = current.items.find((i) => i.planId);
  if (item?.planId === plan.id) throw new AppError(409, "same_plan", `This space is already on the ${plan.name} plan.`);
  const price = await planPrice(stripe, plan);
  const live = await stripe.subscriptions.retrieve(current.id);
  const stripeItem = live.items.data.find((i) => i.price.id === item?.priceId) ?? live.items.data[0];
  if (!stripeItem) throw new AppError(409, "no_plan", "This space's plan subscription has nothing to change.");
  await stripe.subscriptions.update(current.id, { items: [{ id: stripeItem.id, price: price.id }], proration_behavior: "always_invoice", metadata: { item: `plan:${plan.id}` } }, { idempotencyKey: `bob_plan_change_${current.id}_${plan.id}_${item?.priceId ?? ""}` });
  await writeTransaction(deps.db, (tx) => recordAudit(tx, deps.now(), meta, { actorUserId: userId, action: "billing.plan_changed", targetType: space.kind, targetId: space.id, details: { from: item?.planId ?? null, to: plan.id, subscription: current.id } }));
}

/** A Customer Portal session for the space (cards, invoices, cancelling); its address. */
export async function portalUrl(deps: CheckoutDeps, space: BillingSpace, origin: string): Promise<string> {
  requirePayer(space);
  const stripe = requireStripe(deps);
  const customer = await storedCustomer(deps.db, space.context);
  if (!customer) throw new AppError(409, "no_customer", "This space has never paid for anything: there is nothing to manage yet.");
  const session = await stripe.billingPortal.sessions.create({ customer, return_url: `${origin}${space.path}` });
  return session.url;
}

/** The Checkout Session Stripe sent the person back from, if it is this space's. */
export async function returnedSession(deps: CheckoutDeps, space: BillingSpace, sessionId: string): Promise<Stripe.Checkout.Session> {
  const stripe = requireStripe(deps);
  const notOurs = () => new AppError(404, "not_found", "There is no such checkout for this space.");
  if (!/^cs_[A-Za-z0-9_]{1,200}$/.test(sessionId)) throw notOurs();
  try {
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    if (session.metadata?.context !== space.context) throw notOurs();
    return session;
  } catch (error) {
    if (isMissing(error)) throw notOurs();
    throw error;
  }
}
