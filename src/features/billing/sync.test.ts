// `billing:sync` with the real stripe SDK against the fake Stripe (tests/stripe-fake) over loopback, the production
// code path with only STRIPE_API_URL changed: the first run creates each paid plan's product and price, the second
// creates nothing, a changed amount makes one new price that takes the lookup key over and archives the old, and a
// run cut off half-way and started again duplicates nothing. The plan list's own rules are checked too.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type Stripe from "stripe";
import { stripeFake, type StripeFake } from "../../../tests/stripe-fake/app";
import { parseConfig } from "../../config";
import { freePlan, PLANS, planProblems, priceLookupKey, productId, type Plan } from "./plans";
import { stripeClient } from "./stripe-client";
import { syncCatalog } from "./sync";

let fake: StripeFake;
let server: ReturnType<typeof Bun.serve>;
let stripe: Stripe;

beforeAll(() => {
  fake = stripeFake();
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: fake.app.fetch });
  stripe = stripeClient(parseConfig({ NODE_ENV: "test", STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_API_URL: `http://127.0.0.1:${server.port}` }))!;
});
afterAll(() => server.stop(true));

const paid = PLANS.filter((p) => p.monthlyAmount > 0);

describe("plans", () => {
  test("the configured plans are valid: one free plan per kind of space, plain ids, whole amounts", () => {
    expect(planProblems(PLANS)).toEqual([]);
    expect(freePlan("business").id).toBe("business_free");
    expect(planProblems([...PLANS, { ...PLANS[0]!, id: "business_other" }, { ...PLANS[1]!, monthlyAmount: 12.5 }])).toEqual(["business_team: listed twice", "business_team: the amount is whole minor units, 0 or more", "business: needs exactly one free plan (has 2)"]);
  });

  test("without a secret key there is no Stripe client (billing is simply off)", () => {
    expect(stripeClient(parseConfig({ NODE_ENV: "test" }))).toBeNull();
  });
});

describe("billing:sync", () => {
  test("creates each paid plan's product and monthly price once; a second run creates nothing", async () => {
    const first = await syncCatalog(stripe, PLANS);
    expect(first.created.length).toBe(paid.length * 2 + 2); // and the meter of module API calls, and its metered price
    expect(first.created).toEqual(expect.arrayContaining(["meter bob_module_api_calls", "price bob_module_api_calls_metered"]));
    const [metered] = (await stripe.prices.list({ lookup_keys: ["bob_module_api_calls_metered"] })).data;
    expect({ ...metered }).toMatchObject({ recurring: { usage_type: "metered", interval: "month" }, billing_scheme: "tiered", tiers_mode: "graduated" });
    // The first 100,000 calls included, then a tenth of a cent each (the SDK reads the decimal as its Decimal).
    expect(metered!.tiers!.map((t) => [t.up_to, String(t.unit_amount_decimal)])).toEqual([[100000, "0"], [null, "0.01"]]);
    for (const plan of paid) {
      // A copy: bun's toMatchObject writes its matchers into the object it is given.
      expect({ ...fake.products.get(productId(plan)) }).toMatchObject({ name: expect.stringContaining(plan.name), metadata: { plan: plan.id } });
      const [price] = (await stripe.prices.list({ lookup_keys: [priceLookupKey(plan)] })).data;
      expect(price).toMatchObject({ unit_amount: plan.monthlyAmount, currency: "usd", recurring: { interval: "month" }, product: productId(plan), active: true });
    }
    const creations = fake.creations();
    const second = await syncCatalog(stripe, PLANS);
    expect(second).toEqual({ created: [], updated: [], kept: expect.any(Array) });
    expect(second.kept.length).toBe(paid.length * 2 + 2);
    expect(fake.creations()).toBe(creations);
  });

  test("a new amount: one new price holds the lookup key, the old one is archived (subscriptions keep it)", async () => {
    const team = paid.find((p) => p.id === "business_team")!;
    const [before] = (await stripe.prices.list({ lookup_keys: [priceLookupKey(team)] })).data;
    const raised: Plan[] = PLANS.map((p) => (p.id === team.id ? { ...p, monthlyAmount: 3900 } : p));
    const report = await syncCatalog(stripe, raised);
    expect(report.created).toEqual([]);
    expect(report.updated).toEqual([`price ${priceLookupKey(team)} (2900 → 3900 usd)`, `price ${before!.id} archived (2900 usd)`]);
    const [after] = (await stripe.prices.list({ lookup_keys: [priceLookupKey(team)] })).data;
    expect(after!.id).not.toBe(before!.id);
    expect(after!.unit_amount).toBe(3900);
    expect({ ...fake.prices.get(before!.id) }).toMatchObject({ active: false, lookup_key: null, unit_amount: 2900 });
    expect((await syncCatalog(stripe, raised)).updated).toEqual([]);
  });

  test("a run cut off after creating a price is finished by the next without a duplicate (idempotency keys)", async () => {
    const plus = paid.find((p) => p.id === "personal_plus")!;
    const changed: Plan[] = [{ ...plus, monthlyAmount: 499 }];
    // The first attempt dies after Stripe made the price but before the old one was archived.
    const realUpdate = stripe.prices.update.bind(stripe.prices);
    stripe.prices.update = (() => Promise.reject(new Error("connection reset"))) as typeof stripe.prices.update;
    await expect(syncCatalog(stripe, changed)).rejects.toThrow("connection reset");
    stripe.prices.update = realUpdate;
    const count = fake.creations();
    await syncCatalog(stripe, changed);
    expect(fake.creations()).toBe(count);
    const live = [...fake.prices.values()].filter((p) => p.product === productId(plus) && p.active);
    expect(live.map((p) => p.unit_amount)).toEqual([499]);
  });

  test("back to an earlier amount: a fresh price takes the key (not the archived one of the first request)", async () => {
    const team = paid.find((p) => p.id === "business_team")!; // at 3900 since the test above
    const report = await syncCatalog(stripe, [team]);
    expect(report.updated[0]).toBe(`price ${priceLookupKey(team)} (3900 → 2900 usd)`);
    const [holder] = (await stripe.prices.list({ lookup_keys: [priceLookupKey(team)] })).data;
    expect(holder).toMatchObject({ unit_amount: 2900, active: true });
    const active = [...fake.prices.values()].filter((p) => p.product === productId(team) && p.active);
    expect(active.map((p) => p.id)).toEqual([holder!.id]);
  });
});

describe("npm run billing:sync", () => {
  test("the command syncs (nothing left to do here) and says so; without a key it explains and fails", async () => {
    // Async: the fake answers from this very process.
    const run = async (env: Record<string, string>) => {
      const child = Bun.spawn([process.execPath, "src/runtime/billing-sync-cli.ts"], { env: { PATH: process.env.PATH ?? "", TZ: "UTC", NODE_ENV: "development", ...env }, stdout: "pipe", stderr: "pipe" });
      const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
      return { stdout, stderr, exitCode };
    };
    const synced = await run({ STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_API_URL: `http://127.0.0.1:${server.port}` });
    expect(synced.exitCode).toBe(0);
    // The tests above left personal_plus at 4.99: the configured 3.99 comes back.
    expect(synced.stdout).toContain("0 created, 2 updated, 9 already right.");
    const again = await run({ STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_API_URL: `http://127.0.0.1:${server.port}` });
    expect(again.stdout).toContain("0 created, 0 updated, 10 already right.");
    const missing = await run({});
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain("STRIPE_SECRET_KEY is not set");
  });
});
