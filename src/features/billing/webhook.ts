// POST /api/billing/webhook: Stripe's events. The raw body's signature is checked with the endpoint secret (300 s
// tolerance, on our clock); an event is a trigger, never the truth — the subscription it concerns is read again from
// Stripe and stored as Stripe has it now, so an event delivered twice changes nothing (its id is stored in the same
// transaction as its effects) and events arriving out of order converge to Stripe's state.
import Stripe from "stripe";
import { eq } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Tx } from "../../db/types";
import { AppError } from "../../lib/errors";
import { channel, publish } from "../realtime";
import { notify } from "../notifications";
import { GRACE_MS, pastDueSince, subscriptionWords, type SubscriptionState } from "./billing-rules";
import { billingPath, contextText, parseContext, payersOf, type SpaceRef } from "./spaces";
import { invoiceRow } from "./invoices";
import { disputeWork, payDueTransfers, refundWork, saleWork, writeLedger, type LedgerWork } from "./ledger";
import { billingEvents, billingInvoices, billingSubscriptions, type SubscriptionItem } from "./schema";

export const BILLING_CHANGED = "billing.changed";
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The events that change something here; any other is acknowledged and recorded. */
export const HANDLED_EVENTS = new Set([
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "customer.subscription.paused",
  "customer.subscription.resumed",
  "invoice.paid",
  "invoice.payment_failed",
  "invoice.payment_action_required",
  "charge.refunded",
  "charge.dispute.funds_withdrawn",
  "charge.dispute.funds_reinstated",
]);

type BillingDeps = Pick<Deps, "db" | "now" | "live" | "config" | "stripe" | "log">;

/** The subscription an event concerns, if any (a session's, an invoice's, or the subscription itself). */
function subscriptionIdOf(event: Stripe.Event): string | null {
  const object = event.data.object as unknown as Record<string, unknown>;
  if (event.type.startsWith("customer.subscription.")) return String(object.id);
  const direct = object.subscription;
  if (typeof direct === "string") return direct;
  const parent = (object.parent as { subscription_details?: { subscription?: unknown } } | undefined)?.subscription_details?.subscription;
  return typeof parent === "string" ? parent : null;
}

function itemsOf(subscription: Stripe.Subscription): SubscriptionItem[] {
  return subscription.items.data.map((item) => ({
    priceId: item.price.id,
    quantity: item.quantity ?? 1,
    planId: item.price.metadata?.plan ?? null,
    moduleId: item.price.metadata?.module ?? null,
  }));
}

function periodEndOf(subscription: Stripe.Subscription): number | null {
  const ends = subscription.items.data.map((item) => (item as unknown as { current_period_end?: number }).current_period_end).filter((n): n is number => typeof n === "number");
  return ends.length ? Math.max(...ends) * 1000 : null;
}

