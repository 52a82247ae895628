// Billing's mirror of Stripe: each paying space's customer, its subscriptions as Stripe last said they are (re-read
// on every event, so events that arrive twice or out of order converge), and every event handled, by its id (a
// replay changes nothing).
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const billingCustomers = sqliteTable(
  "billing_customers",
  {
    /** "business:<id>", "household:<id>" or "personal:<user id>". */
    context: text("context").notNull().primaryKey(),
    stripeCustomerId: text("stripe_customer_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("billing_customers_stripe_idx").on(t.stripeCustomerId)],
);

export interface SubscriptionItem {
  priceId: string;
  quantity: number;
  /** From the price's metadata: the platform plan it sells, or the marketplace module. */
  planId: string | null;
  moduleId: string | null;
}

export const billingSubscriptions = sqliteTable(
  "billing_subscriptions",
  {
    id: text("id").primaryKey(),
    context: text("context").notNull(),
    stripeCustomerId: text("stripe_customer_id").notNull(),
    status: text("status").notNull(),
    items: text("items", { mode: "json" }).$type<SubscriptionItem[]>().notNull(),
    currentPeriodEnd: integer("current_period_end"),
    cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull().default(false),
    /** When it became past due (ms): its grace period runs from here (billing-rules.ts). */
    pastDueSince: integer("past_due_since"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("billing_subscriptions_context_idx").on(t.context)],
);

export const billingEvents = sqliteTable(
  "billing_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    /** When Stripe made it (seconds) and when we handled it (ms). */
    stripeCreated: integer("stripe_created").notNull(),
    handledAt: integer("handled_at").notNull(),
    outcome: text("outcome").notNull(),
  },
  (t) => [index("billing_events_handled_idx").on(t.handledAt), check("billing_events_outcome_check", sql`${t.outcome} in ('applied', 'acknowledged')`)],
);

export type BillingSubscriptionRow = typeof billingSubscriptions.$inferSelect;

/** Stripe's invoices of each space, as Stripe last said they are (amounts in minor units of `currency`). */
export const billingInvoices = sqliteTable(
  "billing_invoices",
  {
    id: text("id").primaryKey(),
    context: text("context").notNull(),
    subscriptionId: text("subscription_id"),
    number: text("number"),
    currency: text("currency").notNull(),
    subtotal: integer("subtotal").notNull(),
    tax: integer("tax").notNull(),
    total: integer("total").notNull(),
    amountPaid: integer("amount_paid").notNull(),
    amountDue: integer("amount_due").notNull(),
    status: text("status").notNull(),
    hostedUrl: text("hosted_url"),
    pdfUrl: text("pdf_url"),
    periodStart: integer("period_start"),
    periodEnd: integer("period_end"),
    /** When Stripe made it (ms). */
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("billing_invoices_context_idx").on(t.context, t.createdAt)],
);

export type BillingInvoiceRow = typeof billingInvoices.$inferSelect;

/**
 * The revenue ledger, append-only: per invoice line, what Stripe collected for it (after its fee, in minor units of
 * the invoice's currency) and who it belongs to — 70% to the module's developer, 30% to the platform (a plan's line:
 * all to the platform). Refunds write reversing (negative) entries. `entryKey` makes each entry once.
 */
export const billingLedger = sqliteTable(
  "billing_ledger",
  {
    id: text("id").primaryKey(),
    /** "sale:<invoice>:<line>", "refund:<refund>:<line>" or "dispute:<balance transaction>:<line>": written once. */
    entryKey: text("entry_key").notNull(),
    kind: text("kind").notNull(),
    invoiceId: text("invoice_id").notNull(),
    chargeId: text("charge_id").notNull(),
    lineId: text("line_id").notNull(),
    context: text("context").notNull(),
    moduleId: text("module_id"),
    developerId: text("developer_id"),
    currency: text("currency").notNull(),
    /** The line's amount (a refund's share of it, negative). */
    gross: integer("gross").notNull(),
    fee: integer("fee").notNull(),
    net: integer("net").notNull(),
    developerShare: integer("developer_share").notNull(),
    platformShare: integer("platform_share").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("billing_ledger_entry_idx").on(t.entryKey),
    index("billing_ledger_developer_idx").on(t.developerId, t.createdAt),
    index("billing_ledger_charge_idx").on(t.chargeId),
    check("billing_ledger_kind_check", sql`${t.kind} in ('sale', 'refund', 'dispute')`),
    check("billing_ledger_sum_check", sql`${t.developerShare} + ${t.platformShare} = ${t.net}`),
  ],
);

export type BillingLedgerRow = typeof billingLedger.$inferSelect;

/**
 * Payouts to developers: one Stripe Transfer per source per developer — the source is the invoice for a sale, or the
 * balance transaction that gave back a disputed payment (the unique index is what makes it one).
 */
export const billingTransfers = sqliteTable(
  "billing_transfers",
  {
    id: text("id").primaryKey(),
    sourceId: text("source_id").notNull(),
    invoiceId: text("invoice_id").notNull(),
    developerId: text("developer_id").notNull(),
    chargeId: text("charge_id").notNull(),
    currency: text("currency").notNull(),
    amount: integer("amount").notNull(),
    /** due: waiting to be sent (or for the developer's Stripe account); paid: Stripe made it. */
    state: text("state").notNull(),
    stripeTransferId: text("stripe_transfer_id"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("billing_transfers_once_idx").on(t.sourceId, t.developerId), index("billing_transfers_developer_idx").on(t.developerId, t.createdAt), check("billing_transfers_state_check", sql`${t.state} in ('due', 'paid')`)],
);

export type BillingTransferRow = typeof billingTransfers.$inferSelect;

/**
 * Money taken back from developers: when a refund or a dispute takes back part of an invoice that was transferred,
 * a Stripe transfer reversal of the developer's part — one per refund (or dispute withdrawal) per developer, made
 * once the invoice's transfer has been made.
 */
export const billingTransferReversals = sqliteTable(
  "billing_transfer_reversals",
  {
    id: text("id").primaryKey(),
    sourceId: text("source_id").notNull(),
    invoiceId: text("invoice_id").notNull(),
    developerId: text("developer_id").notNull(),
    currency: text("currency").notNull(),
    amount: integer("amount").notNull(),
    state: text("state").notNull(),
    stripeReversalId: text("stripe_reversal_id"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("billing_reversals_once_idx").on(t.sourceId, t.developerId), index("billing_reversals_developer_idx").on(t.developerId, t.createdAt), check("billing_reversals_state_check", sql`${t.state} in ('due', 'paid')`)],
);

/** Module developers' Stripe Connect (Express) accounts. */
export const billingConnectAccounts = sqliteTable("billing_connect_accounts", {
  developerId: text("developer_id").primaryKey(),
  stripeAccountId: text("stripe_account_id").notNull(),
  payoutsEnabled: integer("payouts_enabled", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Usage per space, month (UTC, "2027-01") and metric: module runtimes' API calls (counted as they happen), members
 * and stored bytes (the most seen in the month, taken by the usage job). `reported` is how much of the quantity
 * Stripe has been told of as meter events.
 */
export const billingUsage = sqliteTable(
  "billing_usage",
  {
    context: text("context").notNull(),
    period: text("period").notNull(),
    metric: text("metric").notNull(),
    quantity: integer("quantity").notNull(),
    reported: integer("reported").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.context, t.period, t.metric] })],
);

export type BillingUsageRow = typeof billingUsage.$inferSelect;

/**
 * Open Checkout Sessions, one per space and slot ("plan", or "module:<id>"): a second checkout for the same thing
 * (another tab, another device, another owner) gets the same session, and one for another plan expires the first —
 * so a space cannot pay twice for a plan or a module.
 */
export const billingCheckouts = sqliteTable(
  "billing_checkouts",
  {
    sessionId: text("session_id").primaryKey(),
    context: text("context").notNull(),
    slot: text("slot").notNull(),
    item: text("item").notNull(),
    url: text("url").notNull(),
    expiresAt: integer("expires_at").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("billing_checkouts_slot_idx").on(t.context, t.slot)],
);
