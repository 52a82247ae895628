// Module developers' side of the money: their Stripe Connect (Express) account and its onboarding, what the ledger
// says they earned, what was transferred, and the platform's revenue per month for the admin portal.
import type Stripe from "stripe";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import { AppError } from "../../lib/errors";
import { isDeveloper } from "../modules";
import { requireStripe } from "./checkout";
import { payDueTransfers } from "./ledger";
import { billingConnectAccounts, billingLedger, billingTransferReversals, billingTransfers } from "./schema";

export async function requireDeveloper(db: Deps["db"], userId: string): Promise<void> {
  if (!(await isDeveloper(db, userId))) throw new AppError(403, "not_a_developer", "Become a developer first, on the developer portal.");
}

export async function connectAccountOf(db: Deps["db"], developerId: string) {
  const [row] = await db.select().from(billingConnectAccounts).where(eq(billingConnectAccounts.developerId, developerId));
  return row ?? null;
}

/** The developer's Express account (made once: the idempotency key names the developer) and a fresh onboarding link. */
export async function onboardingUrl(deps: Pick<Deps, "db" | "now" | "stripe">, developerId: string, origin: string): Promise<string> {
  await requireDeveloper(deps.db, developerId);
  const stripe = requireStripe(deps);
  let account = await connectAccountOf(deps.db, developerId);
  if (!account) {
    const made = await stripe.accounts.create({ type: "express", metadata: { developer: developerId } }, { idempotencyKey: `bob_connect_${developerId}` });
    const now = deps.now();
    await writeTransaction(deps.db, (tx) => tx.insert(billingConnectAccounts).values({ developerId, stripeAccountId: made.id, payoutsEnabled: made.payouts_enabled ?? false, createdAt: now, updatedAt: now }).onConflictDoNothing());
    account = await connectAccountOf(deps.db, developerId);
  }
  const link = await stripe.accountLinks.create({ account: account!.stripeAccountId, refresh_url: `${origin}/developers/payouts`, return_url: `${origin}/developers/payouts/return`, type: "account_onboarding" });
  return link.url;
}

/** Back from onboarding: Stripe's word on the account, and the transfers that were waiting for it. */
export async function refreshAccount(deps: Pick<Deps, "db" | "now" | "stripe" | "log">, developerId: string): Promise<boolean> {
  const stripe = requireStripe(deps);
  const account = await connectAccountOf(deps.db, developerId);
  if (!account) return false;
  const live: Stripe.Account = await stripe.accounts.retrieve(account.stripeAccountId);
  const enabled = live.payouts_enabled === true;
  await writeTransaction(deps.db, (tx) => tx.update(billingConnectAccounts).set({ payoutsEnabled: enabled, updatedAt: deps.now() }).where(eq(billingConnectAccounts.developerId, developerId)));
  if (enabled) await payDueTransfers(deps, [developerId]);
  return enabled;
}

export interface Earnings {
  currency: string;
  earned: number;
  transferred: number;
  pending: number;
}

/** Per currency: what the ledger gives the developer (sales less refunds and disputes), what was transferred (less
 * reversals), what is pending. */
export async function earningsOf(db: Deps["db"], developerId: string): Promise<Earnings[]> {
  const [earned, transferred, reversed] = await Promise.all([
    db.select({ currency: billingLedger.currency, total: sql<number>`sum(${billingLedger.developerShare})` }).from(billingLedger).where(eq(billingLedger.developerId, developerId)).groupBy(billingLedger.currency),
    db.select({ currency: billingTransfers.currency, total: sql<number>`sum(${billingTransfers.amount})` }).from(billingTransfers).where(and(eq(billingTransfers.developerId, developerId), eq(billingTransfers.state, "paid"))).groupBy(billingTransfers.currency),
    db.select({ currency: billingTransferReversals.currency, total: sql<number>`sum(${billingTransferReversals.amount})` }).from(billingTransferReversals).where(and(eq(billingTransferReversals.developerId, developerId), eq(billingTransferReversals.state, "paid"))).groupBy(billingTransferReversals.currency),
  ]);
  return earned.map((e) => {
    // Transferred: what reached the developer's account, less what refunds and disputes took back.
    const paid = (transferred.find((t) => t.currency === e.currency)?.total ?? 0) - (reversed.find((r) => r.currency === e.currency)?.total ?? 0);
    return { currency: e.currency, earned: e.total, transferred: paid, pending: e.total - paid };
  });
}

export const transfersOf = (db: Deps["db"], developerId: string) => db.select().from(billingTransfers).where(eq(billingTransfers.developerId, developerId)).orderBy(desc(billingTransfers.createdAt)).limit(200);
export const ledgerOf = (db: Deps["db"], developerId: string) => db.select().from(billingLedger).where(eq(billingLedger.developerId, developerId)).orderBy(desc(billingLedger.createdAt), desc(billingLedger.id));

/** A CSV field: quoted when it must be, and never read as a formula by a spreadsheet. */
export function csvField(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The platform's share per month (UTC) and currency, oldest first. */
export async function platformRevenueByMonth(db: Deps["db"]): Promise<{ month: string; currency: string; amount: number }[]> {
  const month = sql<string>`strftime('%Y-%m', ${billingLedger.createdAt} / 1000, 'unixepoch')`;
  return db.select({ month, currency: billingLedger.currency, amount: sql<number>`sum(${billingLedger.platformShare})` }).from(billingLedger).groupBy(month, billingLedger.currency).orderBy(month);
}
