// The billing feature's service API (issue 15, under way): the plans, the Stripe client and the catalog sync.
export { freePlan, PLANS, planProblems, priceLookupKey, productId, type Plan, type PlanLimits, type SpaceKind } from "./plans";
export { stripeClient } from "./stripe-client";
export { syncCatalog, type SyncReport } from "./sync";
export { billingEntitlements } from "./entitlements";
export { BILLING_CHANGED, receiveWebhook } from "./webhook";
