// A subscription's whole life through the pages and the real `stripe` SDK against the fake Stripe (tests/stripe-fake),
// which sends its signed webhooks as it goes: checkout (the same attempt twice opens one Checkout; one customer per
// space), the return page waiting for the webhook, the plan's limits, invoices, a prorated plan change, a failed
// payment's grace period and then the lapse (no data lost), the portal's cancellation, a paid module unlocked — and
// every event delivered again, twice and in reverse order, to a second instance ends in the same state.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { StripeFake } from "../../../tests/stripe-fake/app";
import { billingTestApp, installedPaidModule, type BillingTestApp } from "./billing.fixture";
import { createTestApp, type Browser, type TestApp } from "../../test/app";
import { addHouseholdMember, api, business, household, json, person, signedIn, type Person } from "../../test/people";
import { SseReader } from "../../test/sse";
import { platformAdmin } from "../modules/modules.fixture";
import { billingEvents, billingInvoices, billingLedger, billingSubscriptions } from "./schema";
import { notifications } from "../../schema";
import { usageJob } from "./usage";
import { PLANS } from "./plans";
import { syncCatalog } from "./sync";

const SECRET = "whsec_test_checkout";
let fake: StripeFake;
let fakeOrigin: string;
let t: TestApp;
let owner: Person;
let member: Person;
let outsider: Person;
let ownerBrowser: Browser;
let acme: string;
let moduleId: string;

let harness: BillingTestApp;

beforeAll(async () => {
  harness = await billingTestApp(SECRET);
  ({ t, fake, fakeOrigin } = harness);
  await syncCatalog(t.deps.stripe!, PLANS);
  const admin = await platformAdmin(t);
  const dev = await person(t, "Dana Dev");
  [owner, member, outsider] = (await Promise.all(["Olive Owner", "Mo Member", "Otto Outsider"].map((n) => person(t, n)))) as [Person, Person, Person];
  acme = await business(t, owner, [[member, "member"]], "Acme");
  ownerBrowser = await signedIn(t, owner);
  moduleId = await installedPaidModule(t, { dev, admin, owner }, acme, { slug: "paid-board", name: "Paid Board", pricing: { model: "per_seat", monthlyAmount: 300, currency: "usd" } });
});
afterAll(() => harness.close());

const billing = () => `/billing/business/${acme}`;
const form = (fields: Record<string, string>) => ({ method: "POST", form: fields });
const attemptOf = (html: string) => /name="attempt" value="([^"]+)"/.exec(html)![1]!;
/** Pays on the fake's hosted Checkout page, as the person would; where Stripe sends them back. */
async function pay(checkoutUrl: string, card = "4242424242424242") {
  expect(checkoutUrl.startsWith(`${fakeOrigin}/c/pay/`)).toBe(true);
  const paid = await fetch(checkoutUrl, { method: "POST", body: new URLSearchParams({ card }), redirect: "manual" });
  expect(paid.status).toBe(303);
  return paid.headers.get("location")!;
}
const limits = () => t.deps.entitlements.limits(`business:${acme}`);
const subscriptionRows = () => t.deps.db.select().from(billingSubscriptions).where(eq(billingSubscriptions.context, `business:${acme}`));

