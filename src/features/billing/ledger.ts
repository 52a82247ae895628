// The revenue ledger and the developers' payouts, driven by Stripe's events: a paid invoice writes its sale entries
// (ledger-rules.ts) and one transfer due per developer; a refund or a dispute writes the entries that move the money
// back (or, a dispute won, forth again) and a transfer reversal (or transfer) of the developer's part. What Stripe
// moved is read from Stripe (the invoice's payment → its charge → the balance transaction's fee; the charge's
// refunds; the dispute's balance transactions) before the transaction; the entries are written in the event's
// transaction, each once (its entry key); transfers and reversals are then made with an idempotency key per source
// and developer — once, however often the event comes or however many instances handle it.
import type Stripe from "stripe";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { moduleDevelopersOf } from "../modules";
import { movementEntries, owedByDeveloper, saleEntries, type LedgerEntryPlan, type LedgerLine, type Movement } from "./ledger-rules";
import { billingConnectAccounts, billingLedger, billingTransferReversals, billingTransfers, type SubscriptionItem } from "./schema";

export interface LedgerWork {
  invoiceId: string;
  chargeId: string;
  context: string;
  currency: string;
  /** Sale entries of a paid invoice, or the movements on its charge since (their entries computed in the transaction). */
  sale?: LedgerEntryPlan[];
  movements?: Movement[];
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

/** The sale a charge paid for, if we have it. */
async function soldBy(db: Deps["db"], chargeId: string) {
  const [sold] = await db.select().from(billingLedger).where(and(eq(billingLedger.chargeId, chargeId), eq(billingLedger.kind, "sale"))).limit(1);
  return sold ?? null;
}

/** A refunded charge's ledger work: every refund of it (the ones already written are skipped in the transaction). */
export async function refundWork(db: Deps["db"], stripe: Stripe, chargeId: string): Promise<LedgerWork | null> {
  const sold = await soldBy(db, chargeId);
  if (!sold) return null;
  const charge = await stripe.charges.retrieve(chargeId, { expand: ["refunds"] });
  const movements = (charge.refunds?.data ?? [])
    .filter((r) => r.status === "succeeded")
    .reverse()
    .map((r): Movement => ({ id: r.id, kind: "refund", amount: -r.amount, fee: 0 }));
  return { invoiceId: sold.invoiceId, chargeId, context: sold.context, currency: sold.currency, movements };
}

/** A dispute's ledger work: each of its balance transactions (funds withdrawn with the dispute fee, or reinstated). */
export async function disputeWork(db: Deps["db"], stripe: Stripe, disputeId: string): Promise<LedgerWork | null> {
  const dispute = await stripe.disputes.retrieve(disputeId);
  const chargeId = idOf(dispute.charge as string | Stripe.Charge);
  const sold = chargeId ? await soldBy(db, chargeId) : null;
  if (!sold || !chargeId) return null;
  const movements = (dispute.balance_transactions ?? []).map((bt): Movement => ({ id: bt.id, kind: "dispute", amount: bt.amount, fee: bt.fee }));
  return { invoiceId: sold.invoiceId, chargeId, context: sold.context, currency: sold.currency, movements };
}

/** Writes the work's entries (each once) and what it means for developers' payouts; true when something became due. */
export async function writeLedger(tx: Tx, now: number, work: LedgerWork): Promise<boolean> {
  const base = { invoiceId: work.invoiceId, chargeId: work.chargeId, context: work.context, currency: work.currency, createdAt: now };
  const claim = { invoiceId: work.invoiceId, currency: work.currency, state: "due", lastError: null, createdAt: now, updatedAt: now };
  let due = false;
  if (work.sale) {
    for (const entry of work.sale) await tx.insert(billingLedger).values({ id: newId(), ...base, ...entry }).onConflictDoNothing();
    for (const [developerId, amount] of owedByDeveloper(work.sale)) {
      if (amount <= 0) continue;
      const claimed = await tx.insert(billingTransfers).values({ id: newId(), ...claim, sourceId: work.invoiceId, developerId, chargeId: work.chargeId, amount, stripeTransferId: null }).onConflictDoNothing().returning({ id: billingTransfers.id });
      due ||= claimed.length > 0;
    }
    return due;
  }
  const rows = await tx.select().from(billingLedger).where(eq(billingLedger.chargeId, work.chargeId)).orderBy(asc(billingLedger.createdAt), asc(billingLedger.id));
  const sale = rows.filter((r) => r.kind === "sale");
  const earlier: LedgerEntryPlan[] = rows.filter((r) => r.kind !== "sale") as LedgerEntryPlan[];
  for (const movement of work.movements ?? []) {
    if (earlier.some((r) => r.entryKey.startsWith(`${movement.kind}:${movement.id}:`))) continue;
    const entries = movementEntries(movement, sale, earlier);
    for (const entry of entries) await tx.insert(billingLedger).values({ id: newId(), ...base, ...entry }).onConflictDoNothing();
    earlier.push(...entries);
    // The developer's part moves with the money: taken back by a transfer reversal, or given again by a transfer.
    for (const [developerId, change] of owedByDeveloper(entries)) {
      if (change < 0) await tx.insert(billingTransferReversals).values({ id: newId(), ...claim, sourceId: movement.id, developerId, amount: -change, stripeReversalId: null }).onConflictDoNothing();
      if (change > 0) await tx.insert(billingTransfers).values({ id: newId(), ...claim, sourceId: movement.id, developerId, chargeId: work.chargeId, amount: change, stripeTransferId: null }).onConflictDoNothing();
      due ||= change !== 0;
    }
  }
  return due;
}

/**
 * Makes the transfers (and then the reversals) that are due to developers whose Stripe account can be paid. The
 * idempotency key names the source (the invoice) and the developer: two instances sending the same one at once get
 * the same transfer from Stripe.
 */
export async function payDueTransfers(deps: Pick<Deps, "db" | "now" | "stripe" | "log">, developerIds?: string[]): Promise<number> {
  if (!deps.stripe) return 0;
  const due = await deps.db
    .select({ transfer: billingTransfers, account: billingConnectAccounts })
    .from(billingTransfers)
    .innerJoin(billingConnectAccounts, and(eq(billingConnectAccounts.developerId, billingTransfers.developerId), eq(billingConnectAccounts.payoutsEnabled, true)))
    .where(and(eq(billingTransfers.state, "due"), developerIds ? inArray(billingTransfers.developerId, developerIds) : undefined))
    .limit(100);
  let paid = 0;
  for (const { transfer, account } of due) {
    const made = await settle(deps, `transfer ${transfer.id}`, () =>
      deps.stripe!.transfers.create(
        { amount: transfer.amount, currency: transfer.currency, destination: account.stripeAccountId, source_transaction: transfer.chargeId, transfer_group: transfer.invoiceId, metadata: { invoice: transfer.invoiceId, developer: transfer.developerId } },
        { idempotencyKey: `bob_transfer_${transfer.sourceId}_${transfer.developerId}` },
      ),
      (tx, outcome) => tx.update(billingTransfers).set({ ...(outcome.made ? { state: "paid", stripeTransferId: outcome.made } : {}), lastError: outcome.error, updatedAt: deps.now() }).where(eq(billingTransfers.id, transfer.id)),
    );
    if (made) paid++;
  }
  return paid + (await payDueReversals(deps, developerIds));
}

/** Takes back what refunds and disputes took from developers, once the invoice's transfer to them was made. */
async function payDueReversals(deps: Pick<Deps, "db" | "now" | "stripe" | "log">, developerIds?: string[]): Promise<number> {
  const due = await deps.db
    .select({ reversal: billingTransferReversals, transferId: billingTransfers.stripeTransferId })
    .from(billingTransferReversals)
    .innerJoin(billingTransfers, and(eq(billingTransfers.sourceId, billingTransferReversals.invoiceId), eq(billingTransfers.developerId, billingTransferReversals.developerId), eq(billingTransfers.state, "paid")))
    .where(and(eq(billingTransferReversals.state, "due"), developerIds ? inArray(billingTransferReversals.developerId, developerIds) : undefined))
    .limit(100);
  let done = 0;
  for (const { reversal, transferId } of due) {
    const made = await settle(deps, `transfer reversal ${reversal.id}`, () =>
      deps.stripe!.transfers.createReversal(transferId!, { amount: reversal.amount, metadata: { source: reversal.sourceId, developer: reversal.developerId } }, { idempotencyKey: `bob_reversal_${reversal.sourceId}_${reversal.developerId}` }),
      (tx, outcome) => tx.update(billingTransferReversals).set({ ...(outcome.made ? { state: "paid", stripeReversalId: outcome.made } : {}), lastError: outcome.error, updatedAt: deps.now() }).where(eq(billingTransferReversals.id, reversal.id)),
    );
    if (made) done++;
  }
  return done;
}

/** One call to Stripe for a due row: the row records what Stripe made, or keeps the error for the next try. */
async function settle(deps: Pick<Deps, "db" | "log">, what: string, send: () => Promise<{ id: string }>, record: (tx: Tx, outcome: { made: string | null; error: string | null }) => Promise<unknown>): Promise<boolean> {
  let outcome: { made: string | null; error: string | null };
  try {
    outcome = { made: (await send()).id, error: null };
  } catch (error) {
    deps.log({ level: "warn", msg: `${what} not made`, error: String(error) });
    outcome = { made: null, error: String((error as Error).message ?? error).slice(0, 300) };
  }
  await writeTransaction(deps.db, (tx) => record(tx, outcome));
  return outcome.made !== null;
}
