// The revenue share end to end, against the fake Stripe: a paid module's invoices write 70/30 ledger entries from
// what Stripe actually collected (its fee taken out), the developer's transfer waits for their Connect account and
// is made once per invoice — however often the event comes, and when two handle it at once; a refund writes the
// reversing entries; the ledger always sums to what Stripe kept for us. The developer sees earnings, transfers and
// a CSV; platform admins see revenue per month.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, count, eq, sum } from "drizzle-orm";
import { DISPUTE_FEE, feeOf, type StripeFake } from "../../../tests/stripe-fake/app";
import { billingTestApp, installedPaidModule, type BillingTestApp } from "./billing.fixture";
import { createTestApp, type TestApp } from "../../test/app";
import { api, business, json, person, signedIn, type Person } from "../../test/people";
import { platformAdmin } from "../modules/modules.fixture";
import { receiveWebhook } from "./webhook";
import { billingConnectAccounts, billingLedger, billingTransfers, billingUsage } from "./schema";
import { PLANS } from "./plans";
import { syncCatalog } from "./sync";
import { usageJob } from "./usage";
import { billingPersonalData } from "./personal-data";
import { writeTransaction } from "../../db/transaction";
import { payDueTransfers } from "./ledger";
import { csvField } from "./payouts";
import { formatMoney } from "../../lib/money";

const SECRET = "whsec_test_payouts";
let fake: StripeFake;
let fakeOrigin: string;
let t: TestApp;
let admin: Person;
let dev: Person;
let owner: Person;
let acme: string;
let moduleId: string;
let subscriptionId: string;

let harness: BillingTestApp;

beforeAll(async () => {
  harness = await billingTestApp(SECRET);
  ({ t, fake, fakeOrigin } = harness);
  admin = await platformAdmin(t);
  dev = await person(t, "Dana Dev");
  owner = await person(t, "Olive Owner");
  acme = await business(t, owner, [], "Acme");
  moduleId = await installedPaidModule(t, { dev, admin, owner }, acme, { slug: "paid-notes", name: "Paid Notes", pricing: { model: "per_context", monthlyAmount: 999, currency: "usd" } });
});
afterAll(() => harness.close());

const ledgerRows = () => t.deps.db.select().from(billingLedger);
const transferRows = () => t.deps.db.select().from(billingTransfers);
/** What Stripe kept for the platform and its developers: every paid charge less its fee and refunds, and what disputes moved. */
const collected = () =>
  [...fake.charges.values()].reduce((s, ch) => s + Number(ch.amount) - feeOf(Number(ch.amount)) - Number(ch.amount_refunded), 0) +
  [...fake.disputes.values()].flatMap((d) => d.balance_transactions as { net: number }[]).reduce((s, bt) => s + bt.net, 0);
const ledgerSum = async () => Number((await t.deps.db.select({ n: sum(billingLedger.net) }).from(billingLedger))[0]!.n ?? 0);

