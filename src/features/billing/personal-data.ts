// Billing's personal data: a personal space's Stripe customer, subscriptions, invoices and usage (a business's or
// household's belong to the space, not to a person), and a module developer's Connect account, earnings and
// transfers. Erasure removes the personal space's mirror and the Connect account row (Stripe keeps its own records,
// as the law asks of it); the ledger and the transfers are financial records that must still sum to what Stripe
// collected, so they stay with the developer's id taken out.
import { eq } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { invoiceJson } from "./invoices";
import { billingConnectAccounts, billingCustomers, billingInvoices, billingLedger, billingSubscriptions, billingTransferReversals, billingTransfers, billingUsage } from "./schema";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const billingPersonalData: PersonalDataSource = {
  feature: "billing",
  tables: [
    { table: billingCustomers, columns: ["context"], erasure: "delete", note: "the personal space's Stripe customer id (a business's or household's stays with it)" },
    { table: billingSubscriptions, columns: ["context"], erasure: "delete", note: "the personal space's subscriptions as Stripe last said" },
    { table: billingInvoices, columns: ["context"], erasure: "delete", note: "the personal space's invoices as mirrored from Stripe (Stripe keeps the legal record)" },
    { table: billingUsage, columns: ["context"], erasure: "delete", note: "the personal space's usage per month" },
    { table: billingConnectAccounts, columns: ["developer_id"], erasure: "delete", note: "the developer's Stripe Connect account id (Stripe keeps the account)" },
    { table: billingLedger, columns: ["developer_id"], erasure: "anonymize", note: "revenue entries are financial records: they stay, without the developer's id" },
    { table: billingTransfers, columns: ["developer_id"], erasure: "anonymize", note: "payouts made are financial records: they stay, the developer's id replaced by a tombstone" },
    { table: billingTransferReversals, columns: ["developer_id"], erasure: "anonymize", note: "payouts taken back are financial records: they stay, the developer's id replaced by a tombstone" },
  ],
  async exportFor(db, userId) {
    const context = `personal:${userId}`;
    const [customers, subscriptions, invoices, usage, account, earnings, transfers, reversals] = await Promise.all([
      db.select().from(billingCustomers).where(eq(billingCustomers.context, context)),
      db.select().from(billingSubscriptions).where(eq(billingSubscriptions.context, context)),
      db.select().from(billingInvoices).where(eq(billingInvoices.context, context)),
      db.select().from(billingUsage).where(eq(billingUsage.context, context)),
      db.select().from(billingConnectAccounts).where(eq(billingConnectAccounts.developerId, userId)),
      db.select().from(billingLedger).where(eq(billingLedger.developerId, userId)),
      db.select().from(billingTransfers).where(eq(billingTransfers.developerId, userId)),
      db.select().from(billingTransferReversals).where(eq(billingTransferReversals.developerId, userId)),
    ]);
    return {
      stripeCustomer: customers[0]?.stripeCustomerId ?? null,
      subscriptions: subscriptions.map((s) => ({ id: s.id, status: s.status, items: s.items, currentPeriodEnd: iso(s.currentPeriodEnd), cancelAtPeriodEnd: s.cancelAtPeriodEnd, pastDueSince: iso(s.pastDueSince) })),
      invoices: invoices.map(invoiceJson),
      usage: usage.map((u) => ({ period: u.period, metric: u.metric, quantity: u.quantity })),
      developer: {
        stripeConnectAccount: account[0]?.stripeAccountId ?? null,
        earnings: earnings.map((e) => ({ at: iso(e.createdAt), kind: e.kind, invoice: e.invoiceId, module: e.moduleId, currency: e.currency, net: e.net, yourShare: e.developerShare })),
        transfers: transfers.map((t) => ({ at: iso(t.createdAt), invoice: t.invoiceId, currency: t.currency, amount: t.amount, state: t.state, stripeTransfer: t.stripeTransferId })),
        takenBack: reversals.map((r) => ({ at: iso(r.createdAt), invoice: r.invoiceId, currency: r.currency, amount: r.amount, state: r.state, stripeReversal: r.stripeReversalId })),
      },
    };
  },
  async erase({ tx, userId, tombstone }) {
    const context = `personal:${userId}`;
    const results = await Promise.all([
      tx.delete(billingUsage).where(eq(billingUsage.context, context)),
      tx.delete(billingConnectAccounts).where(eq(billingConnectAccounts.developerId, userId)),
      tx.update(billingLedger).set({ developerId: null }).where(eq(billingLedger.developerId, userId)),
      tx.update(billingTransfers).set({ developerId: tombstone }).where(eq(billingTransfers.developerId, userId)),
      tx.update(billingTransferReversals).set({ developerId: tombstone }).where(eq(billingTransferReversals.developerId, userId)),
      tx.delete(billingInvoices).where(eq(billingInvoices.context, context)),
      tx.delete(billingSubscriptions).where(eq(billingSubscriptions.context, context)),
      tx.delete(billingCustomers).where(eq(billingCustomers.context, context)),
    ]);
    return results.reduce((sum, r) => sum + r.rowsAffected, 0);
  },
};
