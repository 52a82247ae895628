import { BILLING_LIVE_EVENT } from "../../../views/billing/BillingPage";
import type { PageRenderer } from "../realtime";
import { BILLING_CHANGED } from "./webhook";

export const billingPageEvents: Record<string, PageRenderer> = {
  /** Stripe said something changed for this space: its billing page and a checkout's return page re-fetch themselves. */
  [BILLING_CHANGED]: () => [{ event: BILLING_LIVE_EVENT, data: "" }],
};
