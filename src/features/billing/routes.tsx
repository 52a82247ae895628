// A space's billing pages: /billing/<kind>/<id> (its plan, plans, paid modules, invoices), the posts that lead to
// Stripe (Checkout, the Customer Portal) or change the plan, and the page Checkout returns to, which waits live for
// the webhook. JSON: POST /api/billing/checkout → {url}, GET /api/billing/invoices?contextId=.
import { Hono } from "hono";
import { z } from "zod";
import { BillingPage, BillingState, CheckoutReturn, CheckoutReturnState, type ReturnView } from "../../../views/billing/BillingPage";
import { tryForm } from "../../http/forms";
import { redirectAfterPost, render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { allowFormsTo } from "../../http/secure-headers";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { jsonBody, parseForm, parseQuery } from "../../http/validate";
import { validationError } from "../../lib/errors";
import { hostPath } from "../modules";
import { enforceLimit } from "../ratelimit";
import { holds } from "./billing-rules";
import { changePlan, portalUrl, returnedSession, startCheckout, type CheckoutItem } from "./checkout";
import { subscriptionsOf } from "./entitlements";
import { invoiceJson, invoicesOf } from "./invoices";
import { billingView } from "./overview";
import { PLANS } from "./plans";
import { billingSpace, parseContext, requirePayer, type BillingSpace } from "./spaces";
import { publicOrigin, stripeHostedOrigins, toStripe } from "./stripe-pages";

const ID = z.string().trim().min(1, "Choose what to subscribe to.").max(64);
const checkoutForm = z
  .object({ plan: ID.optional(), module: ID.optional(), attempt: z.string().trim().regex(/^[A-Za-z0-9_-]{8,64}$/, "Open the billing page again and retry.") })
  .refine((f) => Boolean(f.plan) !== Boolean(f.module), { message: "Choose one plan or one module.", path: ["plan"] });
const checkoutJson = z
  .object({ contextId: z.string().max(80), plan: ID.optional(), module: ID.optional(), attempt: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional() })
  .refine((f) => Boolean(f.plan) !== Boolean(f.module), { message: "Name one plan or one module.", path: ["plan"] });

async function spaceOf(c: AppContext): Promise<BillingSpace> {
  const { user } = requireUser(c);
  return billingSpace(c.var.deps.db, user.id, parseContext(`${c.req.param("kind")}:${c.req.param("id")}`));
}

async function showBilling(c: AppContext, notes: { message?: string | null; error?: string | null } = {}, status: 200 | 400 | 403 | 404 | 409 | 429 | 503 = 200) {
  const space = await spaceOf(c);
  const view = await billingView(c.var.deps, space, notes);
  allowFormsTo(c, stripeHostedOrigins(c.var.deps.config));
  return render(c, { title: `Billing · ${space.name}`, status, fragment: <BillingState view={view} />, page: () => <BillingPage view={view} /> });
}

const limitCheckouts = (c: AppContext, userId: string) => enforceLimit(c.var.deps, { bucket: `billing-checkout:${userId}`, max: 20, windowMs: 600_000 }, "Too many checkouts started; wait a few minutes.");

function itemOf(input: { plan?: string; module?: string }): CheckoutItem {
  if (input.plan) return { plan: input.plan };
  if (input.module) return { module: input.module };
  throw validationError({ plan: ["Choose one plan or one module."] });
}

async function showReturn(c: AppContext) {
  const space = await spaceOf(c);
  const sessionId = c.req.query("session_id") ?? "";
  const session = await returnedSession(c.var.deps, space, sessionId);
  const subscriptionId = typeof session.subscription === "string" ? session.subscription : (session.subscription?.id ?? null);
  const mine = subscriptionId ? (await subscriptionsOf(c.var.deps.db, space.context)).find((s) => s.id === subscriptionId) : undefined;
  const item = session.metadata?.item ?? "";
  const plan = PLANS.find((p) => `plan:${p.id}` === item);
  const moduleId = item.startsWith("module:") ? item.slice("module:".length) : null;
  const view: ReturnView = {
    path: space.path,
    selfUrl: `${space.path}/return?session_id=${encodeURIComponent(sessionId)}`,
    spaceName: space.name,
    what: plan ? `the ${plan.name} plan` : "your module subscription",
    done: mine !== undefined && holds(mine, c.var.deps.now()),
    next: moduleId ? { href: hostPath(space.kind, space.id, moduleId), label: "Open the module" } : { href: space.path, label: "Back to billing" },
  };
  return render(c, { title: `Billing · ${space.name}`, fragment: <CheckoutReturnState view={view} />, page: () => <CheckoutReturn view={view} /> });
}

export function billingPages() {
  return new Hono<AppEnv>()
    .get("/billing/:kind/:id", (c) => {
      const note = c.req.query("checkout") === "cancelled" ? "Checkout cancelled: nothing was charged." : c.req.query("done") === "plan" ? "Plan changed. The difference for the rest of this period is on a new invoice." : null;
      return showBilling(c, { message: wantsFragment(c) ? null : note });
    })
    .get("/billing/:kind/:id/return", (c) => showReturn(c))
    .post("/billing/:kind/:id/checkout", async (c) => {
      const { user } = requireUser(c);
      const space = await spaceOf(c);
      const form = await parseForm(c, checkoutForm);
      if (!form.ok) return showBilling(c, { error: Object.values(form.errors).flat().join(" ") }, 400);
      const done = await tryForm(c, async () => {
        await limitCheckouts(c, user.id);
        return startCheckout(c.var.deps, space, { item: itemOf(form.data), attempt: form.data.attempt, origin: publicOrigin(c) }, requestMeta(c), user.id);
      });
      if (!done.ok) return showBilling(c, { error: done.message }, done.status as 400);
      return toStripe(c, done.value);
    })
    .post("/billing/:kind/:id/plan", async (c) => {
      const { user } = requireUser(c);
      const space = await spaceOf(c);
      const form = await parseForm(c, z.object({ plan: ID }));
      if (!form.ok) return showBilling(c, { error: Object.values(form.errors).flat().join(" ") }, 400);
      const done = await tryForm(c, () => changePlan(c.var.deps, space, form.data.plan, requestMeta(c), user.id));
      if (!done.ok) return showBilling(c, { error: done.message }, done.status as 400);
      return redirectAfterPost(c, `${space.path}?done=plan`);
    })
    .post("/billing/:kind/:id/portal", async (c) => {
      const space = await spaceOf(c);
      const done = await tryForm(c, () => portalUrl(c.var.deps, space, publicOrigin(c)));
      if (!done.ok) return showBilling(c, { error: done.message }, done.status as 400);
      return toStripe(c, done.value);
    });
}

export function billingJsonApi() {
  return new Hono<AppEnv>()
    .get("/api/billing/invoices", async (c) => {
      const { user } = requireUser(c);
      const query = parseQuery(c, z.object({ contextId: z.string().min(1, "Name the space: contextId=business:<id>, household:<id> or personal:<your id>.").max(80) }));
      if (!query.ok) throw validationError(query.errors);
      const space = await billingSpace(c.var.deps.db, user.id, parseContext(query.data.contextId));
      requirePayer(space);
      return c.json({ invoices: (await invoicesOf(c.var.deps.db, space.context)).map(invoiceJson) });
    })
    .post("/api/billing/checkout", jsonBody(checkoutJson), async (c) => {
      const { user } = requireUser(c);
      const input = c.req.valid("json");
      const space = await billingSpace(c.var.deps.db, user.id, parseContext(input.contextId));
      await limitCheckouts(c, user.id);
      const url = await startCheckout(c.var.deps, space, { item: itemOf(input), attempt: input.attempt ?? crypto.randomUUID(), origin: publicOrigin(c) }, requestMeta(c), user.id);
      return c.json({ url }, 201);
    });
}
