// A small, stateful fake of the parts of Stripe's API that Block on Block calls, for tests without the network: the
// real `stripe` SDK is pointed at it (STRIPE_API_URL). Objects have Stripe's shapes (checked against the SDK's
// types where the tests read them), errors Stripe's body, and a repeated Idempotency-Key replays the first answer.
// This part: the catalog — products (with our own ids) and monthly prices with lookup keys.
import { Hono, type Context } from "hono";
import Stripe from "stripe";
import { parseStripeForm, type FormValue } from "./form";

type StripeObject = Record<string, unknown> & { id: string };

export interface StripeFake {
  app: Hono;
  products: Map<string, StripeObject>;
  prices: Map<string, StripeObject>;
  customers: Map<string, StripeObject>;
  subscriptions: Map<string, StripeObject>;
  /** A Stripe event about `object`, as Stripe would send it (not yet sent). */
  event: (type: string, object: StripeObject) => StripeObject;
  /** Sends `event` to `url` signed with `secret` (Stripe-Signature), as Stripe's webhook delivery does; the answer's status. */
  deliver: (url: string, event: StripeObject, secret: string, options?: { timestamp?: number; fetch?: (request: Request) => Response | Promise<Response> }) => Promise<number>;
  /** How many POSTs created something (not idempotent replays): what "never duplicates" is checked with. */
  creations: () => number;
}

const now = () => Math.floor(Date.now() / 1000);
let counter = 0;
const newId = (prefix: string) => `${prefix}_fake${(++counter).toString(36).padStart(8, "0")}`;

function stripeError(c: Context, status: 400 | 404 | 409, code: string, message: string, param?: string) {
  return c.json({ error: { type: "invalid_request_error", code, message, ...(param ? { param } : {}) } }, status);
}

const text = (v: FormValue | undefined) => (typeof v === "string" ? v : undefined);
const record = (v: FormValue | undefined) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, string>) : {});

