// Billing's answer to `deps.entitlements`: a space holds a paid module while one of its subscriptions with that
// module's price holds (active, trialing, or past due within the grace period: billing-rules.ts), and has the
// limits of the plan it is on (its free plan without a subscription that holds); usage is counted (usage.ts).
import { eq } from "drizzle-orm";
import type { Db } from "../../db/types";
import type { Entitlements } from "../../deps";
import { holds, planOf } from "./billing-rules";
import { billingSubscriptions } from "./schema";
import { parseContext } from "./spaces";
import { countUsage } from "./usage";

/** A space's subscriptions as Stripe last said they are. */
export const subscriptionsOf = (db: Db, context: string) => db.select().from(billingSubscriptions).where(eq(billingSubscriptions.context, context));

export function billingEntitlements(db: Db, now: () => number): Entitlements {
  return {
    async has(context, feature) {
      const moduleId = feature.startsWith("module:") ? feature.slice("module:".length) : null;
      if (!moduleId) return false;
      const at = now();
      return (await subscriptionsOf(db, context)).some((row) => holds(row, at) && row.items.some((item) => item.moduleId === moduleId));
    },
    async limits(context) {
      const ref = parseContext(context);
      if (!ref) throw new Error(`not a space: ${context}`);
      const { plan } = planOf(ref.kind, await subscriptionsOf(db, context), now());
      return { plan: { id: plan.id, name: plan.name }, ...plan.limits };
    },
    count: (context, metric, quantity = 1) => countUsage(db, now(), context, metric, quantity),
  };
}
