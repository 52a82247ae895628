// Billing's mirror of Stripe: each paying space's customer, its subscriptions as Stripe last said they are (re-read
// on every event, so events that arrive twice or out of order converge), and every event handled, by its id (a
// replay changes nothing).
import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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
