// `npm run dev:billing`: the app on the embedded database with billing on, against the fake Stripe of the tests
// (tests/stripe-fake) on 127.0.0.1 — its hosted Checkout, Customer Portal and Connect onboarding pages included,
// and its events sent to the app as Stripe's webhooks would be. Nothing leaves this machine; no Stripe account.
//   PORT (default 3000), STRIPE_FAKE_PORT (default 12111)
import { PLANS } from "../src/features/billing/plans";
import { stripeClient } from "../src/features/billing/stripe-client";
import { syncCatalog } from "../src/features/billing/sync";
import { stripeFake } from "../tests/stripe-fake/app";

const port = Number(process.env.PORT ?? 3000);
const stripePort = Number(process.env.STRIPE_FAKE_PORT ?? 12111);
const secret = "whsec_dev_billing";
const stripeUrl = `http://127.0.0.1:${stripePort}`;
const fake = stripeFake();
Bun.serve({ hostname: "127.0.0.1", port: stripePort, fetch: fake.app.fetch });
fake.webhook = { url: `http://127.0.0.1:${port}/api/billing/webhook`, secret };
const env = { STRIPE_SECRET_KEY: "sk_test_dev_billing", STRIPE_WEBHOOK_SECRET: secret, STRIPE_API_URL: stripeUrl };
await syncCatalog(stripeClient(env)!, PLANS);
console.log(`dev:billing: the fake Stripe on ${stripeUrl} (card 4000000000000002 is declined); the app on http://localhost:${port}`);
const app = Bun.spawn([process.execPath, "src/runtime/bun.ts"], { env: { ...process.env, TZ: "UTC", PORT: String(port), ...env }, stdout: "inherit", stderr: "inherit" });
process.on("SIGINT", () => app.kill());
process.exitCode = await app.exited;
process.exit();
