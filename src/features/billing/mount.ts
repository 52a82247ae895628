import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { billingApi } from "./api";
import { payoutRoutes } from "./payout-routes";
import { billingJsonApi, billingPages } from "./routes";
export { billingPageEvents } from "./page-events";

/** Billing's routes: the Stripe webhook, the JSON API, and each space's billing pages. */
export function billingRoutes() {
  return new Hono<AppEnv>().route("/", billingApi()).route("/", billingJsonApi()).route("/", billingPages()).route("/", payoutRoutes());
}
