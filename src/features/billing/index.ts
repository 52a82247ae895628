// The billing feature's service API: the plans, the Stripe client, the catalog sync, entitlements, the webhook and the
// transfers job. Its pages are in mount.ts.
export { freePlan, PLANS, planProblems, priceLookupKey, productId, type Plan, type PlanLimits, type SpaceKind } from "./plans";
export { stripeClient } from "./stripe-client";
export { syncCatalog, type SyncReport } from "./sync";
export { billingEntitlements } from "./entitlements";
export { BILLING_CHANGED, receiveWebhook } from "./webhook";
export { payDueTransfers } from "./ledger";
export { usageJob } from "./usage";