describe("a paid module's money", () => {
  test("the first invoice: 70/30 of what Stripe collected; the developer's transfer waits for their Stripe account", async () => {
    const { url } = await json(api(t, owner, "/api/billing/checkout", { method: "POST", json: { contextId: `business:${acme}`, module: moduleId } }), 201);
    expect((await fetch(url, { method: "POST", body: new URLSearchParams({ card: "4242424242424242" }), redirect: "manual" })).status).toBe(303);
    await fake.settle();
    subscriptionId = [...fake.subscriptions.keys()][0]!;
    const [entry] = await ledgerRows();
    const fee = feeOf(999); // 29 + 30
    expect(entry).toMatchObject({ kind: "sale", gross: 999, fee, net: 999 - fee, moduleId, developerId: dev.id, currency: "usd" });
    expect(entry!.developerShare).toBe(Math.floor(((999 - fee) * 70) / 100));
    expect(entry!.platformShare).toBe(999 - fee - entry!.developerShare);
    const [transfer] = await transferRows();
    expect(transfer).toMatchObject({ developerId: dev.id, amount: entry!.developerShare, state: "due", stripeTransferId: null });
    expect(fake.transfers.size).toBe(0);
    const page = await (await (await signedIn(t, dev)).request("/developers/payouts")).text();
    expect(page).toContain("Waiting for your Stripe account");
    expect(page).toContain("Get paid with Stripe");
  });

  test("Connect onboarding: the account is made once, and on return the waiting transfer is made", async () => {
    const browser = await signedIn(t, dev);
    const first = await browser.request("/developers/payouts/onboard", { method: "POST" });
    expect(first.status).toBe(303);
    expect((await browser.request("/developers/payouts/onboard", { method: "POST" })).status).toBe(303);
    expect(fake.accounts.size).toBe(1);
    const onboarding = first.headers.get("location")!;
    expect(onboarding).toStartWith(`${fakeOrigin}/connect/onboard/acct_`);
    // Back before finishing: nothing is paid yet.
    expect((await browser.request("/developers/payouts/return")).headers.get("location")).toBe("/developers/payouts?done=incomplete");
    expect(fake.transfers.size).toBe(0);
    const finished = await fetch(onboarding, { method: "POST", body: new URLSearchParams({ return: new URL(onboarding).searchParams.get("return")! }), redirect: "manual" });
    expect(finished.headers.get("location")).toBe("http://localhost/developers/payouts/return");
    expect((await browser.request("/developers/payouts/return")).headers.get("location")).toBe("/developers/payouts?done=onboarded");
    const [transfer] = [...fake.transfers.values()];
    const [entry] = await ledgerRows();
    expect(transfer).toMatchObject({ amount: entry!.developerShare, currency: "usd", destination: [...fake.accounts.keys()][0], source_transaction: entry!.chargeId, transfer_group: entry!.invoiceId });
    expect((await transferRows())[0]).toMatchObject({ state: "paid", stripeTransferId: transfer!.id });
    // Someone who is not a developer has no payouts page.
    expect((await (await signedIn(t, owner)).request("/developers/payouts")).status).toBe(403);
    expect((await (await signedIn(t, owner)).request("/developers/payouts/onboard", { method: "POST" })).status).toBe(403);
  });

  test("the next invoice is transferred at once; its event three times, and twice at the same moment, make one transfer", async () => {
    const before = fake.creations();
    const invoice = await fake.renew(subscriptionId);
    expect(fake.transfers.size).toBe(2);
    const paidEvent = fake.sent.find((e) => e.type === "invoice.paid" && (e.data as { object: { id: string } }).object.id === invoice.id)!;
    const deliver = () => fake.deliver("http://localhost/api/billing/webhook", paidEvent, SECRET, { fetch: (request) => t.app.request(request) });
    for (let i = 0; i < 3; i++) expect(await deliver()).toBe(200);
    // A second instance's handling at the same moment: the same event, as if its id were new to it.
    await t.deps.db.delete((await import("./schema")).billingEvents);
    const payload = JSON.stringify(paidEvent);
    const header = await (await import("stripe")).default.webhooks.generateTestHeaderStringAsync({ payload, secret: SECRET, timestamp: Math.floor(t.deps.now() / 1000) });
    await Promise.all([receiveWebhook(t.deps, payload, header), receiveWebhook(t.deps, payload, header)].map((p) => p.catch(() => null)));
    expect(fake.transfers.size).toBe(2);
    expect((await transferRows()).length).toBe(2);
    expect((await t.deps.db.select({ n: count() }).from(billingLedger))[0]!.n).toBe(2);
    expect(fake.creations() - before).toBe(1); // one transfer made in all (the invoice is the fake's own)
  });

  test("two instances on one database receiving the same new event at once: one ledger entry, one transfer", async () => {
    const second = await createTestApp({ STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_URL: fakeOrigin, DATABASE_URL: t.deps.config.DATABASE_URL });
    try {
      const hook = fake.webhook;
      fake.webhook = null;
      const invoice = await fake.renew(subscriptionId);
      fake.webhook = hook;
      const paid = fake.sent.find((e) => e.type === "invoice.paid" && (e.data as { object: { id: string } }).object.id === invoice.id)!;
      const [transfers, entries] = [fake.transfers.size, (await ledgerRows()).length];
      const statuses = await Promise.all([t, second].map((app) => fake.deliver("http://localhost/api/billing/webhook", paid, SECRET, { fetch: (request) => app.app.request(request) })));
      expect(statuses).toEqual([200, 200]);
      expect(fake.transfers.size).toBe(transfers + 1);
      expect((await ledgerRows()).length).toBe(entries + 1);
      expect((await transferRows()).filter((r) => r.sourceId === invoice.id)).toHaveLength(1);
    } finally {
      second.close();
    }
  });

  test("two instances sending the same due transfer at once: Stripe makes one (the idempotency key names invoice and developer)", async () => {
    await t.deps.db.update(billingConnectAccounts).set({ payoutsEnabled: false }).where(eq(billingConnectAccounts.developerId, dev.id));
    await fake.renew(subscriptionId);
    expect((await transferRows()).filter((r) => r.state === "due")).toHaveLength(1);
    await t.deps.db.update(billingConnectAccounts).set({ payoutsEnabled: true }).where(eq(billingConnectAccounts.developerId, dev.id));
    const made = await Promise.all([payDueTransfers(t.deps), payDueTransfers(t.deps)]);
    expect(made[0] + made[1]).toBe(2); // both saw it through, with the same transfer
    expect(fake.transfers.size).toBe(4);
    const rows = await transferRows();
    expect(rows.every((r) => r.state === "paid")).toBe(true);
    expect(new Set(rows.map((r) => r.stripeTransferId)).size).toBe(4);
  });

  test("a refund writes reversing entries; the ledger still sums to what Stripe collected", async () => {
    const charge = [...fake.charges.values()].at(-1)!;
    await fake.refund(charge.id, 400);
    await fake.refund(charge.id, 1);
    const refunds = (await ledgerRows()).filter((r) => r.kind === "refund");
    expect(refunds.map((r) => r.net).sort()).toEqual([-400, -1].sort());
    expect(refunds.find((r) => r.net === -1)).toMatchObject({ developerShare: -1, platformShare: 0 }); // ⌊70%⌋ of what is left changed by a cent
    expect(await ledgerSum()).toBe(collected());
    // The developer's part of each refund was taken back from the transfer already made: one reversal each.
    expect([...fake.reversals.values()].map((r) => r.amount).sort((a, b) => Number(a) - Number(b))).toEqual(refunds.map((r) => -r.developerShare).sort((a, b) => a - b));
    expect([...fake.reversals.values()].every((r) => r.transfer === (fake.transfers.size ? [...fake.transfers.values()].find((tr) => tr.source_transaction === charge.id)!.id : null))).toBe(true);
    // The same refund event again changes nothing.
    const refunded = fake.sent.filter((e) => e.type === "charge.refunded").at(-1)!;
    await fake.deliver("http://localhost/api/billing/webhook", refunded, SECRET, { fetch: (request) => t.app.request(request) });
    expect((await ledgerRows()).filter((r) => r.kind === "refund")).toHaveLength(2);
  });

  test("a dispute: the amount and Stripe's fee leave the ledger, the developer's part is taken back; won, both come back", async () => {
    const charge = [...fake.charges.values()][1]!; // the second invoice's
    const reversalsBefore = fake.reversals.size;
    const disputed = await fake.dispute(charge.id, Number(charge.amount));
    let entries = (await ledgerRows()).filter((r) => r.kind === "dispute");
    expect(entries.reduce((s, e) => s + e.net, 0)).toBe(-Number(charge.amount) - DISPUTE_FEE);
    expect(entries.find((e) => e.lineId === "fee")).toMatchObject({ net: -DISPUTE_FEE, developerShare: 0, platformShare: -DISPUTE_FEE });
    expect(await ledgerSum()).toBe(collected());
    expect(fake.reversals.size).toBe(reversalsBefore + 1);
    const [sale] = (await ledgerRows()).filter((r) => r.kind === "sale" && r.chargeId === charge.id);
    expect([...fake.reversals.values()].at(-1)!.amount).toBe(sale!.developerShare); // all of it: the whole charge was disputed
    await fake.winDispute(disputed.id);
    entries = (await ledgerRows()).filter((r) => r.kind === "dispute");
    expect(entries.reduce((s, e) => s + e.net, 0)).toBe(0);
    expect(await ledgerSum()).toBe(collected());
    // Given back to the developer by a transfer of its own.
    expect([...fake.transfers.values()].at(-1)).toMatchObject({ amount: sale!.developerShare, source_transaction: charge.id });
  });

  test("the developer's earnings, transfers and CSV; platform revenue for admins only", async () => {
    const browser = await signedIn(t, dev);
    const page = await (await browser.request("/developers/payouts")).text();
    expect(page).toContain("Your Stripe account is ready");
    // Earned (the ledger), transferred (less what was taken back) and pending, to the cent.
    const mine = (await ledgerRows()).filter((r) => r.developerId === dev.id);
    const earned = mine.reduce((s, r) => s + r.developerShare, 0);
    const transferred = [...fake.transfers.values()].reduce((s, tr) => s + Number(tr.amount), 0) - [...fake.reversals.values()].reduce((s, r) => s + Number(r.amount), 0);
    const usd = (cents: number) => formatMoney(cents, "usd");
    expect(page).toContain(`<td class="numeric">${usd(earned)}</td><td class="numeric">${usd(transferred)}</td><td class="numeric">${usd(earned - transferred)}</td>`);
    expect(page.match(/<td>Transferred<\/td>/g)).toHaveLength(5); // four invoices, one dispute given back
    const csv = await browser.request("/developers/payouts.csv");
    expect(csv.headers.get("content-type")).toStartWith("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("date,kind,invoice,module,currency,gross,stripe_fee,net,your_share,platform_share");
    expect(lines).toHaveLength(9); // the header; four sales, two refunds, a dispute and its reinstatement (the dispute fees are the platform's: not here)
    const sumOfShares = lines.slice(1).reduce((s, l) => s + Number(l.split(",")[8]), 0);
    expect(sumOfShares).toBe(Number((await t.deps.db.select({ n: sum(billingLedger.developerShare) }).from(billingLedger).where(eq(billingLedger.developerId, dev.id)))[0]!.n));
    const revenue = await (await signedIn(t, admin)).request("/admin-portal/revenue");
    expect(revenue.status).toBe(200);
    const chart = await revenue.text();
    expect(chart).toContain("Platform revenue per month (USD)");
    // The month's bar: the platform's share of the ledger, in whole dollars.
    const platform = (await ledgerRows()).reduce((s, r) => s + r.platformShare, 0);
    const month = new Date(t.deps.now()).toISOString().slice(0, 7);
    expect(chart).toContain(`<title>${month}: ${Math.round(platform / 100)}</title>`);
    expect((await browser.request("/admin-portal/revenue")).status).toBe(403);
  });

  test("CSV fields are quoted, and never start a spreadsheet formula", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField(-400)).toBe("-400");
    expect(csvField(null)).toBe("");
  });
});

