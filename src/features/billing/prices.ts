// The Stripe price of what a space subscribes to. A plan's price is made by `npm run billing:sync` (sync.ts); a paid
// module's is made the first time someone subscribes to that pricing, found again by a lookup key that names the
// module and its pricing — so a version with a new price gets a new Stripe price, and the same pricing never two.
import type Stripe from "stripe";
import { AppError } from "../../lib/errors";
import { API_CALLS_PRICE, priceLookupKey, type Plan } from "./plans";
import { findOrMakeProduct } from "./stripe-client";

export interface ModuleOffer {
  moduleId: string;
  name: string;
  model: "per_seat" | "per_context";
  monthlyAmount: number;
  currency: string;
}

export const moduleProductId = (moduleId: string) => `bob_module_${moduleId}`;
export const modulePriceKey = (offer: ModuleOffer) => `bob_module_${offer.moduleId}_${offer.model}_${offer.monthlyAmount}_${offer.currency}_monthly`;

async function byLookupKey(stripe: Stripe, key: string): Promise<Stripe.Price | null> {
  const { data } = await stripe.prices.list({ lookup_keys: [key], active: true, limit: 1 });
  return data[0] ?? null;
}

export async function planPrice(stripe: Stripe, plan: Plan): Promise<Stripe.Price> {
  const price = await byLookupKey(stripe, priceLookupKey(plan));
  if (!price) throw new AppError(503, "catalog_not_synced", `The ${plan.name} plan is not in Stripe yet: an operator runs npm run billing:sync.`);
  return price;
}

/** The metered price of module API calls that a plan's subscription carries (sync.ts makes it). */
export async function apiCallsPrice(stripe: Stripe): Promise<Stripe.Price> {
  const price = await byLookupKey(stripe, API_CALLS_PRICE.lookupKey);
  if (!price) throw new AppError(503, "catalog_not_synced", "The metered price of module API calls is not in Stripe yet: an operator runs npm run billing:sync.");
  return price;
}

export async function modulePrice(stripe: Stripe, offer: ModuleOffer): Promise<Stripe.Price> {
  const key = modulePriceKey(offer);
  const found = await byLookupKey(stripe, key);
  if (found) return found;
  const product = moduleProductId(offer.moduleId);
  await findOrMakeProduct(stripe, { id: product, name: offer.name, metadata: { module: offer.moduleId } });
  return stripe.prices.create(
    { product, currency: offer.currency, unit_amount: offer.monthlyAmount, recurring: { interval: "month" }, lookup_key: key, metadata: { module: offer.moduleId, model: offer.model } },
    { idempotencyKey: `bob_price_${key}` },
  );
}
