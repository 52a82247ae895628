// A space's invoices, mirrored from Stripe on every invoice event (re-read, so the row is Stripe's state now) and
// listed on its billing page and under GET /api/billing/invoices?contextId=.
import type Stripe from "stripe";
import { desc, eq } from "drizzle-orm";
import type { Db } from "../../db/types";
import { billingInvoices, type BillingInvoiceRow } from "./schema";

export function invoiceRow(invoice: Stripe.Invoice, context: string, subscriptionId: string, now: number): BillingInvoiceRow {
  const tax = (invoice.total_taxes ?? []).reduce((sum, t) => sum + t.amount, 0);
  return {
    id: invoice.id!,
    context,
    subscriptionId,
    number: invoice.number,
    currency: invoice.currency,
    subtotal: invoice.subtotal,
    tax,
    total: invoice.total,
    amountPaid: invoice.amount_paid,
    amountDue: invoice.amount_due,
    status: invoice.status ?? "draft",
    hostedUrl: invoice.hosted_invoice_url ?? null,
    pdfUrl: invoice.invoice_pdf ?? null,
    periodStart: invoice.period_start ? invoice.period_start * 1000 : null,
    periodEnd: invoice.period_end ? invoice.period_end * 1000 : null,
    createdAt: invoice.created * 1000,
    updatedAt: now,
  };
}

export async function invoicesOf(db: Db, context: string, limit = 100): Promise<BillingInvoiceRow[]> {
  return db.select().from(billingInvoices).where(eq(billingInvoices.context, context)).orderBy(desc(billingInvoices.createdAt), desc(billingInvoices.id)).limit(limit);
}

export function invoiceJson(row: BillingInvoiceRow) {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    currency: row.currency,
    subtotal: row.subtotal,
    tax: row.tax,
    total: row.total,
    amountPaid: row.amountPaid,
    amountDue: row.amountDue,
    hostedUrl: row.hostedUrl,
    pdfUrl: row.pdfUrl,
    periodStart: row.periodStart === null ? null : new Date(row.periodStart).toISOString(),
    periodEnd: row.periodEnd === null ? null : new Date(row.periodEnd).toISOString(),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
