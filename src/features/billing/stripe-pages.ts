// What the pages that lead to Stripe's hosted pages (Checkout, the Customer Portal, Connect onboarding) share.
import type { Config } from "../../config";
import type { AppContext } from "../../http/types";

/** Where Stripe's hosted pages are: a form posts to us and is sent on there, so the page's CSP form-action allows them. */
export function stripeHostedOrigins(config: Pick<Config, "STRIPE_API_URL">): string[] {
  return config.STRIPE_API_URL ? [new URL(config.STRIPE_API_URL).origin] : ["https://checkout.stripe.com", "https://billing.stripe.com", "https://connect.stripe.com"];
}

/** Our address as people reach it: PUBLIC_URL (required in production), else this request's origin. */
export const publicOrigin = (c: AppContext) => (c.var.deps.config.PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/+$/, "");

/** Sends the browser to Stripe's page (htmx: HX-Redirect, which no CSP form-action stops; a plain form: 303). */
export function toStripe(c: AppContext, url: string) {
  if (c.req.header("hx-request") === "true") {
    c.header("HX-Redirect", url);
    return c.body(null, 204);
  }
  return c.redirect(url, 303);
}
