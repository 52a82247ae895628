// Billing's answer to `deps.entitlements`: a space holds a paid module while one of its subscriptions with that
// module's price is active, trialing or past due (the grace period and its banners come with invoices).
import { eq } from "drizzle-orm";
import type { Db } from "../../db/types";
import type { Entitlements } from "../../deps";
import { billingSubscriptions } from "./schema";

const HOLDING = new Set(["active", "trialing", "past_due"]);

export function billingEntitlements(db: Db): Entitlements {
  return {
    async has(context, feature) {
      const moduleId = feature.startsWith("module:") ? feature.slice("module:".length) : null;
      if (!moduleId) return false;
      const rows = await db.select({ status: billingSubscriptions.status, items: billingSubscriptions.items }).from(billingSubscriptions).where(eq(billingSubscriptions.context, context));
      return rows.some((row) => HOLDING.has(row.status) && row.items.some((item) => item.moduleId === moduleId));
    },
  };
}
