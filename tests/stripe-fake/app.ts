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
  checkoutSessions: Map<string, StripeObject>;
  invoices: Map<string, StripeObject>;
  /** Where this "Stripe" sends its events as they happen (as a webhook endpoint in Stripe's dashboard); none: kept only. */
  webhook: { url: string; secret: string; fetch?: (request: Request) => Response | Promise<Response>; clock?: () => number } | null;
  /** Every event this fake made, oldest first (to deliver again, twice or out of order). */
  sent: StripeObject[];
  /** Resolves when the events made so far have been delivered. */
  settle: () => Promise<void>;
  /** The next period of a subscription: a new invoice, paid — or, with `fail`, not paid (the subscription goes past_due); after a failure, a retry that pays the open invoice. */
  renew: (subscriptionId: string, options?: { fail?: boolean }) => Promise<StripeObject>;
  /** A subscription paused, or resumed (as a trial without a card ends, or its customer resumes it); sends the event. */
  pause: (subscriptionId: string) => Promise<void>;
  resume: (subscriptionId: string) => Promise<void>;
  charges: Map<string, StripeObject>;
  transfers: Map<string, StripeObject>;
  reversals: Map<string, StripeObject>;
  accounts: Map<string, StripeObject>;
  disputes: Map<string, StripeObject>;
  /** A dispute on a charge: its amount withdrawn with Stripe's dispute fee; sends charge.dispute.funds_withdrawn. */
  dispute: (chargeId: string, amount: number) => Promise<StripeObject>;
  /** The dispute won: the amount given back (the fee too); sends charge.dispute.funds_reinstated. */
  winDispute: (disputeId: string) => Promise<StripeObject>;
  meters: Map<string, StripeObject>;
  /** Meter events as Stripe counts them: one per identifier. */
  meterEvents: Map<string, StripeObject>;
  /** Refunds part of a charge (the fee stays with Stripe, as it does); sends charge.refunded. */
  refund: (chargeId: string, amount: number) => Promise<StripeObject>;
}

/** What the fake's Stripe keeps of a payment: 2.9% + 30 minor units, as a card payment costs. */
export const feeOf = (amount: number) => Math.round(amount * 0.029) + 30;
export const DISPUTE_FEE = 1500;

