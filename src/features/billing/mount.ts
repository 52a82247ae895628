import { billingApi } from "./api";

/** Billing's routes: the Stripe webhook (pages and checkout come with the next parts of issue 15). */
export const billingRoutes = billingApi;
