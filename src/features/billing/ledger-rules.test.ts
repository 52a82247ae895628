// The 70/30 rule and the cent rule, checked by example and over generated months of invoices with refunds: the
// ledger always sums to what Stripe collected, every entry's shares sum to its net, and the developer never gets
// more than 70%.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { allocate, developerPart, owedByDeveloper, refundEntries, saleEntries, split, type LedgerLine } from "./ledger-rules";

describe("the cent rule", () => {
  test("a refund of everything: Stripe keeps its fee, the platform bears it — the developer gives back what they got, no more", () => {
    const [sale] = saleEntries({ id: "in_1", amountPaid: 999, fee: 59, lines: [{ id: "il", amount: 999, moduleId: "m", developerId: "d" }] });
    const [back] = refundEntries({ id: "re_1", amount: 999 }, [sale!]);
    expect(sale!.developerShare).toBe(658);
    expect(back).toMatchObject({ net: -999, developerShare: -658, platformShare: -341 });
  });

  test("70% to the developer rounded down; the remainder cent is the platform's; a plan's line is all the platform's", () => {
    expect(split(1000, true)).toEqual({ developer: 700, platform: 300 });
    expect(split(999, true)).toEqual({ developer: 699, platform: 300 }); // 699.3 → 699
    expect(split(1, true)).toEqual({ developer: 0, platform: 1 });
    expect(split(-999, true)).toEqual({ developer: -699, platform: -300 }); // a reversal mirrors the sale
    expect(split(999, false)).toEqual({ developer: 0, platform: 999 });
  });

  test("allocation: parts sum to the whole, in proportion, the largest fractions first", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(10, [2900, -1000, 7000])).toEqual([3, -1, 8]);
    expect(allocate(0, [5, 5])).toEqual([0, 0]);
  });

  test("an invoice: collected = paid − fee over its lines; the developer's transfer is the sum of their lines", () => {
    const lines: LedgerLine[] = [
      { id: "il_plan", amount: 2900, moduleId: null, developerId: null },
      { id: "il_a", amount: 500, moduleId: "mod_a", developerId: "dev_1" },
      { id: "il_b", amount: 300, moduleId: "mod_b", developerId: "dev_1" },
    ];
    const entries = saleEntries({ id: "in_1", amountPaid: 3700, fee: 137, lines });
    expect(entries.reduce((s, e) => s + e.net, 0)).toBe(3563);
    expect(entries.map((e) => e.gross)).toEqual([2900, 500, 300]);
    expect(entries[0]).toMatchObject({ developerShare: 0, platformShare: entries[0]!.net });
    expect(owedByDeveloper(entries).get("dev_1")).toBe(entries[1]!.developerShare + entries[2]!.developerShare);
  });
});

describe("over a generated month", () => {
  const line = fc.record({ amount: fc.integer({ min: -5000, max: 50_000 }), module: fc.option(fc.constantFrom("mod_a", "mod_b", "mod_c"), { nil: null }) });
  const invoice = fc.record({ lines: fc.array(line, { minLength: 1, maxLength: 5 }), feePercent: fc.integer({ min: 0, max: 10 }), refunds: fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 3 }) });

  test("the ledger sums to what Stripe collected; shares sum to net; a line's developer share is ⌊70%⌋ of what is left of it, never below zero", () => {
    fc.assert(
      fc.property(fc.array(invoice, { minLength: 1, maxLength: 40 }), (month) => {
        let collected = 0;
        let ledger = 0;
        month.forEach((inv, n) => {
          const lines: LedgerLine[] = inv.lines.map((l, i) => ({ id: `il_${n}_${i}`, amount: l.amount, moduleId: l.module, developerId: l.module ? `dev_${l.module}` : null }));
          const amountPaid = Math.max(0, lines.reduce((s, l) => s + l.amount, 0));
          const fee = amountPaid > 0 ? Math.min(amountPaid, Math.round((amountPaid * inv.feePercent) / 100) + 30) : 0;
          const sale = saleEntries({ id: `in_${n}`, amountPaid, fee, lines });
          if (sale.length) collected += amountPaid - fee;
          // Refunds: percentages of what is left to refund of the charge.
          let refundable = sale.length ? amountPaid : 0;
          const entries = [...sale];
          inv.refunds.forEach((percent, r) => {
            const amount = Math.floor((refundable * percent) / 100);
            if (amount <= 0) return;
            refundable -= amount;
            collected -= amount;
            entries.push(...refundEntries({ id: `re_${n}_${r}`, amount }, sale, entries.slice(sale.length)));
          });
          for (const e of entries) {
            expect(e.developerShare + e.platformShare).toBe(e.net);
            if (e.moduleId === null) expect(e.developerShare).toBe(0);
            ledger += e.net;
          }
          for (const line of sale) {
            const mine = entries.filter((e) => e.lineId === line.lineId);
            const left = mine.reduce((s, e) => s + e.net, 0);
            expect(mine.reduce((s, e) => s + e.developerShare, 0)).toBe(developerPart(left, line.net, line.moduleId !== null));
            // Never below what the sale gave: a reversal never takes back more than was transferred.
            if (line.developerShare >= 0) expect(mine.reduce((s, e) => s + e.developerShare, 0)).toBeGreaterThanOrEqual(0);
          }
        });
        expect(ledger).toBe(collected);
      }),
      { numRuns: 300 },
    );
  });
});
