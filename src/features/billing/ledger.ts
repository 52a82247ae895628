// The revenue ledger and the developers' payouts, driven by Stripe's events: a paid invoice writes its sale entries
// (ledger-rules.ts) and one transfer due per developer; a refunded charge writes the reversing entries. What Stripe
// collected is read from Stripe (the invoice's payment → its charge → the balance transaction's fee) before the
// transaction; the entries are written in the event's transaction, each once (its entry key); transfers are then
// made with an idempotency key per invoice and developer — once, however often the event comes or however many
// instances handle it.
import type Stripe from "stripe";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { moduleDevelopersOf } from "../modules";
import { owedByDeveloper, refundEntries, saleEntries, type LedgerEntryPlan, type LedgerLine } from "./ledger-rules";
import { billingConnectAccounts, billingLedger, billingTransfers, type SubscriptionItem } from "./schema";

export interface LedgerWork {
  invoiceId: string;
  chargeId: string;
  context: string;
  currency: string;
  /** Sale entries of a paid invoice, or a refunded charge's new reversing entries (computed in the transaction). */
  sale?: LedgerEntryPlan[];
  refunds?: { id: string; amount: number }[];
}

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : (value?.id ?? null));

/** The charge that paid an invoice: through its payment (a charge, or a payment intent's latest charge). */
async function chargeOf(stripe: Stripe, invoiceId: string): Promise<Stripe.Charge | null> {
  const { data } = await stripe.invoicePayments.list({ invoice: invoiceId, limit: 10 });
  const paid = data.find((p) => p.status === "paid");
  if (!paid) return null;
  let chargeId = idOf(paid.payment.charge as string | Stripe.Charge | undefined);
  if (!chargeId && paid.payment.payment_intent) {
    const intent = await stripe.paymentIntents.retrieve(idOf(paid.payment.payment_intent as string | Stripe.PaymentIntent)!);
    chargeId = idOf(intent.latest_charge as string | Stripe.Charge | null);
  }
  return chargeId ? stripe.charges.retrieve(chargeId, { expand: ["balance_transaction", "refunds"] }) : null;
}

const feeOf = (charge: Stripe.Charge) => (typeof charge.balance_transaction === "object" && charge.balance_transaction ? charge.balance_transaction.fee : 0);

/** A paid invoice's ledger work: its lines, which module (and developer) each is for, what was collected. */
export async function saleWork(db: Deps["db"], stripe: Stripe, invoice: Stripe.Invoice, context: string, items: SubscriptionItem[]): Promise<LedgerWork | null> {
  if (invoice.status !== "paid" || invoice.amount_paid <= 0) return null;
  const charge = await chargeOf(stripe, invoice.id!);
  if (!charge) return null;
  const moduleOfPrice = new Map(items.map((i) => [i.priceId, i.moduleId]));
  const priceOf = (line: Stripe.InvoiceLineItem) => idOf(line.pricing?.price_details?.price as string | Stripe.Price | undefined);
  const developers = await moduleDevelopersOf(db, [...new Set(items.map((i) => i.moduleId).filter((m): m is string => m !== null))]);
  const lines: LedgerLine[] = invoice.lines.data.map((line) => {
    const moduleId = moduleOfPrice.get(priceOf(line) ?? "") ?? null;
    return { id: line.id, amount: line.amount, moduleId, developerId: moduleId ? (developers.get(moduleId) ?? null) : null };
  });
  return { invoiceId: invoice.id!, chargeId: charge.id, context, currency: invoice.currency, sale: saleEntries({ id: invoice.id!, amountPaid: invoice.amount_paid, fee: feeOf(charge), lines }) };
}

/** A refunded charge's ledger work, if we have its sale. */
export async function refundWork(db: Deps["db"], stripe: Stripe, chargeId: string): Promise<LedgerWork | null> {
  const [sold] = await db.select().from(billingLedger).where(and(eq(billingLedger.chargeId, chargeId), eq(billingLedger.kind, "sale"))).limit(1);
  if (!sold) return null;
  const charge = await stripe.charges.retrieve(chargeId, { expand: ["refunds"] });
  const refunds = (charge.refunds?.data ?? []).filter((r) => r.status === "succeeded").map((r) => ({ id: r.id, amount: r.amount }));
  return { invoiceId: sold.invoiceId, chargeId, context: sold.context, currency: sold.currency, refunds: refunds.reverse() };
}