export async function receiveWebhook(deps: BillingDeps, rawBody: string, signature: string | undefined): Promise<{ duplicate: boolean; outcome: "applied" | "acknowledged" }> {
  const stripe = deps.stripe;
  const secret = deps.config.STRIPE_WEBHOOK_SECRET;
  if (!stripe || !secret) throw new AppError(404, "billing_off", "Billing is not set up here.");
  let event: Stripe.Event;
  try {
    event = await stripe.webhooks.constructEventAsync(rawBody, signature ?? "", secret, WEBHOOK_TOLERANCE_SECONDS, Stripe.createSubtleCryptoProvider(), deps.now());
  } catch {
    throw new AppError(400, "bad_signature", "The Stripe-Signature header does not match this body.");
  }
  const [seen] = await deps.db.select({ id: billingEvents.id }).from(billingEvents).where(eq(billingEvents.id, event.id));
  if (seen) return { duplicate: true, outcome: "acknowledged" };

  // Stripe's state now, read before the transaction (no network inside it).
  const handled = HANDLED_EVENTS.has(event.type);
  const subscriptionId = handled ? subscriptionIdOf(event) : null;
  const subscription = subscriptionId ? await stripe.subscriptions.retrieve(subscriptionId, { expand: ["items.data.price"] }) : null;
  const invoiceId = handled && event.type.startsWith("invoice.") ? String((event.data.object as { id?: unknown }).id) : null;
  const invoice = invoiceId ? await stripe.invoices.retrieve(invoiceId) : null;
  const space = subscription ? parseContext(subscription.metadata?.context ?? "") : null;
  // The money: a paid invoice's sale, a refund's or a dispute's movement (ledger.ts).
  let money: LedgerWork | null = null;
  if (space && invoice && event.type === "invoice.paid") money = await saleWork(deps.db, stripe, invoice, contextText(space), itemsOf(subscription!));
  const objectId = String((event.data.object as { id?: unknown }).id);
  if (event.type === "charge.refunded") money = await refundWork(deps.db, stripe, objectId);
  if (event.type.startsWith("charge.dispute.funds_")) money = await disputeWork(deps.db, stripe, objectId);
  const outcome: "applied" | "acknowledged" = space || money ? "applied" : "acknowledged";
  // Who to tell if this event makes the subscription past due (read now: no other reads inside the transaction).
  const payers = space && subscription?.status === "past_due" ? await payersOf(deps.db, space) : null;

  const result = await writeTransaction(deps.db, async (tx) => {
    const inserted = await tx.insert(billingEvents).values({ id: event.id, type: event.type, stripeCreated: event.created, handledAt: deps.now(), outcome }).onConflictDoNothing().returning({ id: billingEvents.id });
    // Another instance handled it meanwhile.
    if (inserted.length === 0) return { duplicate: true, outcome: "acknowledged" as const, transfersDue: false };
    if (space && subscription) {
      const context = contextText(space);
      const [previous] = await tx.select({ status: billingSubscriptions.status, pastDueSince: billingSubscriptions.pastDueSince }).from(billingSubscriptions).where(eq(billingSubscriptions.id, subscription.id));
      const row = {
        id: subscription.id,
        context,
        stripeCustomerId: typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id,
        status: subscription.status,
        items: itemsOf(subscription),
        currentPeriodEnd: periodEndOf(subscription),
        cancelAtPeriodEnd: subscription.cancel_at_period_end,
        pastDueSince: pastDueSince(previous ?? null, subscription.status, deps.now()),
        updatedAt: deps.now(),
      };
      await tx.insert(billingSubscriptions).values(row).onConflictDoUpdate({ target: billingSubscriptions.id, set: row });
      if (payers && previous?.status !== "past_due") await tellPayers(tx, deps, payers, space, row);
      if (invoice) {
        const mirrored = invoiceRow(invoice, context, subscription.id, deps.now());
        await tx.insert(billingInvoices).values(mirrored).onConflictDoUpdate({ target: billingInvoices.id, set: mirrored });
      }
      await publish(tx, deps, { channel: channel.space(space.kind, space.id), type: BILLING_CHANGED, payload: { subscriptionId: subscription.id, status: subscription.status } });
    }
    const transfersDue = money ? await writeLedger(tx, deps.now(), money) : false;
    return { duplicate: false, outcome, transfersDue };
  });
  if (result.transfersDue) await payDueTransfers(deps);
  return { duplicate: result.duplicate, outcome: result.outcome };
}

/** The space's payers hear that a payment failed, and until when they can put it right. */
async function tellPayers(tx: Tx, deps: Pick<Deps, "now" | "live">, payers: { name: string; userIds: string[] }, space: SpaceRef, row: Pick<SubscriptionState, "items" | "pastDueSince">) {
  const graceEnds = new Date((row.pastDueSince ?? deps.now()) + GRACE_MS).toISOString().slice(0, 10);
  const title = `A payment for ${subscriptionWords(row.items)} of ${payers.name} failed`;
  for (const userId of payers.userIds) await notify(tx, deps, userId, { kind: "billing.payment", title, body: `Update the card by ${graceEnds}, or its paid features stop. Nothing is deleted.`, url: billingPath(space) });
}