export function stripeFake(): StripeFake {
  const products = new Map<string, StripeObject>();
  const prices = new Map<string, StripeObject>();
  const replays = new Map<string, { status: number; body: unknown }>();
  let created = 0;

  const app = new Hono();
  // Idempotency: the same key answers the same again, whatever the body.
  app.use("*", async (c, next) => {
    const key = c.req.method === "POST" ? c.req.header("idempotency-key") : undefined;
    const seen = key ? replays.get(key) : undefined;
    if (seen) return c.json(seen.body as object, seen.status as 200);
    await next();
    if (key) replays.set(key, { status: c.res.status, body: await c.res.clone().json() });
  });
  const form = async (c: Context) => parseStripeForm(new URLSearchParams(await c.req.text()));

  app.post("/v1/products", async (c) => {
    const body = await form(c);
    const id = text(body.id) ?? newId("prod");
    if (products.has(id)) return stripeError(c, 400, "resource_already_exists", `Product already exists.`, "id");
    const product: StripeObject = { id, object: "product", name: text(body.name) ?? "", active: true, metadata: record(body.metadata), created: now(), livemode: false };
    products.set(id, product);
    created++;
    return c.json(product);
  });
  app.get("/v1/products/:id", (c) => {
    const product = products.get(c.req.param("id"));
    return product ? c.json(product) : stripeError(c, 404, "resource_missing", `No such product: '${c.req.param("id")}'`, "id");
  });
  app.post("/v1/products/:id", async (c) => {
    const product = products.get(c.req.param("id"));
    if (!product) return stripeError(c, 404, "resource_missing", `No such product: '${c.req.param("id")}'`, "id");
    const body = await form(c);
    if (text(body.name) !== undefined) product.name = text(body.name);
    if (body.metadata) product.metadata = { ...(product.metadata as object), ...record(body.metadata) };
    return c.json(product);
  });

  app.post("/v1/prices", async (c) => {
    const body = await form(c);
    const product = text(body.product);
    if (!product || !products.has(product)) return stripeError(c, 400, "resource_missing", `No such product: '${product}'`, "product");
    const lookupKey = text(body.lookup_key) ?? null;
    const holder = lookupKey ? [...prices.values()].find((p) => p.lookup_key === lookupKey) : undefined;
    if (holder && text(body.transfer_lookup_key) !== "true") return stripeError(c, 400, "lookup_key_exists", `A price (${holder.id}) already uses that lookup key.`, "lookup_key");
    if (holder) holder.lookup_key = null;
    const recurring = record(body.recurring);
    const price: StripeObject = {
      id: newId("price"),
      object: "price",
      active: true,
      currency: text(body.currency) ?? "usd",
      unit_amount: Number(text(body.unit_amount) ?? 0),
      product,
      lookup_key: lookupKey,
      recurring: recurring.interval ? { interval: recurring.interval, interval_count: Number(recurring.interval_count ?? 1), usage_type: recurring.usage_type ?? "licensed", meter: recurring.meter ?? null } : null,
      type: recurring.interval ? "recurring" : "one_time",
      metadata: record(body.metadata),
      created: now(),
      livemode: false,
    };
    prices.set(price.id, price);
    created++;
    return c.json(price);
  });
  app.get("/v1/prices", (c) => {
    const url = new URL(c.req.url);
    const keys = [...url.searchParams].filter(([k]) => k.startsWith("lookup_keys")).map(([, v]) => v);
    const active = url.searchParams.get("active");
    const product = url.searchParams.get("product");
    const data = [...prices.values()].filter((p) => (keys.length === 0 || keys.includes(p.lookup_key as string)) && (active === null || String(p.active) === active) && (product === null || p.product === product));
    return c.json({ object: "list", data, has_more: false, url: "/v1/prices" });
  });
  app.post("/v1/prices/:id", async (c) => {
    const price = prices.get(c.req.param("id"));
    if (!price) return stripeError(c, 404, "resource_missing", `No such price: '${c.req.param("id")}'`, "id");
    const body = await form(c);
    if (text(body.active) !== undefined) price.active = text(body.active) === "true";
    return c.json(price);
  });

  app.notFound((c) => stripeError(c, 404, "resource_missing", `Unrecognized request URL (${c.req.method}: ${new URL(c.req.url).pathname}).`));
  // --- customers and subscriptions -------------------------------------------------------------------------
  const customers = new Map<string, StripeObject>();
  const subscriptions = new Map<string, StripeObject>();
  app.post("/v1/customers", async (c) => {
    const body = await form(c);
    const customer: StripeObject = { id: newId("cus"), object: "customer", email: text(body.email) ?? null, name: text(body.name) ?? null, metadata: record(body.metadata), created: now(), livemode: false };
    customers.set(customer.id, customer);
    created++;
    return c.json(customer);
  });
  app.get("/v1/customers/:id", (c) => {
    const customer = customers.get(c.req.param("id"));
    return customer ? c.json(customer) : stripeError(c, 404, "resource_missing", `No such customer: '${c.req.param("id")}'`, "id");
  });
  const items = (list: FormValue | undefined, subscription: string) =>
    (Array.isArray(list) ? list : Object.values(record(list) as Record<string, FormValue>)).map((entry) => {
      const item = record(entry as FormValue);
      const price = prices.get(item.price ?? "");
      const start = now();
      return { id: newId("si"), object: "subscription_item", subscription, quantity: Number(item.quantity ?? 1), price, current_period_start: start, current_period_end: start + 30 * 86_400, created: start };
    });
  app.post("/v1/subscriptions", async (c) => {
    const body = await form(c);
    const customer = text(body.customer);
    if (!customer || !customers.has(customer)) return stripeError(c, 400, "resource_missing", `No such customer: '${customer}'`, "customer");
    const id = newId("sub");
    const list = items(body.items, id);
    if (list.some((i) => !i.price)) return stripeError(c, 400, "resource_missing", "No such price", "items");
    const subscription: StripeObject = { id, object: "subscription", customer, status: "active", cancel_at_period_end: false, metadata: record(body.metadata), items: { object: "list", data: list, has_more: false }, created: now(), livemode: false };
    subscriptions.set(id, subscription);
    created++;
    return c.json(subscription);
  });
  app.get("/v1/subscriptions/:id", (c) => {
    const subscription = subscriptions.get(c.req.param("id"));
    return subscription ? c.json(subscription) : stripeError(c, 404, "resource_missing", `No such subscription: '${c.req.param("id")}'`, "id");
  });
  app.post("/v1/subscriptions/:id", async (c) => {
    const subscription = subscriptions.get(c.req.param("id"));
    if (!subscription) return stripeError(c, 404, "resource_missing", `No such subscription: '${c.req.param("id")}'`, "id");
    const body = await form(c);
    if (text(body.cancel_at_period_end) !== undefined) subscription.cancel_at_period_end = text(body.cancel_at_period_end) === "true";
    if (body.metadata) subscription.metadata = { ...(subscription.metadata as object), ...record(body.metadata) };
    return c.json(subscription);
  });
  app.delete("/v1/subscriptions/:id", (c) => {
    const subscription = subscriptions.get(c.req.param("id"));
    if (!subscription) return stripeError(c, 404, "resource_missing", `No such subscription: '${c.req.param("id")}'`, "id");
    subscription.status = "canceled";
    subscription.canceled_at = now();
    return c.json(subscription);
  });

  const event = (type: string, object: StripeObject): StripeObject => ({ id: newId("evt"), object: "event", type, api_version: "2026-01-28", created: now(), livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object: structuredClone(object) } });
  const signer = new Stripe("sk_test_fake_signer", { httpClient: Stripe.createFetchHttpClient() });
  const deliver: StripeFake["deliver"] = async (url, evt, secret, options = {}) => {
    const payload = JSON.stringify(evt, null, 2);
    const header = await signer.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp: options.timestamp ?? now(), cryptoProvider: Stripe.createSubtleCryptoProvider() });
    const request = new Request(url, { method: "POST", headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": header, "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" }, body: payload });
    return (await (options.fetch ?? fetch)(request)).status;
  };

  return { app, products, prices, customers, subscriptions, event, deliver, creations: () => created };
}
