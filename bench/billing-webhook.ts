// Webhook throughput: the real server (production mode) receives Stripe's signed events at 50 at a time — four in
// five new, one in five a duplicate of an earlier one, as Stripe's retries make them — and for each new one re-reads
// the subscription from "Stripe" (the fake, in its own process) and writes it with the event in one transaction.
// The same client against a bare Bun.serve hello world gives the baseline. Only talks to 127.0.0.1.
//
//   npm run bench:webhook                 # 4,000 deliveries
//   BENCH_EVENTS=10000 npm run bench:webhook
import Stripe from "stripe";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 4000);
const CONCURRENCY = 50;
const SECRET = "whsec_bench";
const root = join(import.meta.dir, "..");
const bun = process.execPath;
const dir = mkdtempSync(join(tmpdir(), "bench-webhook-"));
const children: ReturnType<typeof Bun.spawn>[] = [];

function freePort(): number {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

async function start(name: string, args: string[], env: Record<string, string>, ready: string) {
  const child = Bun.spawn([bun, ...args], { cwd: root, env: { PATH: process.env.PATH ?? "", ...env }, stdout: "ignore", stderr: "inherit" });
  children.push(child);
  for (let i = 0; i < 300; i++) {
    if (await fetch(ready).then((r) => r.ok, () => false)) return;
    await Bun.sleep(100);
  }
  throw new Error(`${name} did not start`);
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function drive(requests: (() => Request)[]) {
  const times: number[] = [];
  let next = 0;
  let failed = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const request = requests[next++]!();
        const t0 = performance.now();
        const response = await fetch(request);
        await response.arrayBuffer();
        times.push(performance.now() - t0);
        if (response.status !== 200) failed++;
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  times.sort((a, b) => a - b);
  return { perSecond: requests.length / seconds, p50: percentile(times, 50), p99: percentile(times, 99), failed };
}

try {
  const stripePort = freePort();
  await start("the Stripe fake", ["bench/stripe-fake-server.ts"], { PORT: String(stripePort) }, `http://127.0.0.1:${stripePort}/favicon.ico`);
  const appPort = freePort();
  const app = `http://127.0.0.1:${appPort}`;
  const stripeUrl = `http://127.0.0.1:${stripePort}`;
  await start(
    "the server",
    ["src/runtime/bun.ts"],
    { TZ: "UTC", NODE_ENV: "production", PUBLIC_URL: app, SECRET_KEYS: `bench:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`, RATE_LIMIT: "off", LOG_LEVEL: "silent", PORT: String(appPort), DATABASE_URL: `file:${join(dir, "bench.db")}`, STRIPE_SECRET_KEY: "sk_test_bench", STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_URL: stripeUrl },
    `${app}/health`,
  );
  const helloPort = freePort();
  await start("the hello world", ["bench/hello.ts"], { PORT: String(helloPort) }, `http://127.0.0.1:${helloPort}/`);

  // A subscription in "Stripe", and the events about it.
  const stripe = new Stripe("sk_test_bench", { httpClient: Stripe.createFetchHttpClient(), host: "127.0.0.1", port: stripePort, protocol: "http" });
  await stripe.products.create({ id: "bench_product", name: "Bench" });
  const price = await stripe.prices.create({ product: "bench_product", unit_amount: 900, currency: "usd", recurring: { interval: "month" } });
  const customer = await stripe.customers.create({ name: "Bench" });
  const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], metadata: { context: "business:benchbusiness" } });
  const payloads: string[] = [];
  for (let i = 0; i < EVENTS; i++) {
    // One in five: an earlier event again.
    if (i > 10 && i % 5 === 0) payloads.push(payloads[Math.floor(Math.random() * i)]!);
    else payloads.push(JSON.stringify({ id: `evt_bench_${i}`, object: "event", type: "customer.subscription.updated", api_version: "2026-01-28", created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object: { id: subscription.id, object: "subscription" } } }));
  }
  const signer = new Stripe("sk_test_signer", { httpClient: Stripe.createFetchHttpClient() });
  const provider = Stripe.createSubtleCryptoProvider();
  const signed = await Promise.all(payloads.map(async (payload) => ({ payload, header: await signer.webhooks.generateTestHeaderStringAsync({ payload, secret: SECRET, cryptoProvider: provider }) })));

  const hello = await drive(signed.map(({ payload }) => () => new Request(`http://127.0.0.1:${helloPort}/`, { method: "POST", body: payload })));
  const webhook = await drive(signed.map(({ payload, header }) => () => new Request(`${app}/api/billing/webhook`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": header }, body: payload })));
  const duplicates = payloads.length - new Set(payloads).size;
  console.log(`| target | deliveries | duplicates | per second | p50 ms | p99 ms | p99 × hello | not 200 |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|---:|`);
  console.log(`| hello world (same client) | ${EVENTS} | – | ${hello.perSecond.toFixed(0)} | ${hello.p50.toFixed(2)} | ${hello.p99.toFixed(2)} | 1.0 | ${hello.failed} |`);
  console.log(`| POST /api/billing/webhook | ${EVENTS} | ${duplicates} | ${webhook.perSecond.toFixed(0)} | ${webhook.p50.toFixed(2)} | ${webhook.p99.toFixed(2)} | ${(webhook.p99 / hello.p99).toFixed(1)} | ${webhook.failed} |`);
  if (webhook.failed) process.exitCode = 1;
} finally {
  for (const child of children) child.kill();
  await Promise.all(children.map((c) => c.exited));
  rmSync(dir, { recursive: true, force: true });
}