describe("usage", () => {
  test("counted per space and month, reported to Stripe's meter as meter events once — a report sent again is the same event", async () => {
    await syncCatalog(t.deps.stripe!, PLANS); // makes the meter
    const context = `business:${acme}`;
    await t.deps.entitlements.count(context, "module_api_calls", 7);
    expect(await usageJob(t.deps)).toBe(1);
    const customer = [...fake.customers.values()].find((c) => (c.metadata as Record<string, string>).context === context)!.id;
    expect([...fake.meterEvents.values()].map((e) => e.payload)).toEqual([{ stripe_customer_id: customer, value: "7" }]);
    const period = new Date(t.deps.now()).toISOString().slice(0, 7);
    const rows = await t.deps.db.select().from(billingUsage).where(eq(billingUsage.context, context));
    expect(Object.fromEntries(rows.map((r) => [r.metric, [r.period, r.quantity]]))).toEqual({ module_api_calls: [period, 7], seats: [period, 1], storage_bytes: [period, 0] });
    expect(await usageJob(t.deps)).toBe(0);
    await t.deps.entitlements.count(context, "module_api_calls", 2);
    expect(await usageJob(t.deps)).toBe(1);
    // As if the instance stopped after Stripe took the report but before it was marked: the same report again.
    await t.deps.db.update(billingUsage).set({ reported: 7 }).where(and(eq(billingUsage.context, context), eq(billingUsage.metric, "module_api_calls")));
    await usageJob(t.deps);
    expect([...fake.meterEvents.values()].map((e) => Number((e.payload as { value: string }).value))).toEqual([7, 2]);
  });
});

describe("a developer's erasure", () => {
  test("exported first: earnings and transfers; erased: the Connect account goes, the ledger stays whole without their id", async () => {
    const exported = (await billingPersonalData.exportFor(t.deps.db, dev.id)) as { developer: { earnings: unknown[]; transfers: unknown[]; stripeConnectAccount: string | null } };
    expect(exported.developer.earnings.length).toBe((await ledgerRows()).filter((r) => r.developerId === dev.id).length);
    expect(exported.developer.transfers).toHaveLength(5);
    expect(exported.developer.stripeConnectAccount).toStartWith("acct_");
    const total = await ledgerSum();
    await writeTransaction(t.deps.db, (tx) => billingPersonalData.erase({ tx, deps: t.deps, userId: dev.id, person: { email: "", name: "", blockIds: [] }, tombstone: "erased-test", now: t.deps.now() }));
    expect((await ledgerRows()).some((r) => r.developerId === dev.id)).toBe(false);
    expect(await ledgerSum()).toBe(total);
    expect((await transferRows()).every((r) => r.developerId === "erased-test")).toBe(true);
    expect(await t.deps.db.select().from(billingConnectAccounts)).toEqual([]);
  });
});