describe("a business's plan, from checkout to cancellation", () => {
  let subscriptionId: string;

  test("the page: the free plan, the paid plans to subscribe to, and forms allowed to lead to Stripe only", async () => {
    const response = await ownerBrowser.request(billing());
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Plan: Free");
    expect(html).toContain("Members: 2 of 5");
    expect(html).toContain("Subscribe to Team");
    expect(html).toContain("Subscribe to Business");
    expect(response.headers.get("content-security-policy")).toContain(`form-action 'self' ${fakeOrigin}`);
    // Other pages keep form-action 'self' alone.
    expect((await ownerBrowser.request("/home")).headers.get("content-security-policy")).toContain("form-action 'self';");
    // A member sees the plan but cannot buy; someone outside learns nothing.
    const memberBrowser = await signedIn(t, member);
    const memberPage = await (await memberBrowser.request(billing())).text();
    expect(memberPage).toContain("Plan: Free");
    expect(memberPage).not.toContain("Subscribe to");
    expect((await memberBrowser.request(`${billing()}/checkout`, form({ plan: "business_team", attempt: "attempt-by-member" }))).status).toBe(403);
    expect((await (await signedIn(t, outsider)).request(billing())).status).toBe(404);
    expect((await (await signedIn(t, outsider)).request(`${billing()}/checkout`, form({ plan: "business_team", attempt: "attempt-by-outsider" }))).status).toBe(404);
  });

  test("bad input is shown on the page, never a 500, and nothing is sent to Stripe", async () => {
    const before = fake.creations();
    for (const fields of [{ plan: "household_family", attempt: "attempt-0001" }, { plan: "business_free", attempt: "attempt-0002" }, { plan: "nope", attempt: "attempt-0003" }, { attempt: "attempt-0004" }, { plan: "business_team", attempt: "x" }, { plan: "business_team", module: moduleId, attempt: "attempt-0005" }]) {
      const refused = await ownerBrowser.request(`${billing()}/checkout`, form(fields as Record<string, string>));
      expect({ fields, status: refused.status }).toEqual({ fields, status: 400 });
      expect(await refused.text()).toContain('role="alert"');
    }
    expect(fake.creations()).toBe(before);
  });

  test("checkout: one Checkout per attempt, one customer per space; the return page waits for the webhook, live", async () => {
    const html = await (await ownerBrowser.request(billing())).text();
    const attempt = attemptOf(html);
    const first = await ownerBrowser.request(`${billing()}/checkout`, form({ plan: "business_team", attempt }));
    expect(first.status).toBe(303);
    const again = await ownerBrowser.request(`${billing()}/checkout`, form({ plan: "business_team", attempt }));
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(fake.customers.size).toBe(1);
    expect([...fake.customers.values()][0]!.metadata).toEqual({ context: `business:${acme}` });

    // Stripe is slow to tell us: the return page waits, and its region is re-fetched when the event lands.
    const hook = fake.webhook;
    fake.webhook = null;
    const unsent = fake.sent.length;
    const back = new URL(await pay(first.headers.get("location")!));
    expect(back.pathname).toBe(`${billing()}/return`);
    const returnPath = `${back.pathname}${back.search}`;
    expect(await (await ownerBrowser.request(returnPath)).text()).toContain("Waiting for Stripe to confirm the Team plan");
    expect((await limits()).plan.name).toBe("Free");
    const stream = new SseReader(await ownerBrowser.request("/events"));
    fake.webhook = hook;
    for (const event of fake.sent.slice(unsent)) expect(await fake.deliver(hook!.url, event, SECRET, { fetch: hook!.fetch })).toBe(200);
    await stream.until((m) => m.event === "billing");
    await stream.close();
    const done = await (await ownerBrowser.request(returnPath, { headers: { "hx-request": "true" } })).text();
    expect(done).toContain("Thank you: the Team plan is active.");
    // Another space's id in the return address: nothing.
    const other = await business(t, outsider, [], "Other");
    expect((await (await signedIn(t, outsider)).request(`/billing/business/${other}/return${back.search}`)).status).toBe(404);

    const [row] = await subscriptionRows();
    subscriptionId = row!.id;
    // The plan, and the metered price of module API calls that every paid plan carries.
    expect(row).toMatchObject({ status: "active", items: [{ planId: "business_team", quantity: 1 }, { planId: null, moduleId: null }] });
    expect(await limits()).toMatchObject({ plan: { name: "Team" }, seats: 25, modules: 10 });
    const after = await (await ownerBrowser.request(billing())).text();
    expect(after).toContain("Plan: Team");
    expect(after).toContain("Switch to Business");
    expect(after).not.toContain("Subscribe to Team");
  });

  test("invoices: mirrored, on the page and in JSON for the space's payers only", async () => {
    const { invoices } = await json(api(t, owner, `/api/billing/invoices?contextId=business:${acme}`), 200);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ status: "paid", currency: "usd", subtotal: 2900, tax: 0, total: 2900, amountPaid: 2900 });
    expect(invoices[0].number).toMatch(/^FAKE-\d{4}$/);
    expect(invoices[0].hostedUrl).toStartWith(`${fakeOrigin}/i/`);
    expect(invoices[0].pdfUrl).toEndWith("/pdf");
    const html = await (await ownerBrowser.request(billing())).text();
    expect(html).toContain(invoices[0].number);
    expect(html).toContain("$29.00");
    expect((await api(t, member, `/api/billing/invoices?contextId=business:${acme}`)).status).toBe(403);
    // Nor on the page: members who do not pay see the plan, not the invoices.
    const memberPage = await (await (await signedIn(t, member)).request(billing())).text();
    expect(memberPage).toContain("Plan: Team");
    expect(memberPage).not.toContain(invoices[0].number);
    expect(memberPage).not.toContain("Invoices");
    expect((await api(t, outsider, `/api/billing/invoices?contextId=business:${acme}`)).status).toBe(404);
    for (const bad of ["", "business", "business:", "admin:x", `business:${acme}:x`]) expect((await api(t, owner, `/api/billing/invoices?contextId=${encodeURIComponent(bad)}`)).status).toBeOneOf([400, 404]);
  });

  test("a plan change is prorated: the difference for the rest of the period on a new invoice", async () => {
    const changed = await ownerBrowser.request(`${billing()}/plan`, form({ plan: "business_business" }));
    expect(changed.status).toBe(303);
    await fake.settle();
    expect(await limits()).toMatchObject({ plan: { name: "Business" }, seats: 250 });
    const { invoices } = await json(api(t, owner, `/api/billing/invoices?contextId=business:${acme}`), 200);
    expect(invoices).toHaveLength(2);
    // 99.00 − 29.00 for (almost all of) the period.
    expect(invoices[0].total).toBeGreaterThan(6900);
    expect(invoices[0].total).toBeLessThanOrEqual(7000);
    expect((await ownerBrowser.request(`${billing()}/plan`, form({ plan: "business_business" }))).status).toBe(409);
    expect((await ownerBrowser.request(`${billing()}/checkout`, form({ plan: "business_team", attempt: "attempt-0006" }))).status).toBe(409);
  });

  test("a failed payment: a grace period with a banner, then the paid plan's features stop — and nothing is lost", async () => {
    await fake.renew(subscriptionId, { fail: true });
    const [row] = await subscriptionRows();
    expect(row!.status).toBe("past_due");
    expect(await limits()).toMatchObject({ plan: { name: "Business" } });
    // The space's payers are told (the bell, and email by default); a member who does not pay is not.
    const told = await t.deps.db.select().from(notifications).where(eq(notifications.kind, "billing.payment"));
    expect(told.map((n) => [n.userId, n.title, n.url])).toEqual([[owner.id, "A payment for the Business plan of Acme failed", billing()]]);
    // The bank asks the payer to confirm (3-D Secure): the event is applied, the open invoice stays the one to act on.
    const open = [...fake.invoices.values()].find((i) => i.status === "open")!;
    const asked = fake.event("invoice.payment_action_required", open);
    expect(await fake.deliver("http://localhost/api/billing/webhook", asked, SECRET, { fetch: (request) => t.app.request(request) })).toBe(200);
    expect((await t.deps.db.select().from(billingEvents).where(eq(billingEvents.id, asked.id)))[0]).toMatchObject({ type: "invoice.payment_action_required", outcome: "applied" });
    const graced = await (await ownerBrowser.request(billing())).text();
    expect(graced).toContain("A payment for the Business plan failed. Update your card by");
    // The open invoice, with the way to pay it (or confirm it, when the bank asks: payment_action_required).
    expect(graced).toMatch(/Invoice FAKE-\d{4} \(\$99\.00\) is waiting for payment/);
    expect(graced).toContain(`href="${fakeOrigin}/i/`);
    // Eight days on, for this subscription (moving the whole clock would end everyone's sessions too).
    await t.deps.db.update(billingSubscriptions).set({ pastDueSince: t.deps.now() - 8 * 86_400_000 }).where(eq(billingSubscriptions.id, subscriptionId));
    expect(await limits()).toMatchObject({ plan: { name: "Free" }, seats: 5 });
    const lapsed = await (await ownerBrowser.request(billing())).text();
    expect(lapsed).toContain("Payments for the Business plan failed: its paid features are off. Your data is kept");
    expect((await subscriptionRows()).length).toBe(1);
    // Paying again turns it back on.
    await fake.renew(subscriptionId);
    expect(await limits()).toMatchObject({ plan: { name: "Business" } });
    const repaid = await (await ownerBrowser.request(billing())).text();
    expect(repaid).not.toContain("failed");
    expect(repaid).not.toContain("waiting for payment");
  });

  test("the Customer Portal: cancelling there ends the plan at the period's end, with a banner until then", async () => {
    const portal = await ownerBrowser.request(`${billing()}/portal`, { method: "POST" });
    expect(portal.status).toBe(303);
    const portalUrl = portal.headers.get("location")!;
    expect(portalUrl).toStartWith(`${fakeOrigin}/p/session/`);
    expect(await (await fetch(portalUrl)).text()).toContain(`href="http://localhost${billing()}"`);
    const cancel = /action="([^"]+\/cancel\/[^"]+)"/.exec(await (await fetch(portalUrl)).text())![1]!;
    expect((await fetch(`${fakeOrigin}${cancel}`, { method: "POST", redirect: "manual" })).status).toBe(303);
    await fake.settle();
    const html = await (await ownerBrowser.request(billing())).text();
    expect(html).toMatch(/The Business plan is cancelled and ends on \d{4}-\d{2}-\d{2}\./);
    expect(await limits()).toMatchObject({ plan: { name: "Business" } });
    // Only payers reach the portal.
    expect((await (await signedIn(t, member)).request(`${billing()}/portal`, { method: "POST" })).status).toBe(403);
  });
});

