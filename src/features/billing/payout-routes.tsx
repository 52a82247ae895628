// The developer's payouts pages (/developers/payouts, its onboarding post and return, the ledger CSV) and the admin
// portal's revenue page.
import { Hono } from "hono";
import { PayoutsPage, RevenuePage } from "../../../views/billing/Payouts";
import { tryForm } from "../../http/forms";
import { render } from "../../http/render";
import { requirePlatformAdmin, requireUser } from "../../http/require-user";
import { allowFormsTo } from "../../http/secure-headers";
import type { AppContext, AppEnv } from "../../http/types";
import { formatMoney } from "../../lib/money";
import { csvField, connectAccountOf, earningsOf, ledgerOf, onboardingUrl, platformRevenueByMonth, refreshAccount, requireDeveloper, transfersOf } from "./payouts";
import { publicOrigin, stripeHostedOrigins, toStripe } from "./stripe-pages";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function showPayouts(c: AppContext, notes: { message?: string | null; error?: string | null } = {}, status: 200 | 400 | 403 | 409 | 503 = 200) {
  const { user } = requireUser(c);
  const db = c.var.deps.db;
  await requireDeveloper(db, user.id);
  const [account, earnings, transfers] = await Promise.all([connectAccountOf(db, user.id), earningsOf(db, user.id), transfersOf(db, user.id)]);
  const view = {
    account: !account ? ("none" as const) : account.payoutsEnabled ? ("ready" as const) : ("incomplete" as const),
    earnings: earnings.map((e) => ({ currency: e.currency, earned: formatMoney(e.earned, e.currency), transferred: formatMoney(e.transferred, e.currency), pending: formatMoney(e.pending, e.currency) })),
    transfers: transfers.map((t) => ({ date: day(t.createdAt), invoice: t.invoiceId, amount: formatMoney(t.amount, t.currency), state: t.state === "paid" ? "Transferred" : account?.payoutsEnabled ? "Due" : "Waiting for your Stripe account", reference: t.stripeTransferId })),
    message: notes.message ?? null,
    error: notes.error ?? null,
  };
  allowFormsTo(c, stripeHostedOrigins(c.var.deps.config));
  return render(c, { title: "Earnings and payouts", status, fragment: <PayoutsPage view={view} /> });
}

export function payoutRoutes() {
  return new Hono<AppEnv>()
    .get("/developers/payouts", (c) => showPayouts(c, { message: c.req.query("done") === "onboarded" ? "Your Stripe account is ready." : c.req.query("done") === "incomplete" ? "Stripe still needs some details: finish when you can." : null }))
    .post("/developers/payouts/onboard", async (c) => {
      const { user } = requireUser(c);
      const done = await tryForm(c, () => onboardingUrl(c.var.deps, user.id, publicOrigin(c)));
      if (!done.ok) return showPayouts(c, { error: done.message }, done.status as 400);
      return toStripe(c, done.value);
    })
    .get("/developers/payouts/return", async (c) => {
      const { user } = requireUser(c);
      await requireDeveloper(c.var.deps.db, user.id);
      const ready = await refreshAccount(c.var.deps, user.id);
      return c.redirect(`/developers/payouts?done=${ready ? "onboarded" : "incomplete"}`, 303);
    })
    .get("/developers/payouts.csv", async (c) => {
      const { user } = requireUser(c);
      await requireDeveloper(c.var.deps.db, user.id);
      const rows = await ledgerOf(c.var.deps.db, user.id);
      const header = ["date", "kind", "invoice", "module", "currency", "gross", "stripe_fee", "net", "your_share", "platform_share"];
      const lines = rows.map((r) => [new Date(r.createdAt).toISOString(), r.kind, r.invoiceId, r.moduleId, r.currency, r.gross, r.fee, r.net, r.developerShare, r.platformShare].map(csvField).join(","));
      c.header("Content-Disposition", 'attachment; filename="earnings.csv"');
      c.header("Cache-Control", "no-store");
      return c.body([header.join(","), ...lines].join("\r\n") + "\r\n", 200, { "content-type": "text/csv; charset=utf-8" });
    })
    .get("/admin-portal/revenue", requirePlatformAdmin, async (c) => {
      const rows = await platformRevenueByMonth(c.var.deps.db);
      const currencies = [...new Set(rows.map((r) => r.currency))];
      const charts = currencies.map((currency) => ({ currency, data: rows.filter((r) => r.currency === currency).map((r) => ({ label: r.month, value: Math.round(r.amount / 100) })) }));
      return render(c, { title: "Platform revenue", fragment: <RevenuePage charts={charts} /> });
    });
}
