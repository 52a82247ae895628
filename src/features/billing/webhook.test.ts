// Stripe's webhooks against the fake Stripe (tests/stripe-fake), with the real SDK on both sides (it signs, we check):
// a paid module's 402 lifts when its subscription's event arrives; the same event twice, a bad or stale signature,
// events in reverse order, and events we do not act on all end where Stripe's state says — with nothing written for
// a refused one.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq } from "drizzle-orm";
import { stripeFake, type StripeFake } from "../../../tests/stripe-fake/app";
import { createTestApp, type TestApp } from "../../test/app";
import { api, business, json, person, type Person } from "../../test/people";
import { platformAdmin, poster } from "../modules/modules.fixture";
import { billingEvents, billingSubscriptions } from "./schema";

const SECRET = "whsec_test_billing";
let fake: StripeFake;
let server: ReturnType<typeof Bun.serve>;
let t: TestApp;
let owner: Person;
let acme: string;
let moduleId: string;
let priceId: string;
const post = poster(() => t);

beforeAll(async () => {
  fake = stripeFake();
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: fake.app.fetch });
  t = await createTestApp({ STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_URL: `http://127.0.0.1:${server.port}` });
  const admin = await platformAdmin(t);
  const dev = await person(t, "Dana Dev");
  owner = await person(t, "Olive Owner");
  acme = await business(t, owner, [], "Acme");
  await post(dev, "/api/developer");
  const made = await json(post(dev, "/api/developer/modules", { slug: "paid-notes", name: "Paid Notes", description: "Notes, for money.", category: "productivity", contexts: ["business"] }), 201);
  moduleId = made.module.id;
  await json(post(dev, `/api/developer/modules/${moduleId}/versions`, { version: "1.0.0", manifest: { entryUrl: "https://paid.example.com/", scopes: [], pricing: { model: "per_context", monthlyAmount: 900, currency: "eur" } } }), 201);
  await json(post(admin, `/api/admin/modules/${moduleId}/versions/1.0.0/approve`), 200);
  await json(post(owner, `/api/modules/${moduleId}/installs`, { context: `business:${acme}`, scopes: [] }), 201);
  const stripe = t.deps.stripe!;
  await stripe.products.create({ id: `bob_module_${moduleId}`, name: "Paid Notes", metadata: { module: moduleId } });
  priceId = (await stripe.prices.create({ product: `bob_module_${moduleId}`, unit_amount: 900, currency: "eur", recurring: { interval: "month" }, metadata: { module: moduleId } })).id;
});
afterAll(() => {
  t.close();
  server.stop(true);
});

const deliver = (event: Record<string, unknown> & { id: string }, options: { secret?: string; timestamp?: number } = {}) =>
  fake.deliver("http://localhost/api/billing/webhook", event as never, options.secret ?? SECRET, { timestamp: options.timestamp, fetch: (request) => t.app.request(request) });
const runtime = () => api(t, owner, `/api/modules/${moduleId}/runtime?context=business%3A${acme}`);
const eventCount = async () => (await t.deps.db.select({ n: count() }).from(billingEvents))[0]!.n;

describe("the billing webhook", () => {
  let subscriptionId: string;

  test("a subscription's event turns the paid module on; the same event again changes nothing", async () => {
    expect((await runtime()).status).toBe(402);
    const stripe = t.deps.stripe!;
    const customer = await stripe.customers.create({ name: "Acme" });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: priceId }], metadata: { context: `business:${acme}` } });
    subscriptionId = subscription.id;
    const created = fake.event("customer.subscription.created", fake.subscriptions.get(subscription.id)!);
    expect(await deliver(created)).toBe(200);
    expect((await runtime()).status).toBe(200);
    const [row] = await t.deps.db.select().from(billingSubscriptions).where(eq(billingSubscriptions.id, subscription.id));
    expect(row).toMatchObject({ context: `business:${acme}`, status: "active", items: [{ priceId, quantity: 1, moduleId, planId: null }] });
    const before = await eventCount();
    expect(await deliver(created)).toBe(200);
    expect(await eventCount()).toBe(before);
  });

  test("refused: a wrong secret, a stale timestamp, no signature — 400 and nothing written", async () => {
    const event = fake.event("customer.subscription.updated", fake.subscriptions.get(subscriptionId)!);
    const before = await eventCount();
    expect(await deliver(event, { secret: "whsec_someone_else" })).toBe(400);
    expect(await deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 301 })).toBe(400);
    const unsigned = await t.app.request("/api/billing/webhook", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(event) });
    expect(unsigned.status).toBe(400);
    expect((await unsigned.json()).error.code).toBe("bad_signature");
    expect(await eventCount()).toBe(before);
  });

  test("events in reverse order end as Stripe's state is: cancelled, and the module locked again", async () => {
    const stripe = t.deps.stripe!;
    const updated = fake.event("customer.subscription.updated", (await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true })) as never);
    await stripe.subscriptions.cancel(subscriptionId);
    const deleted = fake.event("customer.subscription.deleted", fake.subscriptions.get(subscriptionId)!);
    expect(await deliver(deleted)).toBe(200);
    expect(await deliver(updated)).toBe(200); // older, arriving last: the subscription is read again, still cancelled
    const [row] = await t.deps.db.select().from(billingSubscriptions).where(eq(billingSubscriptions.id, subscriptionId));
    expect(row!.status).toBe("canceled");
    expect((await runtime()).status).toBe(402);
  });

  test("an event we do not act on is acknowledged and recorded once", async () => {
    const customer = await t.deps.stripe!.customers.create({ name: "Someone" });
    const other = fake.event("customer.created", fake.customers.get(customer.id)!);
    expect(await deliver(other)).toBe(200);
    const [row] = await t.deps.db.select().from(billingEvents).where(eq(billingEvents.id, other.id));
    expect(row).toMatchObject({ type: "customer.created", outcome: "acknowledged" });
  });
});

describe("without Stripe", () => {
  test("the webhook says billing is off; paid modules stay locked, nothing breaks", async () => {
    const plain = await createTestApp();
    try {
      const answer = await plain.app.request("/api/billing/webhook", { method: "POST", body: "{}" });
      expect(answer.status).toBe(404);
      expect(plain.deps.stripe).toBeNull();
    } finally {
      plain.close();
    }
  });
});
