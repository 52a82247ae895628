// The one way to Stripe: the real `stripe` SDK over fetch (its Bun and Workers build), sent to STRIPE_API_URL when
// set (the tests' fake, `npm run dev:billing`), else to Stripe itself. No STRIPE_SECRET_KEY: no billing (null).
import Stripe from "stripe";
import type { Config } from "../../config";

export function stripeClient(config: Pick<Config, "STRIPE_SECRET_KEY" | "STRIPE_API_URL">): Stripe | null {
  if (!config.STRIPE_SECRET_KEY) return null;
  const url = config.STRIPE_API_URL ? new URL(config.STRIPE_API_URL) : null;
  return new Stripe(config.STRIPE_SECRET_KEY, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    ...(url ? { host: url.hostname, port: Number(url.port || (url.protocol === "https:" ? 443 : 80)), protocol: url.protocol === "https:" ? "https" : "http" } : {}),
  });
}

/** Stripe's answer for something it does not have. */
export const isMissing = (error: unknown) => typeof error === "object" && error !== null && (error as { code?: string }).code === "resource_missing";

/**
 * The product with our own id, made first if Stripe has none (the idempotency key names it, so two at once make one).
 * Null when it was just made.
 */
export async function findOrMakeProduct(stripe: Stripe, product: { id: string; name: string; metadata: Record<string, string> }): Promise<Stripe.Product | null> {
  try {
    return await stripe.products.retrieve(product.id);
  } catch (error) {
    if (!isMissing(error)) throw error;
    await stripe.products.create(product, { idempotencyKey: `bob_product_${product.id}` });
    return null;
  }
}
