// Billing in headless Chromium (issue 15), against the fake Stripe (tests/stripe-fake) on its own local server, which
// serves the hosted Checkout and Customer Portal pages and sends its signed webhooks to the app as Stripe would. A
// business subscribes to the paid sample module (examples/sample-module, on a third origin): its tab, open in
// another window, unlocks live; the invoice shows on the billing page; cancelling in the portal brings a banner. The
// module's developer onboards to Stripe Connect from the developer portal, and their 70% is transferred.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { stripeFake, type StripeFake } from "../stripe-fake/app";
import { apiCall, confirmedAccount, livePage, signInAs, startE2E, startSampleModule, streamOpen, type E2E } from "./support";

const TIMEOUT = 120_000;
const SECRET = "whsec_e2e_billing";

let e2e: E2E;
let fake: StripeFake;
let stripeServer: ReturnType<typeof Bun.serve>;
let sample: { origin: string; stop: () => void };
let sampleOrigin: string;

beforeAll(async () => {
  fake = stripeFake();
  stripeServer = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: fake.app.fetch });
  const stripeOrigin = `http://127.0.0.1:${stripeServer.port}`;
  e2e = await startE2E({ env: { MODULES_LOCAL_URLS: "on", STRIPE_SECRET_KEY: "sk_test_e2e", STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_URL: stripeOrigin } });
  fake.webhook = { url: `${e2e.baseUrl}/api/billing/webhook`, secret: SECRET };
  sample = await startSampleModule(e2e.baseUrl);
  sampleOrigin = sample.origin;
});
afterAll(async () => {
  sample?.stop();
  await e2e?.stop();
  stripeServer?.stop(true);
});

test(
  "a business subscribes to a paid module through Stripe Checkout: the tab unlocks live, the invoice shows, the portal cancels with a banner",
  async () => {
    const admin = await confirmedAccount(e2e, "Ada Admin", "ada.billing@example.com");
    await e2e.database.execute({ sql: "update users set is_platform_admin = 1 where id = ?", args: [admin.id] });
    const dev = await confirmedAccount(e2e, "Dana Dev", "dana.billing@example.com");
    const owner = await confirmedAccount(e2e, "Olive Owner", "olive.billing@example.com");
    const { business } = await apiCall(e2e, "/api/businesses", { json: { name: "Paying Ltd", kind: "company" }, token: owner.bearer });
    await apiCall(e2e, "/api/developer", { token: dev.bearer });
    const { module } = await apiCall(e2e, "/api/developer/modules", { json: { slug: "sample-paid", name: "Sample Module", description: "The sample, for money.", category: "productivity", contexts: ["business"] }, token: dev.bearer });
    const manifest = { entryUrl: `${sampleOrigin}/app`, scopes: ["profile.read", "context.read"], bridge: ["ready", "getToken", "resize"], pricing: { model: "per_context", monthlyAmount: 500, currency: "usd" } };
    await apiCall(e2e, `/api/developer/modules/${module.id}/versions`, { json: { version: "1.0.0", manifest }, token: dev.bearer });
    await apiCall(e2e, `/api/admin/modules/${module.id}/versions/1.0.0/approve`, { token: admin.bearer });
    await apiCall(e2e, `/api/modules/${module.id}/installs`, { json: { context: `business:${business.id}`, scopes: manifest.scopes }, token: owner.bearer });

    const side = await livePage(e2e);
    const { page } = side;
    await signInAs(page, owner.email);
    // The module's tab, kept open in a second window: it needs a subscription.
    const tab = await side.context.newPage();
    await tab.goto(`/business/${business.id}/workspace/m/${module.id}`);
    await tab.getByText("This module needs a subscription").waitFor();
    await streamOpen(tab);

    // From the tab's link to the billing page, and on to Stripe's Checkout.
    await page.goto(`/business/${business.id}/workspace/m/${module.id}`);
    await page.getByRole("link", { name: "See the space's plan and subscribe" }).click();
    await page.waitForURL(`**/billing/business/${business.id}`);
    await page.getByRole("button", { name: "Subscribe to Sample Module" }).click();
    await page.waitForURL(/\/c\/pay\/cs_test_/);
    await page.getByText("Total: 5.00 USD a month").waitFor();
    // A declined card first: Stripe's page says so, nothing is bought.
    await page.getByLabel("Card number").fill("4000000000000002");
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.getByRole("alert").getByText("Your card was declined.").waitFor();
    await page.getByLabel("Card number").fill("4242424242424242");
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.waitForURL(`**/billing/business/${business.id}/return?session_id=*`);
    await page.getByText("Thank you: your module subscription is active.").waitFor();

    // The other window's tab unlocked by itself: the module runs.
    await tab.frameLocator("iframe[data-module-frame]").getByText("Hello Olive Owner in Paying Ltd (business)").waitFor();

    // The invoice is on the billing page.
    await page.getByRole("link", { name: "Open the module" }).waitFor();
    await page.goto(`/billing/business/${business.id}`);
    const invoice = [...fake.invoices.values()][0]!;
    const row = page.locator(".billing-invoices tr", { hasText: String(invoice.number) });
    await row.getByText("$5.00").waitFor();
    await row.getByText("paid").waitFor();
    await page.locator(".billing-modules tr", { hasText: "Sample Module" }).getByText("Active").waitFor();

    // Cancelling in Stripe's Customer Portal; back on the billing page, the banner says until when it runs.
    await page.getByRole("button", { name: "Manage cards, invoices and cancelling" }).click();
    await page.waitForURL(/\/p\/session\/bps_/);
    await page.getByRole("button", { name: "Cancel Sample Module" }).click();
    await page.getByText("Cancels at the end of the period.").waitFor();
    await fake.settle();
    await page.getByRole("link", { name: "Return to Block on Block" }).click();
    await page.waitForURL(`**/billing/business/${business.id}`);
    await page.getByText(/Sample Module is cancelled and ends on \d{4}-\d{2}-\d{2}\./).waitFor();
    // Still paid for until then: the module runs.
    await tab.reload();
    await tab.frameLocator("iframe[data-module-frame]").getByText("Hello Olive Owner in Paying Ltd (business)").waitFor();

    expect(side.errors).toEqual([]);
    await side.context.close();

    // The developer's side: 70% of what Stripe collected waits for their Stripe account; onboarding (Connect
    // Express, on Stripe's page) and back, the transfer is made.
    const developer = await livePage(e2e);
    await signInAs(developer.page, dev.email);
    await developer.page.goto("/developers");
    await developer.page.getByRole("link", { name: "Earnings and payouts" }).click();
    await developer.page.waitForURL("**/developers/payouts");
    await developer.page.locator(".payout-transfers").getByText("Waiting for your Stripe account").waitFor();
    await developer.page.getByRole("button", { name: "Get paid with Stripe" }).click();
    await developer.page.waitForURL(/\/connect\/onboard\/acct_/);
    await developer.page.getByRole("button", { name: "Finish onboarding" }).click();
    await developer.page.waitForURL("**/developers/payouts?done=onboarded");
    await developer.page.getByText("Your Stripe account is ready.").first().waitFor();
    await developer.page.locator(".payout-transfers").getByText("Transferred").waitFor();
    const [transfer] = [...fake.transfers.values()];
    expect(transfer!.amount).toBe(Math.floor(((500 - (Math.round(500 * 0.029) + 30)) * 70) / 100));
    expect(developer.errors).toEqual([]);
    await developer.context.close();
    expect(e2e.serverErrors()).toEqual([]);
  },
  TIMEOUT,
);