describe("a paid module", () => {
  test("subscribed per member through Checkout: its 402 lifts once Stripe says so", async () => {
    const runtime = () => api(t, member, `/api/modules/${moduleId}/runtime?context=business%3A${acme}`);
    expect((await runtime()).status).toBe(402);
    const html = await (await ownerBrowser.request(billing())).text();
    expect(html).toContain("Paid Board");
    expect(html).toContain("$3.00 a month per member");
    const started = await ownerBrowser.request(`${billing()}/checkout`, form({ module: moduleId, attempt: attemptOf(html) }));
    expect(started.status).toBe(303);
    const session = fake.checkoutSessions.get(started.headers.get("location")!.split("/").at(-1)!)!;
    expect(session.amount_total).toBe(600); // two members
    await pay(started.headers.get("location")!);
    await fake.settle();
    expect((await runtime()).status).toBe(200);
    const again = await (await ownerBrowser.request(billing())).text();
    expect(again).toMatch(/Paid Board[\s\S]*Active/);
    // The price was made once, by its lookup key: a second space subscribing reuses it.
    expect([...fake.prices.values()].filter((p) => String(p.lookup_key ?? "").startsWith(`bob_module_${moduleId}`))).toHaveLength(1);
  });

  test("the JSON twin: POST /api/billing/checkout → {url}; refused for a free plan or both at once", async () => {
    const other = await business(t, owner, [], "Owner's Second");
    const { url } = await json(api(t, owner, "/api/billing/checkout", { method: "POST", json: { contextId: `business:${other}`, plan: "business_team" } }), 201);
    expect(url).toStartWith(`${fakeOrigin}/c/pay/`);
    expect((await json(api(t, owner, "/api/billing/checkout", { method: "POST", json: { contextId: `business:${other}`, plan: "business_team", module: moduleId } }), 400)).error.details.fieldErrors).toHaveProperty("plan");
    expect((await json(api(t, owner, "/api/billing/checkout", { method: "POST", json: { contextId: `business:${other}`, plan: "business_free" } }), 400)).error.details.fieldErrors).toHaveProperty("plan");
    expect((await api(t, member, "/api/billing/checkout", { method: "POST", json: { contextId: `business:${acme}`, plan: "business_team" } })).status).toBe(403);
  });

  test("with htmx the post answers HX-Redirect to Stripe (no page CSP can stop that; a boosted page keeps the CSP of the one before)", async () => {
    const other = await business(t, owner, [], "Owner's Third");
    const browser = await signedIn(t, owner);
    const html = await (await browser.request(`/billing/business/${other}`)).text();
    const response = await browser.request(`/billing/business/${other}/checkout`, { method: "POST", form: { plan: "business_team", attempt: attemptOf(html) }, headers: { "hx-request": "true", "hx-boosted": "true" } });
    expect(response.status).toBe(204);
    expect(response.headers.get("hx-redirect")).toStartWith(`${fakeOrigin}/c/pay/`);
  });

  test("a burst of checkouts is cut off by the rate limit (20 in 10 minutes a person)", async () => {
    const burst = await Promise.all(Array.from({ length: 30 }, () => api(t, owner, "/api/billing/checkout", { method: "POST", json: { contextId: `business:${acme}`, plan: "business_team" } })));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    expect(statuses.every((s) => s === 429 || s === 409)).toBe(true);
    expect(burst.find((r) => r.status === 429)!.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});

describe("never paying twice", () => {
  test("a second checkout for the same plan (another tab, at the same moment) gets the open one; another plan ends it", async () => {
    const payer = await person(t, "Tess Tabs");
    const shop = await business(t, payer, [], "Two Tabs Ltd");
    const checkout = (plan: string) => api(t, payer, "/api/billing/checkout", { method: "POST", json: { contextId: `business:${shop}`, plan } });
    const [a, b] = await Promise.all([json(checkout("business_team"), 201), json(checkout("business_team"), 201)]);
    expect(b.url).toBe(a.url);
    expect((await json(checkout("business_team"), 201)).url).toBe(a.url);
    // Another plan: the first checkout can no longer be paid.
    const other = await json(checkout("business_business"), 201);
    expect(other.url).not.toBe(a.url);
    expect((await fetch(a.url, { method: "POST", body: new URLSearchParams({ card: "4242424242424242" }), redirect: "manual" })).status).toBe(409);
    await pay(other.url);
    await fake.settle();
    const rows = await t.deps.db.select().from(billingSubscriptions).where(eq(billingSubscriptions.context, `business:${shop}`));
    expect(rows.map((r) => r.items.find((i) => i.planId)?.planId)).toEqual(["business_business"]);
    // Paid: the space now changes its plan instead — a downgrade's proration is a credit, nothing is charged.
    expect((await checkout("business_team")).status).toBe(409);
    const browser = await signedIn(t, payer);
    expect((await browser.request(`/billing/business/${shop}/plan`, { method: "POST", form: { plan: "business_team" } })).status).toBe(303);
    await fake.settle();
    expect(await t.deps.entitlements.limits(`business:${shop}`)).toMatchObject({ plan: { name: "Team" } });
    const { invoices } = await json(api(t, payer, `/api/billing/invoices?contextId=business:${shop}`), 200);
    expect(invoices[0].total).toBeLessThan(0);
    expect(invoices[0].amountPaid).toBe(0);
    expect(await t.deps.db.select().from(billingLedger).where(eq(billingLedger.invoiceId, invoices[0].id))).toEqual([]);
  });
});

describe("households and one's own space", () => {
  test("a household's owners pay for its plan (an adult may not); one's own space is one's own; plans of another kind are refused", async () => {
    const [parent, adult] = (await Promise.all(["Hal Home", "Ada Adult"].map((n) => person(t, n)))) as [Person, Person];
    const home = await household(t, parent, "The Homes");
    await addHouseholdMember(t, home, adult, "adult");
    const checkout = (who: Person, contextId: string, plan: string) => api(t, who, "/api/billing/checkout", { method: "POST", json: { contextId, plan } });
    expect((await json(checkout(parent, `household:${home}`, "household_family"), 201)).url).toStartWith(`${fakeOrigin}/c/pay/`);
    expect((await checkout(adult, `household:${home}`, "household_family")).status).toBe(403);
    expect((await checkout(parent, `household:${home}`, "business_team")).status).toBe(400);
    expect((await json(checkout(parent, `personal:${parent.id}`, "personal_plus"), 201)).url).toStartWith(`${fakeOrigin}/c/pay/`);
    expect((await checkout(parent, `personal:${adult.id}`, "personal_plus")).status).toBe(404);
    expect((await checkout(outsider, `household:${home}`, "household_family")).status).toBe(404);
    // Each space its own customer, named for it.
    expect([...fake.customers.values()].filter((c) => [`household:${home}`, `personal:${parent.id}`].includes(String((c.metadata as Record<string, string>).context)))).toHaveLength(2);
    const page = await (await (await signedIn(t, adult)).request(`/billing/household/${home}`)).text();
    expect(page).toContain("Plan: Free");
    expect(page).not.toContain("Subscribe to");
  });
});

describe("module API calls, metered", () => {
  test("counted, reported to Stripe's meter, and billed at the next renewal past the 100,000 included: the platform's alone", async () => {
    const payer = await person(t, "Mia Meter"); // her own checkouts: the burst above spent Olive's
    const metered = await business(t, payer, [], "Metered Ltd");
    const context = `business:${metered}`;
    const { url } = await json(api(t, payer, "/api/billing/checkout", { method: "POST", json: { contextId: context, plan: "business_team" } }), 201);
    await pay(url);
    await fake.settle();
    await t.deps.entitlements.count(context, "module_api_calls", 250_000);
    expect(await (await (await signedIn(t, payer)).request(`/billing/business/${metered}`)).text()).toContain("modules made 250,000 API calls");
    expect(await usageJob(t.deps)).toBeGreaterThanOrEqual(1);
    const [subscription] = await t.deps.db.select().from(billingSubscriptions).where(eq(billingSubscriptions.context, context));
    const invoice = await fake.renew(subscription!.id);
    const lines = (invoice.lines as { data: { amount: number; description: string }[] }).data;
    expect(lines.map((l) => l.amount)).toEqual([2900, 1500]); // (250,000 − 100,000) × 0.01¢
    expect(lines[1]!.description).toContain("250000 × Module API calls (metered)");
    const { invoices } = await json(api(t, payer, `/api/billing/invoices?contextId=${context}`), 200);
    expect(invoices[0]).toMatchObject({ total: 4400, status: "paid" });
    const entries = await t.deps.db.select().from(billingLedger).where(eq(billingLedger.invoiceId, invoice.id));
    expect(entries.every((e) => e.developerShare === 0)).toBe(true);
    expect(entries.reduce((s, e) => s + e.gross, 0)).toBe(4400);

    // Paused (customer.subscription.paused): the paid plan's features stop, with a banner saying so; resumed, back.
    await fake.pause(subscription!.id);
    expect(await t.deps.entitlements.limits(context)).toMatchObject({ plan: { name: "Free" } });
    expect(await (await (await signedIn(t, payer)).request(`/billing/business/${metered}`)).text()).toContain("The Team plan is paused: its paid features are off until it resumes.");
    await fake.resume(subscription!.id);
    expect(await t.deps.entitlements.limits(context)).toMatchObject({ plan: { name: "Team" } });
  });
});

describe("events again", () => {
  test("every event delivered twice and in reverse order to a second instance ends in the same state", async () => {
    await fake.settle();
    const twin = await createTestApp({ STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_URL: fakeOrigin });
    try {
      for (const event of [...fake.sent].reverse()) {
        for (let i = 0; i < 2; i++) expect(await fake.deliver("http://localhost/api/billing/webhook", event, SECRET, { fetch: (request) => twin.app.request(request) })).toBe(200);
      }
      const state = async (db: TestApp["deps"]["db"]) => ({
        subscriptions: (await db.select().from(billingSubscriptions).orderBy(billingSubscriptions.id)).map(({ updatedAt, pastDueSince, ...rest }) => rest),
        invoices: (await db.select().from(billingInvoices).orderBy(billingInvoices.id)).map(({ updatedAt, ...rest }) => rest),
      });
      expect(await state(twin.deps.db)).toEqual(await state(t.deps.db));
    } finally {
      twin.close();
    }
  });
});

describe("without Stripe", () => {
  test("the page says billing is not set up; every space has its free plan; nothing breaks", async () => {
    const plain = await createTestApp();
    try {
      const someone = await person(plain, "Sam Solo");
      const html = await (await (await signedIn(plain, someone)).request(`/billing/personal/${someone.id}`)).text();
      expect(html).toContain("Billing is not set up here: every space has its free plan.");
      expect(html).toContain("Plan: Free");
      expect(html).not.toContain("Subscribe to");
      expect(await plain.deps.entitlements.limits(`personal:${someone.id}`)).toMatchObject({ plan: { name: "Free" }, seats: 1 });
      expect((await api(plain, someone, "/api/billing/checkout", { method: "POST", json: { contextId: `personal:${someone.id}`, plan: "personal_plus" } })).status).toBe(404);
    } finally {
      plain.close();
    }
  });
});
