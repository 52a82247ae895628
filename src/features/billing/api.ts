// Billing's HTTP: POST /api/billing/webhook (Stripe's events; no session, no CSRF — Stripe signs instead).
import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { receiveWebhook } from "./webhook";

export function billingApi() {
  return new Hono<AppEnv>().post("/api/billing/webhook", async (c) => {
    const result = await receiveWebhook(c.var.deps, await c.req.text(), c.req.header("stripe-signature"));
    return c.json({ received: true, duplicate: result.duplicate });
  });
}
