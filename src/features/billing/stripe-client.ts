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