const now = () => Math.floor(Date.now() / 1000);
const PERIOD = 30 * 86_400;
/** The card that is declined on the hosted checkout page (Stripe's test card for a generic decline). */
export const DECLINED_CARD = "4000000000000002";
const escape = (value: unknown) => String(value ?? "").replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const money = (amount: number, currency: string) => `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
let counter = 0;
const newId = (prefix: string) => `${prefix}_fake${(++counter).toString(36).padStart(8, "0")}`;

function stripeError(c: Context, status: 400 | 404 | 409, code: string, message: string, param?: string) {
  return c.json({ error: { type: "invalid_request_error", code, message, ...(param ? { param } : {}) } }, status);
}

/** GET /v1/<things>/:id: the object as kept, or Stripe's 404 naming it. */
const retrieve = (kept: Map<string, StripeObject>, name: string, param = "id") => (c: Context) => {
  const found = kept.get(c.req.param("id") ?? "");
  return found ? c.json(found) : stripeError(c, 404, "resource_missing", `No such ${name}: '${c.req.param("id")}'`, param);
};

const text = (v: FormValue | undefined) => (typeof v === "string" ? v : undefined);
const record = (v: FormValue | undefined) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, string>) : {});

export function stripeFake(): StripeFake {
  const products = new Map<string, StripeObject>();
  const prices = new Map<string, StripeObject>();
  const replays = new Map<string, { status: number; body: unknown }>();
  let created = 0;

  const app = new Hono();
  // Where this fake answers (the hosted pages' and invoices' addresses), from the first request it gets.
  let fakeOrigin = "";
  // Idempotency: the same key answers the same again, whatever the body; while the first is still being answered,
  // another with its key gets Stripe's 409 (the SDK retries it, and then gets the first answer).
  const inFlight = new Set<string>();
  app.use("*", async (c, next) => {
    fakeOrigin ||= new URL(c.req.url).origin;
    const key = c.req.method === "POST" ? c.req.header("idempotency-key") : undefined;
    const seen = key ? replays.get(key) : undefined;
    if (seen) return c.json(seen.body as object, seen.status as 200, { "idempotent-replayed": "true" });
    if (key && inFlight.has(key)) return c.json({ error: { type: "idempotency_error", code: "idempotency_key_in_use", message: "There is currently another in-progress request using this idempotency key." } }, 409);
    if (key) inFlight.add(key);
    try {
      await next();
      if (key) replays.set(key, { status: c.res.status, body: await c.res.clone().json() });
    } finally {
      if (key) inFlight.delete(key);
    }
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
  app.get("/v1/products/:id", retrieve(products, "product", "id"));
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
      billing_scheme: text(body.billing_scheme) ?? "per_unit",
      tiers_mode: text(body.tiers_mode) ?? null,
      tiers: (Array.isArray(body.tiers) ? body.tiers : Object.values(record(body.tiers) as Record<string, FormValue>)).map((tier) => {
        const t = record(tier as FormValue);
        return { up_to: t.up_to === "inf" ? null : Number(t.up_to), unit_amount: t.unit_amount === undefined ? null : Number(t.unit_amount), unit_amount_decimal: t.unit_amount_decimal ?? t.unit_amount ?? null, flat_amount: null };
      }),
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

  // Browsers ask the hosted pages' origin for an icon.
  app.get("/favicon.ico", (c) => c.body(null, 204));
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
  app.get("/v1/customers/:id", retrieve(customers, "customer", "id"));
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
  app.get("/v1/subscriptions/:id", retrieve(subscriptions, "subscription", "id"));
  app.post("/v1/subscriptions/:id", async (c) => {
    const subscription = subscriptions.get(c.req.param("id"));
    if (!subscription) return stripeError(c, 404, "resource_missing", `No such subscription: '${c.req.param("id")}'`, "id");
    const body = await form(c);
    if (text(body.cancel_at_period_end) !== undefined) subscription.cancel_at_period_end = text(body.cancel_at_period_end) === "true";
    if (body.metadata) subscription.metadata = { ...(subscription.metadata as object), ...record(body.metadata) };
    // A price change of an item: with proration, the rest of the period is charged at the difference at once.
    const changes = (Array.isArray(body.items) ? body.items : Object.values(record(body.items) as Record<string, FormValue>)).map((entry) => record(entry as FormValue));
    const prorations: Parameters<typeof makeInvoice>[2] = [];
    for (const change of changes) {
      const item = (subscription.items as { data: { id: string; quantity: number; price: StripeObject; current_period_start: number; current_period_end: number }[] }).data.find((i) => i.id === change.id);
      const price = prices.get(change.price ?? "");
      if (!item || !price) return stripeError(c, 400, "resource_missing", "No such subscription item or price", "items");
      const left = Math.max(0, item.current_period_end - now()) / (item.current_period_end - item.current_period_start);
      const oldAmount = Number(item.price.unit_amount) * item.quantity;
      item.price = price;
      if (change.quantity) item.quantity = Number(change.quantity);
      const newAmount = Number(price.unit_amount) * item.quantity;
      if (text(body.proration_behavior) !== "none") {
        prorations.push({ amount: -Math.round(oldAmount * left), price: price, quantity: item.quantity, item: item.id, proration: true, description: "Unused time" });
        prorations.push({ amount: Math.round(newAmount * left), price, quantity: item.quantity, item: item.id, proration: true, description: "Remaining time" });
      }
    }
    emit("customer.subscription.updated", subscription);
    if (prorations.length && text(body.proration_behavior) === "always_invoice") {
      const invoice = makeInvoice(originOf(c), subscription, prorations, "subscription_update", true);
      emit("invoice.created", invoice);
      emit("invoice.paid", invoice);
    }
    return c.json(subscription);
  });
  app.delete("/v1/subscriptions/:id", (c) => {
    const subscription = subscriptions.get(c.req.param("id"));
    if (!subscription) return stripeError(c, 404, "resource_missing", `No such subscription: '${c.req.param("id")}'`, "id");
    subscription.status = "canceled";
    subscription.canceled_at = now();
    emit("customer.subscription.deleted", subscription);
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

  // --- events, sent as they happen, one after another (as Stripe does, without promising the order) -------------
  const sent: StripeObject[] = [];
  let queue: Promise<void> = Promise.resolve();
  const fake = { webhook: null as StripeFake["webhook"] };
  const emit = (type: string, object: StripeObject) => {
    const evt = event(type, object);
    sent.push(evt);
    const hook = fake.webhook;
    if (hook) queue = queue.then(() => deliver(hook.url, evt, hook.secret, { fetch: hook.fetch, timestamp: hook.clock ? Math.floor(hook.clock() / 1000) : undefined }).then(() => undefined, (error) => console.error("stripe fake: delivery failed", error)));
  };

  // --- invoices --------------------------------------------------------------------------------------------------
  const invoices = new Map<string, StripeObject>();
  let invoiceNumber = 0;
  const makeInvoice = (origin: string, subscription: StripeObject, lines: { amount: number; price: StripeObject; quantity: number; item: string; proration: boolean; description: string }[], reason: string, paid: boolean): StripeObject => {
    const id = newId("in");
    const total = lines.reduce((sum, l) => sum + l.amount, 0);
    const currency = String(lines[0]?.price.currency ?? "usd");
    const start = now();
    const invoice: StripeObject = {
      id,
      object: "invoice",
      customer: subscription.customer,
      currency,
      number: `FAKE-${String(++invoiceNumber).padStart(4, "0")}`,
      status: paid ? "paid" : "open",
      billing_reason: reason,
      subtotal: total,
      total,
      total_taxes: [],
      // A credit (a downgrade's proration) is owed nothing: it goes to the customer's balance, as Stripe does.
      amount_due: Math.max(0, total),
      amount_paid: paid ? Math.max(0, total) : 0,
      amount_remaining: paid ? 0 : Math.max(0, total),
      attempt_count: 1,
      hosted_invoice_url: `${origin}/i/${id}`,
      invoice_pdf: `${origin}/i/${id}/pdf`,
      created: start,
      period_start: start,
      period_end: start + PERIOD,
      parent: { type: "subscription_details", subscription_details: { subscription: subscription.id, metadata: subscription.metadata } },
      lines: {
        object: "list",
        has_more: false,
        data: lines.map((l) => ({
          id: newId("il"),
          object: "line_item",
          amount: l.amount,
          currency,
          description: l.description,
          quantity: l.quantity,
          period: { start, end: start + PERIOD },
          pricing: { type: "price_details", price_details: { price: l.price.id, product: l.price.product }, unit_amount_decimal: String(l.price.unit_amount) },
          parent: { type: "subscription_item_details", subscription_item_details: { subscription: subscription.id, subscription_item: l.item, proration: l.proration } },
          metadata: {},
        })),
      },
      metadata: {},
      livemode: false,
    };
    invoices.set(id, invoice);
    if (paid && total > 0) pay(invoice);
    return invoice;
  };
  // A paid invoice's payment: a charge with its balance transaction (what Stripe kept), listed as the invoice's payment.
  const charges = new Map<string, StripeObject>();
  const invoicePayments = new Map<string, StripeObject>();
  const pay = (invoice: StripeObject) => {
    const amount = Number(invoice.amount_paid);
    const fee = feeOf(amount);
    const charge: StripeObject = {
      id: newId("ch"),
      object: "charge",
      amount,
      amount_captured: amount,
      amount_refunded: 0,
      refunded: false,
      currency: invoice.currency,
      customer: invoice.customer,
      paid: true,
      status: "succeeded",
      balance_transaction: { id: newId("txn"), object: "balance_transaction", amount, fee, net: amount - fee, currency: invoice.currency, type: "charge" },
      refunds: { object: "list", data: [], has_more: false },
      created: now(),
      livemode: false,
    };
    charges.set(charge.id, charge);
    const payment: StripeObject = { id: newId("inpay"), object: "invoice_payment", invoice: invoice.id, amount_paid: amount, amount_requested: amount, currency: invoice.currency, is_default: true, status: "paid", payment: { type: "charge", charge: charge.id }, created: now(), livemode: false };
    invoicePayments.set(payment.id, payment);
  };
  // A metered price is billed in arrears from its meter's events: graduated tiers over the period's usage.
  const isMetered = (price: StripeObject) => (price.recurring as { usage_type?: string } | null)?.usage_type === "metered";
  const usageSince = (price: StripeObject, customer: unknown, since: number) => {
    const meter = meters.get(String((price.recurring as { meter: string }).meter));
    return [...meterEvents.values()].filter((e) => e.event_name === meter?.event_name && (e.payload as { stripe_customer_id: string }).stripe_customer_id === customer && Number(e.timestamp) >= since).reduce((sum, e) => sum + Number((e.payload as { value: string }).value), 0);
  };
  const tieredAmount = (price: StripeObject, quantity: number) => {
    let left = quantity;
    let below = 0;
    let cents = 0;
    for (const tier of price.tiers as { up_to: number | null; unit_amount_decimal: string | null }[]) {
      const size = tier.up_to === null ? left : Math.min(left, tier.up_to - below);
      cents += size * Number(tier.unit_amount_decimal ?? 0);
      left -= size;
      below = tier.up_to ?? below;
      if (left <= 0) break;
    }
    return Math.round(cents);
  };
  const itemLines = (subscription: StripeObject, options: { arrears?: boolean } = {}) =>
    ((subscription.items as { data: { id: string; quantity?: number; price: StripeObject; current_period_start: number }[] }).data).map((i) => {
      const name = String(products.get(String(i.price.product))?.name ?? i.price.product);
      if (!isMetered(i.price)) return { amount: Number(i.price.unit_amount) * (i.quantity ?? 1), price: i.price, quantity: i.quantity ?? 1, item: i.id, proration: false, description: `${i.quantity ?? 1} × ${name}` };
      const used = options.arrears ? usageSince(i.price, subscription.customer, i.current_period_start) : 0;
      return { amount: tieredAmount(i.price, used), price: i.price, quantity: used, item: i.id, proration: false, description: `${used} × ${name} (metered)` };
    });
  const originOf = (c: Context) => new URL(c.req.url).origin;
  app.get("/v1/invoices/:id", retrieve(invoices, "invoice", "id"));
  app.get("/v1/invoices", (c) => {
    const customer = c.req.query("customer");
    const data = [...invoices.values()].filter((i) => !customer || i.customer === customer).reverse();
    return c.json({ object: "list", data, has_more: false, url: "/v1/invoices" });
  });
  app.get("/i/:id", (c) => {
    const invoice = invoices.get(c.req.param("id"));
    if (!invoice) return c.text("No such invoice", 404);
    return c.html(`<!doctype html><title>Invoice ${escape(invoice.number)}</title><h1>Invoice ${escape(invoice.number)}</h1><p>${escape(money(Number(invoice.total), String(invoice.currency)))} — ${escape(invoice.status)}</p>`);
  });
  app.get("/i/:id/pdf", (c) => (invoices.has(c.req.param("id")) ? c.body("%PDF-1.4 fake", 200, { "content-type": "application/pdf" }) : c.text("No such invoice", 404)));

  const renew: StripeFake["renew"] = async (subscriptionId, options = {}) => {
    const subscription = subscriptions.get(subscriptionId);
    if (!subscription) throw new Error(`no subscription ${subscriptionId}`);
    // A retry that succeeds pays the invoice that failed, as Stripe's retries do.
    const open = [...invoices.values()].find((i) => i.status === "open" && (i.parent as { subscription_details: { subscription: string } }).subscription_details.subscription === subscriptionId);
    if (open && !options.fail) {
      Object.assign(open, { status: "paid", amount_paid: open.amount_due, amount_remaining: 0, attempt_count: Number(open.attempt_count) + 1 });
      pay(open);
      subscription.status = "active";
      emit("invoice.paid", open);
      emit("customer.subscription.updated", subscription);
      await queue;
      return open;
    }
    const invoice = makeInvoice(fakeOrigin, subscription, itemLines(subscription, { arrears: true }), "subscription_cycle", !options.fail);
    for (const item of (subscription.items as { data: Record<string, number>[] }).data) {
      item.current_period_start = now();
      item.current_period_end = now() + PERIOD;
    }
    emit("invoice.created", invoice);
    if (options.fail) {
      subscription.status = "past_due";
      emit("invoice.payment_failed", invoice);
      emit("customer.subscription.updated", subscription);
    } else {
      subscription.status = "active";
      emit("invoice.paid", invoice);
    }
    await queue;
    return invoice;
  };

  app.get("/v1/invoice_payments", (c) => {
    const invoice = c.req.query("invoice");
    const data = [...invoicePayments.values()].filter((p) => !invoice || p.invoice === invoice);
    return c.json({ object: "list", data, has_more: false, url: "/v1/invoice_payments" });
  });
  // Expanded or not, a charge comes with its balance transaction and refunds (the SDK reads whichever it gets).
  app.get("/v1/charges/:id", retrieve(charges, "charge", "id"));
  const refund: StripeFake["refund"] = async (chargeId, amount) => {
    const charge = charges.get(chargeId);
    if (!charge) throw new Error(`no charge ${chargeId}`);
    const refunded = Number(charge.amount_refunded) + amount;
    if (refunded > Number(charge.amount)) throw new Error("refund larger than the charge");
    const made = { id: newId("re"), object: "refund", amount, charge: chargeId, currency: charge.currency, status: "succeeded", created: now() };
    (charge.refunds as { data: unknown[] }).data.unshift(made);
    charge.amount_refunded = refunded;
    charge.refunded = refunded === Number(charge.amount);
    emit("charge.refunded", charge);
    await queue;
    return made;
  };

  // Disputes: the money leaves with a balance transaction (amount and Stripe's fee), and comes back with another.
  const disputes = new Map<string, StripeObject>();
  const balanceTransaction = (amount: number, fee: number, currency: unknown) => ({ id: newId("txn"), object: "balance_transaction", amount, fee, net: amount - fee, currency, type: amount < 0 ? "adjustment" : "adjustment" });
  const dispute: StripeFake["dispute"] = async (chargeId, amount) => {
    const charge = charges.get(chargeId);
    if (!charge) throw new Error(`no charge ${chargeId}`);
    const made: StripeObject = { id: newId("dp"), object: "dispute", amount, charge: chargeId, currency: charge.currency, status: "needs_response", reason: "fraudulent", balance_transactions: [balanceTransaction(-amount, DISPUTE_FEE, charge.currency)], created: now(), livemode: false };
    disputes.set(made.id, made);
    charge.disputed = true;
    emit("charge.dispute.funds_withdrawn", made);
    await queue;
    return made;
  };
  const winDispute: StripeFake["winDispute"] = async (disputeId) => {
    const found = disputes.get(disputeId);
    if (!found) throw new Error(`no dispute ${disputeId}`);
    found.status = "won";
    (found.balance_transactions as unknown[]).push(balanceTransaction(Number(found.amount), -DISPUTE_FEE, found.currency));
    emit("charge.dispute.funds_reinstated", found);
    await queue;
    return found;
  };
  app.get("/v1/disputes/:id", retrieve(disputes, "dispute", "id"));

  // --- Connect: Express accounts, their onboarding page, transfers to them ---------------------------------------
  const accounts = new Map<string, StripeObject>();
  const transfers = new Map<string, StripeObject>();
  const reversals = new Map<string, StripeObject>();
  app.post("/v1/accounts", async (c) => {
    const body = await form(c);
    const account: StripeObject = { id: newId("acct"), object: "account", type: text(body.type) ?? "express", country: text(body.country) ?? "US", email: text(body.email) ?? null, details_submitted: false, charges_enabled: false, payouts_enabled: false, metadata: record(body.metadata), created: now() };
    accounts.set(account.id, account);
    created++;
    return c.json(account);
  });
  app.get("/v1/accounts/:id", retrieve(accounts, "account", "account"));
  app.post("/v1/account_links", async (c) => {
    const body = await form(c);
    const account = accounts.get(text(body.account) ?? "");
    if (!account) return stripeError(c, 400, "resource_missing", `No such account: '${text(body.account)}'`, "account");
    const link = `${originOf(c)}/connect/onboard/${account.id}?return=${encodeURIComponent(text(body.return_url) ?? "")}`;
    return c.json({ object: "account_link", url: link, created: now(), expires_at: now() + 300 });
  });
  app.get("/connect/onboard/:id", (c) => {
    const account = accounts.get(c.req.param("id"));
    if (!account) return c.text("No such account", 404);
    return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake Stripe Connect onboarding</title></head><body><h1>Get paid with Stripe</h1><form method="post"><input type="hidden" name="return" value="${escape(c.req.query("return"))}"><button type="submit">Finish onboarding</button></form></body></html>`);
  });
  app.post("/connect/onboard/:id", async (c) => {
    const account = accounts.get(c.req.param("id"));
    if (!account) return c.text("No such account", 404);
    Object.assign(account, { details_submitted: true, charges_enabled: true, payouts_enabled: true });
    return c.redirect(new URLSearchParams(await c.req.text()).get("return") || "/", 303);
  });
  app.post("/v1/transfers", async (c) => {
    const body = await form(c);
    const destination = accounts.get(text(body.destination) ?? "");
    if (!destination) return stripeError(c, 400, "resource_missing", `No such destination: '${text(body.destination)}'`, "destination");
    if (!destination.payouts_enabled) return stripeError(c, 400, "account_invalid", "The destination account has not finished onboarding.", "destination");
    const transfer: StripeObject = { id: newId("tr"), object: "transfer", amount: Number(text(body.amount)), currency: text(body.currency), destination: destination.id, source_transaction: text(body.source_transaction) ?? null, transfer_group: text(body.transfer_group) ?? null, metadata: record(body.metadata), reversed: false, amount_reversed: 0, created: now(), livemode: false };
    transfers.set(transfer.id, transfer);
    created++;
    return c.json(transfer);
  });

  app.post("/v1/transfers/:id/reversals", async (c) => {
    const transfer = transfers.get(c.req.param("id"));
    if (!transfer) return stripeError(c, 404, "resource_missing", `No such transfer: '${c.req.param("id")}'`, "id");
    const body = await form(c);
    const amount = Number(text(body.amount) ?? transfer.amount);
    if (amount <= 0 || Number(transfer.amount_reversed) + amount > Number(transfer.amount)) return stripeError(c, 400, "parameter_invalid_integer", "The reversal is larger than what is left of the transfer.", "amount");
    transfer.amount_reversed = Number(transfer.amount_reversed) + amount;
    transfer.reversed = transfer.amount_reversed === transfer.amount;
    const reversal: StripeObject = { id: newId("trr"), object: "transfer_reversal", amount, currency: transfer.currency, transfer: transfer.id, metadata: record(body.metadata), created: now() };
    reversals.set(reversal.id, reversal);
    created++;
    return c.json(reversal);
  });

  // --- Billing meters and their events (an identifier is counted once) ----------------------------------------
  const meters = new Map<string, StripeObject>();
  const meterEvents = new Map<string, StripeObject>();
  app.get("/v1/billing/meters", (c) => c.json({ object: "list", data: [...meters.values()].filter((m) => !c.req.query("status") || m.status === c.req.query("status")), has_more: false, url: "/v1/billing/meters" }));
  app.post("/v1/billing/meters", async (c) => {
    const body = await form(c);
    const eventName = text(body.event_name);
    if (!eventName) return stripeError(c, 400, "parameter_missing", "Missing required param: event_name.", "event_name");
    if ([...meters.values()].some((m) => m.event_name === eventName && m.status === "active")) return stripeError(c, 400, "resource_already_exists", "An active meter with this event_name already exists.", "event_name");
    const meter: StripeObject = { id: newId("mtr"), object: "billing.meter", display_name: text(body.display_name), event_name: eventName, status: "active", default_aggregation: record(body.default_aggregation), customer_mapping: record(body.customer_mapping), value_settings: record(body.value_settings), created: now(), livemode: false };
    meters.set(meter.id, meter);
    created++;
    return c.json(meter);
  });
  app.post("/v1/billing/meter_events", async (c) => {
    const body = await form(c);
    const eventName = text(body.event_name);
    if (![...meters.values()].some((m) => m.event_name === eventName)) return stripeError(c, 400, "resource_missing", `No active meter with event_name '${eventName}'.`, "event_name");
    const payload = record(body.payload);
    if (!payload.stripe_customer_id || !customers.has(payload.stripe_customer_id)) return stripeError(c, 400, "resource_missing", "No such customer in payload.stripe_customer_id.", "payload");
    const identifier = text(body.identifier) ?? newId("mev");
    const event: StripeObject = { id: identifier, object: "billing.meter_event", event_name: eventName, identifier, payload, timestamp: now(), created: now(), livemode: false };
    if (!meterEvents.has(identifier)) meterEvents.set(identifier, event);
    return c.json(event);
  });

  const setStatus = async (subscriptionId: string, status: string, type: string) => {
    const subscription = subscriptions.get(subscriptionId);
    if (!subscription) throw new Error(`no subscription ${subscriptionId}`);
    subscription.status = status;
    emit(type, subscription);
    await queue;
  };

  // --- Checkout: a session, its hosted page, and what paying does ----------------------------------------------
  const checkoutSessions = new Map<string, StripeObject>();
  app.post("/v1/checkout/sessions", async (c) => {
    const body = await form(c);
    if (text(body.mode) !== "subscription") return stripeError(c, 400, "parameter_invalid", "Only subscription mode here.", "mode");
    const customer = text(body.customer);
    if (!customer || !customers.has(customer)) return stripeError(c, 400, "resource_missing", `No such customer: '${customer}'`, "customer");
    const lineItems = (Array.isArray(body.line_items) ? body.line_items : Object.values(record(body.line_items) as Record<string, FormValue>)).map((entry) => record(entry as FormValue));
    if (lineItems.length === 0 || lineItems.some((l) => !prices.has(l.price ?? ""))) return stripeError(c, 400, "resource_missing", "No such price", "line_items");
    const successUrl = text(body.success_url);
    if (!successUrl) return stripeError(c, 400, "parameter_missing", "Missing required param: success_url.", "success_url");
    const id = newId("cs_test");
    const amount = lineItems.reduce((sum, l) => sum + (isMetered(prices.get(l.price!)!) ? 0 : Number(prices.get(l.price!)!.unit_amount) * Number(l.quantity ?? 1)), 0);
    const session: StripeObject = {
      id,
      object: "checkout.session",
      mode: "subscription",
      status: "open",
      payment_status: "unpaid",
      customer,
      client_reference_id: text(body.client_reference_id) ?? null,
      metadata: record(body.metadata),
      success_url: successUrl,
      cancel_url: text(body.cancel_url) ?? null,
      url: `${originOf(c)}/c/pay/${id}`,
      subscription: null,
      invoice: null,
      amount_subtotal: amount,
      amount_total: amount,
      currency: String(prices.get(lineItems[0]!.price!)!.currency),
      created: now(),
      expires_at: now() + 86_400,
      livemode: false,
      // Not part of Stripe's answer (line items are a sub-list there); kept for the hosted page.
      _lines: lineItems.map((l) => ({ price: l.price!, quantity: Number(l.quantity ?? 1) })),
      _subscriptionMetadata: record(record(body.subscription_data).metadata as FormValue),
    };
    checkoutSessions.set(id, session);
    created++;
    return c.json(publicSession(session));
  });
  const publicSession = (session: StripeObject) => Object.fromEntries(Object.entries(session).filter(([k]) => !k.startsWith("_"))) as StripeObject;
  app.get("/v1/checkout/sessions/:id", (c) => {
    const session = checkoutSessions.get(c.req.param("id"));
    return session ? c.json(publicSession(session)) : stripeError(c, 404, "resource_missing", `No such checkout.session: '${c.req.param("id")}'`, "session");
  });
  app.post("/v1/checkout/sessions/:id/expire", (c) => {
    const session = checkoutSessions.get(c.req.param("id"));
    if (!session) return stripeError(c, 404, "resource_missing", `No such checkout.session: '${c.req.param("id")}'`, "session");
    if (session.status !== "open") return stripeError(c, 400, "checkout_session_not_open", `Only open sessions can be expired; this one is ${session.status}.`);
    session.status = "expired";
    return c.json(publicSession(session));
  });
  app.get("/c/pay/:id", (c) => {
    const session = checkoutSessions.get(c.req.param("id"));
    if (!session) return c.text("This checkout session does not exist.", 404);
    if (session.status !== "open") return c.html(`<!doctype html><title>Checkout</title><h1>This checkout is ${escape(session.status)}</h1>`);
    const lines = (session._lines as { price: string; quantity: number }[]).map((l) => {
      const price = prices.get(l.price)!;
      if (isMetered(price)) return `<li>${escape(products.get(String(price.product))?.name)}: billed by use, at the end of each month</li>`;
      return `<li>${escape(products.get(String(price.product))?.name)} × ${l.quantity}: ${escape(money(Number(price.unit_amount) * l.quantity, String(price.currency)))} a month</li>`;
    });
    const error = c.req.query("error") ? `<p role="alert">Your card was declined.</p>` : "";
    return c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake Stripe Checkout</title></head><body><h1>Subscribe</h1><ul>${lines.join("")}</ul><p>Total: ${escape(money(Number(session.amount_total), String(session.currency)))} a month</p>${error}` +
        `<form method="post" action="/c/pay/${escape(session.id)}"><label>Card number <input name="card" value="4242424242424242"></label><button type="submit">Subscribe</button></form>` +
        (session.cancel_url ? `<p><a href="${escape(session.cancel_url)}">Back</a></p>` : "") +
        `</body></html>`,
    );
  });
  app.post("/c/pay/:id", async (c) => {
    const session = checkoutSessions.get(c.req.param("id"));
    if (!session || session.status !== "open") return c.text("This checkout session is not open.", 409);
    const card = new URLSearchParams(await c.req.text()).get("card") ?? "";
    if (card.replace(/\s/g, "") === DECLINED_CARD) return c.redirect(`/c/pay/${session.id}?error=declined`, 303);
    const subscriptionId = newId("sub");
    const start = now();
    const subscription: StripeObject = {
      id: subscriptionId,
      object: "subscription",
      customer: session.customer,
      status: "active",
      cancel_at_period_end: false,
      cancel_at: null,
      metadata: session._subscriptionMetadata,
      items: {
        object: "list",
        has_more: false,
        data: (session._lines as { price: string; quantity: number }[]).map((l) => ({ id: newId("si"), object: "subscription_item", subscription: subscriptionId, quantity: isMetered(prices.get(l.price)!) ? undefined : l.quantity, price: prices.get(l.price), current_period_start: start, current_period_end: start + PERIOD, created: start })),
      },
      created: start,
      livemode: false,
    };
    subscriptions.set(subscriptionId, subscription);
    const invoice = makeInvoice(originOf(c), subscription, itemLines(subscription), "subscription_create", true);
    Object.assign(session, { status: "complete", payment_status: "paid", subscription: subscriptionId, invoice: invoice.id });
    emit("customer.subscription.created", subscription);
    emit("invoice.created", invoice);
    emit("invoice.paid", invoice);
    emit("checkout.session.completed", publicSession(session));
    return c.redirect(String(session.success_url).replace("{CHECKOUT_SESSION_ID}", session.id), 303);
  });

  // --- the Customer Portal: a session, its hosted page, cancelling there ---------------------------------------
  const portalSessions = new Map<string, StripeObject>();
  app.post("/v1/billing_portal/sessions", async (c) => {
    const body = await form(c);
    const customer = text(body.customer);
    if (!customer || !customers.has(customer)) return stripeError(c, 400, "resource_missing", `No such customer: '${customer}'`, "customer");
    const session: StripeObject = { id: newId("bps"), object: "billing_portal.session", customer, return_url: text(body.return_url) ?? null, url: "", configuration: "bpc_fake", created: now(), livemode: false, locale: null, on_behalf_of: null, flow: null };
    session.url = `${originOf(c)}/p/session/${session.id}`;
    portalSessions.set(session.id, session);
    return c.json(session);
  });
  app.get("/p/session/:id", (c) => {
    const session = portalSessions.get(c.req.param("id"));
    if (!session) return c.text("This portal session does not exist.", 404);
    const mine = [...subscriptions.values()].filter((s) => s.customer === session.customer && s.status !== "canceled");
    const rows = mine.map((s) => {
      const names = (s.items as { data: { price: StripeObject }[] }).data.map((i) => products.get(String(i.price.product))?.name).join(", ");
      const action = s.cancel_at_period_end ? `<p>Cancels at the end of the period.</p>` : `<form method="post" action="/p/session/${escape(session.id)}/cancel/${escape(s.id)}"><button type="submit">Cancel ${escape(names)}</button></form>`;
      return `<li><strong>${escape(names)}</strong> (${escape(s.status)}) ${action}</li>`;
    });
    return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake Stripe Customer Portal</title></head><body><h1>Your subscriptions</h1><ul>${rows.join("")}</ul>${session.return_url ? `<p><a href="${escape(session.return_url)}">Return to Block on Block</a></p>` : ""}</body></html>`);
  });
  app.post("/p/session/:id/cancel/:subscription", (c) => {
    const session = portalSessions.get(c.req.param("id"));
    const subscription = subscriptions.get(c.req.param("subscription"));
    if (!session || !subscription || subscription.customer !== session.customer) return c.text("Not found", 404);
    subscription.cancel_at_period_end = true;
    subscription.cancel_at = Math.max(...(subscription.items as { data: { current_period_end: number }[] }).data.map((i) => i.current_period_end));
    emit("customer.subscription.updated", subscription);
    return c.redirect(`/p/session/${session.id}`, 303);
  });

  return {
    app,
    products,
    prices,
    customers,
    subscriptions,
    checkoutSessions,
    invoices,
    event,
    deliver,
    creations: () => created,
    get webhook() {
      return fake.webhook;
    },
    set webhook(value) {
      fake.webhook = value;
    },
    sent,
    settle: async () => {
      // Deliveries may queue more (none do yet); wait until the queue stands still.
      let seen: Promise<void> | undefined;
      while (seen !== queue) {
        seen = queue;
        await queue;
      }
    },
    renew,
    pause: (id) => setStatus(id, "paused", "customer.subscription.paused"),
    resume: (id) => setStatus(id, "active", "customer.subscription.resumed"),
    charges,
    transfers,
    accounts,
    refund,
    meters,
    meterEvents,
    reversals,
    disputes,
    dispute,
    winDispute,
  };
}
