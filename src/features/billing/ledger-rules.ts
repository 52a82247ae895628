// The revenue share, as pure functions over integer minor units. What Stripe collected for an invoice (amount paid
// less its fee) is spread over the invoice's lines in proportion to their amounts (largest remainder: the parts sum
// to the whole exactly); a module's line is then split 70/30 — the developer gets 70% rounded *down* to the unit,
// the platform the rest, so a remainder cent is always the platform's; a plan's line is all the platform's.
// A refund is spread over the same lines the same way; what is left of a line is split by the same rule.

export const DEVELOPER_PERCENT = 70;

/**
 * `total` spread over `weights` (any signs; their sum must be positive): each part is its exact share rounded down,
 * and the units left go one each to the parts with the largest fractions (earlier first on a tie).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum <= 0) throw new Error("weights must sum to more than zero");
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, fraction: e - Math.floor(e) })).sort((a, b) => b.fraction - a.fraction || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k]!.i]! += 1;
  return parts;
}

/** A module line's net split: developer ⌊70%⌋, platform the rest. A negative net (a reversal) mirrors it exactly. */
export function split(net: number, isModule: boolean): { developer: number; platform: number } {
  if (!isModule) return { developer: 0, platform: net || 0 };
  const developer = Math.sign(net) * Math.floor((Math.abs(net) * DEVELOPER_PERCENT) / 100);
  // `|| 0`: no negative zeros in the ledger.
  return { developer: developer || 0, platform: net - developer || 0 };
}

export interface LedgerLine {
  id: string;
  amount: number;
  moduleId: string | null;
  developerId: string | null;
}

export interface LedgerEntryPlan {
  entryKey: string;
  kind: "sale" | "refund";
  lineId: string;
  moduleId: string | null;
  developerId: string | null;
  gross: number;
  fee: number;
  net: number;
  developerShare: number;
  platformShare: number;
}

/** The entries of a paid invoice: its collected amount (paid − fee) over its lines, each split. None if nothing was paid. */
export function saleEntries(invoice: { id: string; amountPaid: number; fee: number; lines: readonly LedgerLine[] }): LedgerEntryPlan[] {
  const weights = invoice.lines.map((l) => l.amount);
  if (invoice.amountPaid <= 0 || weights.reduce((a, b) => a + b, 0) <= 0) return [];
  const gross = allocate(invoice.amountPaid, weights);
  const fees = allocate(invoice.fee, weights);
  return invoice.lines.map((line, i) => {
    const net = gross[i]! - fees[i]!;
    const { developer, platform } = split(net, line.moduleId !== null && line.developerId !== null);
    return { entryKey: `sale:${invoice.id}:${line.id}`, kind: "sale", lineId: line.id, moduleId: line.moduleId, developerId: line.developerId, gross: gross[i]!, fee: fees[i]!, net, developerShare: developer, platformShare: platform };
  });
}

/**
 * A refund's reversing entries, spread over the sale's lines as the sale was (Stripe keeps its fee: none comes back).
 * A line's developer share after any refunds is always ⌊70%⌋ of what is left of the line — the reversal takes the
 * difference — so across a sale and its refunds the remainder cent stays the platform's.
 */
export function refundEntries(
  refund: { id: string; amount: number },
  sale: readonly Pick<LedgerEntryPlan, "lineId" | "moduleId" | "developerId" | "gross" | "net">[],
  earlier: readonly Pick<LedgerEntryPlan, "lineId" | "net">[] = [],
): LedgerEntryPlan[] {
  if (refund.amount <= 0 || sale.length === 0 || sale.reduce((s, e) => s + e.gross, 0) <= 0) return [];
  const parts = allocate(refund.amount, sale.map((e) => e.gross));
  return sale.map((entry, i) => {
    const isModule = entry.moduleId !== null && entry.developerId !== null;
    const left = entry.net + earlier.filter((e) => e.lineId === entry.lineId).reduce((s, e) => s + e.net, 0);
    const net = -parts[i]! || 0;
    const developer = split(left + net, isModule).developer - split(left, isModule).developer || 0;
    return { entryKey: `refund:${refund.id}:${entry.lineId}`, kind: "refund", lineId: entry.lineId, moduleId: entry.moduleId, developerId: entry.developerId, gross: net, fee: 0, net, developerShare: developer, platformShare: net - developer || 0 };
  });
}

/** What each developer is owed from these entries (for one invoice: its transfers), in minor units. */
export function owedByDeveloper(entries: readonly Pick<LedgerEntryPlan, "developerId" | "developerShare">[]): Map<string, number> {
  const owed = new Map<string, number>();
  for (const e of entries) if (e.developerId) owed.set(e.developerId, (owed.get(e.developerId) ?? 0) + e.developerShare);
  return owed;
}
