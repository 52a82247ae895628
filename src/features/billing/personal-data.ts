// Billing's personal data: a personal space's Stripe customer and subscriptions (a business's or household's belong
// to the space, not to a person). Erasure removes the mirror here; the customer at Stripe is closed by the erasure of
// the Stripe side, which comes with the rest of billing (issue 15).
import { eq } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { invoiceJson } from "./invoices";
import { billingCustomers, billingInvoices, billingSubscriptions } from "./schema";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const billingPersonalData: PersonalDataSource = {
  feature: "billing",
  tables: [
    { table: billingCustomers, columns: ["context"], erasure: "delete", note: "the personal space's Stripe customer id (a business's or household's stays with it)" },
    { table: billingSubscriptions, columns: ["context"], erasure: "delete", note: "the personal space's subscriptions as Stripe last said" },
    { table: billingInvoices, columns: ["context"], erasure: "delete", note: "the personal space's invoices as mirrored from Stripe (Stripe keeps the legal record)" },
  ],
  async exportFor(db, userId) {
    const context = `personal:${userId}`;
    const [customers, subscriptions, invoices] = await Promise.all([
      db.select().from(billingCustomers).where(eq(billingCustomers.context, context)),
      db.select().from(billingSubscriptions).where(eq(billingSubscriptions.context, context)),
      db.select().from(billingInvoices).where(eq(billingInvoices.context, context)),
    ]);
    return {
      stripeCustomer: customers[0]?.stripeCustomerId ?? null,
      subscriptions: subscriptions.map((s) => ({ id: s.id, status: s.status, items: s.items, currentPeriodEnd: iso(s.currentPeriodEnd), cancelAtPeriodEnd: s.cancelAtPeriodEnd, pastDueSince: iso(s.pastDueSince) })),
      invoices: invoices.map(invoiceJson),
    };
  },
  async erase({ tx, userId }) {
    const context = `personal:${userId}`;
    const results = await Promise.all([
      tx.delete(billingInvoices).where(eq(billingInvoices.context, context)),
      tx.delete(billingSubscriptions).where(eq(billingSubscriptions.context, context)),
      tx.delete(billingCustomers).where(eq(billingCustomers.context, context)),
    ]);
    return results.reduce((sum, r) => sum + r.rowsAffected, 0);
  },
};
