// The revenue share, as pure functions over integer minor units. What Stripe collected for an invoice (amount paid
// less its fee) is spread over the invoice's lines in proportion to their amounts (largest remainder: the parts sum
// to the whole exactly); a module's line is then split 70/30 — the developer gets 70% rounded *down* to the unit,
// the platform the rest, so a remainder cent is always the platform's; a plan's line is all the platform's.
// A refund or a dispute is spread over the same lines the same way; what is left of a line is split by the same rule,
// and a dispute's fee is the platform's.

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
  kind: "sale" | "refund" | "dispute";
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
 * Money Stripe moves on a paid charge later: a refund (`amount` < 0, no fee back), or a dispute's balance transaction
 * (its withdrawal < 0 with Stripe's dispute fee; its reinstatement > 0, the fee perhaps given back as a negative fee).
 */
export interface Movement {
  id: string;
  kind: "refund" | "dispute";
  /** Signed: negative takes money back, positive gives it back. */
  amount: number;
  /** What Stripe keeps for the movement itself (a dispute fee); the platform's alone. */
  fee: number;
}

/**
 * The developer's part of what is left of a line, `left`: ⌊70%⌋ — but never less than the sale gave them (nothing,
 * for a line that earned them something): when a refund or dispute takes back more than was collected (Stripe keeps
 * its fee), the platform bears the loss, and a reversal never takes back more than was transferred.
 */
export function developerPart(left: number, saleNet: number, isModule: boolean): number {
  const floor = Math.min(0, split(saleNet, isModule).developer);
  return Math.max(floor, split(left, isModule).developer);
}

/**
 * A movement's entries, spread over the sale's lines as the sale was. A line's developer share after any movement is
 * always their part of what is left of it (`developerPart`) — each entry takes the difference — so the remainder cent
 * stays the platform's.
 * A fee is the platform's entry of its own (line "fee").
 */
export function movementEntries(
  movement: Movement,
  sale: readonly Pick<LedgerEntryPlan, "lineId" | "moduleId" | "developerId" | "gross" | "net">[],
  earlier: readonly Pick<LedgerEntryPlan, "lineId" | "net">[] = [],
): LedgerEntryPlan[] {
  if (sale.length === 0 || sale.reduce((s, e) => s + e.gross, 0) <= 0) return [];
  const sign = Math.sign(movement.amount);
  const parts = movement.amount === 0 ? sale.map(() => 0) : allocate(Math.abs(movement.amount), sale.map((e) => e.gross));
  const entries: LedgerEntryPlan[] = sale.map((entry, i) => {
    const isModule = entry.moduleId !== null && entry.developerId !== null;
    const left = entry.net + earlier.filter((e) => e.lineId === entry.lineId).reduce((s, e) => s + e.net, 0);
    const net = sign * parts[i]! || 0;
    const developer = developerPart(left + net, entry.net, isModule) - developerPart(left, entry.net, isModule) || 0;
    return { entryKey: `${movement.kind}:${movement.id}:${entry.lineId}`, kind: movement.kind, lineId: entry.lineId, moduleId: entry.moduleId, developerId: entry.developerId, gross: net, fee: 0, net, developerShare: developer, platformShare: net - developer || 0 };
  });
  if (movement.fee !== 0) entries.push({ entryKey: `${movement.kind}:${movement.id}:fee`, kind: movement.kind, lineId: "fee", moduleId: null, developerId: null, gross: 0, fee: movement.fee, net: -movement.fee, developerShare: 0, platformShare: -movement.fee });
  return entries;
}

/** A refund's reversing entries (Stripe keeps its fee: none comes back). */
export function refundEntries(refund: { id: string; amount: number }, sale: Parameters<typeof movementEntries>[1], earlier: Parameters<typeof movementEntries>[2] = []): LedgerEntryPlan[] {
  return refund.amount > 0 ? movementEntries({ id: refund.id, kind: "refund", amount: -refund.amount, fee: 0 }, sale, earlier) : [];
}

/** What each developer is owed from these entries (for one invoice: its transfers), in minor units. */
export function owedByDeveloper(entries: readonly Pick<LedgerEntryPlan, "developerId" | "developerShare">[]): Map<string, number> {
  const owed = new Map<string, number>();
  for (const e of entries) if (e.developerId) owed.set(e.developerId, (owed.get(e.developerId) ?? 0) + e.developerShare);
  return owed;
}
