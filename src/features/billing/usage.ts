// Usage per space and month: module runtimes' API calls are counted as they happen (deps.entitlements.count);
// members and stored bytes are taken by the usage job, the most seen in the month. The job then tells Stripe what
// it has not yet been told, as meter events — the event's identifier names the space, month, metric and running
// total, so a report sent twice (a retry, two instances) is counted once by Stripe.
import type Stripe from "stripe";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Deps, UsageMetric } from "../../deps";
import type { Db } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { storedBytes } from "../chat";
import { householdMemberCount } from "../households";
import { businessCounts } from "../workspace";
import { METERS } from "./plans";
import { billingCustomers, billingUsage } from "./schema";
import { parseContext, type SpaceRef } from "./spaces";

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
