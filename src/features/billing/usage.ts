// Usage per space and month: module runtimes' API calls are counted as they happen (deps.entitlements.count);
// members and stored bytes are taken by the usage job, the most seen in the month. The job then tells Stripe what
// it has not yet been told, as meter events — the event's identifier names the space, month, metric and running
// total, so a report sent twice (a retry, two instances) is counted once by Stripe.
import Stripe from "stripe";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Deps, UsageMetric } from "../../deps";
import type { Db } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { storedBytes } from "../chat";
import { householdMemberCount } from "../households";
import { businessCounts } from "../workspace";
import { billingCustomers, billingUsage } from "./schema";
import { parseContext, type SpaceRef } from "./spaces";

/** The Stripe meter of each metric we report (made by `npm run billing:sync`). */
export const METERS: Record<string, { eventName: string; displayName: string }> = {
  module_api_calls: { eventName: "bob_module_api_calls", displayName: "Module API calls" },
};

export const periodOf = (at: number) => new Date(at).toISOString().slice(0, 7);

export async function countUsage(db: Db, now: number, context: string, metric: UsageMetric, quantity = 1): Promise<void> {
  await writeTransaction(db, (tx) =>
    tx
      .insert(billingUsage)
      .values({ context, period: periodOf(now), metric, quantity, reported: 0, updatedAt: now })
      .onConflictDoUpdate({ target: [billingUsage.context, billingUsage.period, billingUsage.metric], set: { quantity: sql`${billingUsage.quantity} + ${quantity}`, updatedAt: now } }),
  );
}

/** Keeps the month's highest value of a level metric (members, stored bytes). */
export async function noteLevel(db: Db, now: number, context: string, metric: "seats" | "storage_bytes", value: number): Promise<void> {
  await writeTransaction(db, (tx) =>
    tx
      .insert(billingUsage)
      .values({ context, period: periodOf(now), metric, quantity: value, reported: 0, updatedAt: now })
      .onConflictDoUpdate({ target: [billingUsage.context, billingUsage.period, billingUsage.metric], set: { quantity: sql`max(${billingUsage.quantity}, ${value})`, updatedAt: now } }),
  );
}

export async function usageOf(db: Db, context: string, period: string) {
  const rows = await db.select().from(billingUsage).where(and(eq(billingUsage.context, context), eq(billingUsage.period, period)));
  return Object.fromEntries(rows.map((r) => [r.metric, r.quantity])) as Partial<Record<string, number>>;
}

/** Sends Stripe the usage it has not been told of (spaces with a Stripe customer, metrics with a meter). */
export async function reportUsage(deps: Pick<Deps, "db" | "now" | "stripe" | "log">): Promise<number> {
  const stripe: Stripe | null = deps.stripe;
  if (!stripe) return 0;
  const rows = await deps.db
    .select({ usage: billingUsage, customer: billingCustomers.stripeCustomerId })
    .from(billingUsage)
    .innerJoin(billingCustomers, eq(billingCustomers.context, billingUsage.context))
    .where(gt(billingUsage.quantity, billingUsage.reported))
    .limit(200);
  let sent = 0;
  for (const { usage, customer } of rows) {
    const meter = METERS[usage.metric];
    if (!meter) continue;
    const delta = usage.quantity - usage.reported;
    try {
      await stripe.billing.meterEvents.create({ event_name: meter.eventName, payload: { stripe_customer_id: customer, value: String(delta) }, identifier: `bob_${usage.context}_${usage.period}_${usage.metric}_${usage.quantity}` });
      await writeTransaction(deps.db, (tx) =>
        tx
          .update(billingUsage)
          .set({ reported: sql`max(${billingUsage.reported}, ${usage.quantity})` })
          .where(and(eq(billingUsage.context, usage.context), eq(billingUsage.period, usage.period), eq(billingUsage.metric, usage.metric))),
      );
      sent++;
    } catch (error) {
      deps.log({ level: "warn", msg: "usage not reported", context: usage.context, metric: usage.metric, error: String(error) });
    }
  }
  return sent;
}

/**
 * The metered price every paid plan's subscription carries: module API calls, the first 100,000 a month included,
 * then $1.00 for each 10,000 (a tenth of a cent a call), billed in arrears from the meter.
 */
export const API_CALLS_PRICE = { product: "bob_module_api_calls", lookupKey: "bob_module_api_calls_metered", included: 100_000, centsPerCall: "0.01", currency: "usd" } as const;

/** Makes the meter we report module API calls to and its metered price, once (found again by event name, lookup key). */
export async function ensureMeters(stripe: Stripe, report: { created: string[]; kept: string[] }): Promise<void> {
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
  try {
    await stripe.products.retrieve(API_CALLS_PRICE.product);
  } catch (error) {
    if ((error as { code?: string }).code !== "resource_missing") throw error;
    await stripe.products.create({ id: API_CALLS_PRICE.product, name: "Module API calls", metadata: { metered: "module_api_calls" } }, { idempotencyKey: `bob_product_${API_CALLS_PRICE.product}` });
  }
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

/** The usage job: each paying space's members and stored bytes this month, then the report to Stripe. */
export async function usageJob(deps: Pick<Deps, "db" | "now" | "stripe" | "log">): Promise<number> {
  const now = deps.now();
  const paying = await deps.db.select({ context: billingCustomers.context }).from(billingCustomers);
  for (const { context } of paying) {
    const ref = parseContext(context);
    if (!ref) continue;
    await noteLevel(deps.db, now, context, "seats", await seatCount(deps.db, ref));
    await noteLevel(deps.db, now, context, "storage_bytes", await storedBytes(deps.db, { type: ref.kind, id: ref.id }));
  }
  return reportUsage(deps);
}

async function seatCount(db: Db, ref: SpaceRef): Promise<number> {
  if (ref.kind === "business") return (await businessCounts({ db }, ref.id)).members;
  if (ref.kind === "household") return householdMemberCount({ db }, ref.id);
  return 1;
}
