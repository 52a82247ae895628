// `npm run billing:sync`: makes Stripe's catalog match the plans (plans.ts). Products carry our own ids
// (`bob_plan_<id>`), prices are found by lookup key: a second run finds everything and creates nothing. A changed
// amount makes a new price that takes the lookup key over (`transfer_lookup_key`), and the old one is archived —
// Stripe's prices cannot change, and subscriptions on the old one keep it. Every create has an idempotency key, so
// a run cut off and started again does not duplicate either. The meter of module API calls and its metered price
// are made here too (`ensureMeters`).
import Stripe from "stripe";
import { API_CALLS_PRICE, METERS, priceLookupKey, productId, type Plan } from "./plans";
import { findOrMakeProduct } from "./stripe-client";

export interface SyncReport {
  created: string[];
  updated: string[];
  kept: string[];
}

async function ensureProduct(stripe: Stripe, plan: Plan, report: SyncReport): Promise<void> {
  const id = productId(plan);
  const name = `Block on Block ${plan.context} — ${plan.name}`;
  const product = await findOrMakeProduct(stripe, { id, name, metadata: { plan: plan.id, context: plan.context } });
  if (!product) report.created.push(`product ${id}`);
  else if (product.name !== name) {
    await stripe.products.update(id, { name });
    report.updated.push(`product ${id} (name)`);
  } else report.kept.push(`product ${id}`);
}

async function ensurePrice(stripe: Stripe, plan: Plan, report: SyncReport): Promise<void> {
  const key = priceLookupKey(plan);
  const [current] = (await stripe.prices.list({ lookup_keys: [key], limit: 1 })).data;
  const same = current && current.active && current.unit_amount === plan.monthlyAmount && current.currency === plan.currency && current.recurring?.interval === "month" && current.product === productId(plan);
  let live = current;
  if (same) report.kept.push(`price ${key}`);
  else {
    live = await stripe.prices.create(
      { product: productId(plan), unit_amount: plan.monthlyAmount, currency: plan.currency, recurring: { interval: "month" }, lookup_key: key, transfer_lookup_key: true, metadata: { plan: plan.id } },
      // Keyed by what it replaces too: a retry after a cut-off run is the same request, a later return to an old
      // amount is a new one (Stripe would otherwise answer it with the archived price of that first request).
      { idempotencyKey: `bob-price-${key}-${plan.currency}-${plan.monthlyAmount}-after-${current?.id ?? "none"}` },
    );
    report[current ? "updated" : "created"].push(current ? `price ${key} (${current.unit_amount} → ${plan.monthlyAmount} ${plan.currency})` : `price ${key}`);
  }
  // Any other active price of the product is an older one (also one a run cut off before archiving it left behind).
  for (const old of (await stripe.prices.list({ product: productId(plan), active: true, limit: 100 })).data) {
    if (old.id === live!.id) continue;
    await stripe.prices.update(old.id, { active: false });
    report.updated.push(`price ${old.id} archived (${old.unit_amount} ${old.currency})`);
  }
}

/** Brings Stripe's products and prices in line with the paid plans; free plans have nothing in Stripe. */
export async function syncCatalog(stripe: Stripe, plans: readonly Plan[]): Promise<SyncReport> {
  const report: SyncReport = { created: [], updated: [], kept: [] };
  for (const plan of plans) {
    if (plan.monthlyAmount === 0) continue;
    await ensureProduct(stripe, plan, report);
    await ensurePrice(stripe, plan, report);
  }
  await ensureMeters(stripe, report);
  return report;
}

/** Makes the meter we report module API calls to and its metered price, once (found again by event name, lookup key). */
async function ensureMeters(stripe: Stripe, report: SyncReport): Promise<void> {
  const meter = METERS.module_api_calls!;
  const { data } = await stripe.billing.meters.list({ status: "active", limit: 100 });
  let found = data.find((m) => m.event_name === meter.eventName);
  if (found) report.kept.push(`meter ${meter.eventName}`);
  else {
    found = await stripe.billing.meters.create({ display_name: meter.displayName, event_name: meter.eventName, default_aggregation: { formula: "sum" }, customer_mapping: { type: "by_id", event_payload_key: "stripe_customer_id" }, value_settings: { event_payload_key: "value" } }, { idempotencyKey: `bob_meter_${meter.eventName}` });
    report.created.push(`meter ${meter.eventName}`);
  }
  const { data: prices } = await stripe.prices.list({ lookup_keys: [API_CALLS_PRICE.lookupKey], active: true, limit: 1 });
  if (prices[0]) {
    report.kept.push(`price ${API_CALLS_PRICE.lookupKey}`);
    return;
  }
  await findOrMakeProduct(stripe, { id: API_CALLS_PRICE.product, name: "Module API calls", metadata: { metered: "module_api_calls" } });
  await stripe.prices.create(
    {
      product: API_CALLS_PRICE.product,
      currency: API_CALLS_PRICE.currency,
      recurring: { interval: "month", usage_type: "metered", meter: found.id },
      billing_scheme: "tiered",
      tiers_mode: "graduated",
      tiers: [
        { up_to: API_CALLS_PRICE.included, unit_amount: 0 },
        { up_to: "inf", unit_amount_decimal: Stripe.Decimal.from(API_CALLS_PRICE.centsPerCall) },
      ],
      lookup_key: API_CALLS_PRICE.lookupKey,
      metadata: { metered: "module_api_calls" },
    },
    { idempotencyKey: `bob_price_${API_CALLS_PRICE.lookupKey}_${found.id}` },
  );
  report.created.push(`price ${API_CALLS_PRICE.lookupKey}`);
}