/** Writes the work's entries (each once) and the transfers due for a sale; true when a transfer became due. */
export async function writeLedger(tx: Tx, now: number, work: LedgerWork): Promise<boolean> {
  const base = { invoiceId: work.invoiceId, chargeId: work.chargeId, context: work.context, currency: work.currency, createdAt: now };
  let entries: LedgerEntryPlan[] = work.sale ?? [];
  if (work.refunds) {
    const rows = await tx.select().from(billingLedger).where(eq(billingLedger.chargeId, work.chargeId)).orderBy(asc(billingLedger.createdAt), asc(billingLedger.id));
    const sale = rows.filter((r) => r.kind === "sale");
    const earlier = rows.filter((r) => r.kind === "refund");
    entries = [];
    for (const refund of work.refunds) {
      if (earlier.some((r) => r.entryKey.startsWith(`refund:${refund.id}:`))) continue;
      const reversal = refundEntries(refund, sale, [...earlier, ...entries]);
      entries.push(...reversal);
    }
  }
  for (const entry of entries) await tx.insert(billingLedger).values({ id: newId(), ...base, ...entry }).onConflictDoNothing();
  if (!work.sale) return false;
  let due = false;
  for (const [developerId, amount] of owedByDeveloper(work.sale)) {
    if (amount <= 0) continue;
    const claimed = await tx.insert(billingTransfers).values({ id: newId(), invoiceId: work.invoiceId, developerId, chargeId: work.chargeId, currency: work.currency, amount, state: "due", stripeTransferId: null, lastError: null, createdAt: now, updatedAt: now }).onConflictDoNothing().returning({ id: billingTransfers.id });
    due ||= claimed.length > 0;
  }
  return due;
}

/**
 * Makes the transfers that are due to developers whose Stripe account can be paid. The idempotency key names the
 * invoice and the developer: two instances sending the same one at once get the same transfer from Stripe.
 */
export async function payDueTransfers(deps: Pick<Deps, "db" | "now" | "stripe" | "log">, developerIds?: string[]): Promise<number> {
  const stripe = deps.stripe;
  if (!stripe) return 0;
  const due = await deps.db
    .select({ transfer: billingTransfers, account: billingConnectAccounts })
    .from(billingTransfers)
    .innerJoin(billingConnectAccounts, and(eq(billingConnectAccounts.developerId, billingTransfers.developerId), eq(billingConnectAccounts.payoutsEnabled, true)))
    .where(and(eq(billingTransfers.state, "due"), developerIds ? inArray(billingTransfers.developerId, developerIds) : undefined))
    .limit(100);
  let paid = 0;
  for (const { transfer, account } of due) {
    try {
      const made = await stripe.transfers.create(
        { amount: transfer.amount, currency: transfer.currency, destination: account.stripeAccountId, source_transaction: transfer.chargeId, transfer_group: transfer.invoiceId, metadata: { invoice: transfer.invoiceId, developer: transfer.developerId } },
        { idempotencyKey: `bob_transfer_${transfer.invoiceId}_${transfer.developerId}` },
      );
      await writeTransaction(deps.db, (tx) => tx.update(billingTransfers).set({ state: "paid", stripeTransferId: made.id, lastError: null, updatedAt: deps.now() }).where(eq(billingTransfers.id, transfer.id)));
      paid++;
    } catch (error) {
      deps.log({ level: "warn", msg: "transfer not made", transfer: transfer.id, error: String(error) });
      const lastError = String((error as Error).message ?? error).slice(0, 300);
      await writeTransaction(deps.db, (tx) => tx.update(billingTransfers).set({ lastError, updatedAt: deps.now() }).where(eq(billingTransfers.id, transfer.id)));
    }
  }
  return paid;
}
