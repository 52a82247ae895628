// npm run billing:sync — makes Stripe's products and prices match the plans of src/features/billing/plans.ts.
// Needs STRIPE_SECRET_KEY (and STRIPE_API_URL to aim at a fake). Safe to run again: it creates only what is missing.
import { ConfigError, parseConfig } from "../config";
import { PLANS, planProblems, stripeClient, syncCatalog } from "../features/billing";

try {
  const config = parseConfig(process.env);
  const problems = planProblems(PLANS);
  if (problems.length) throw new Error(`The plans are not valid:\n  ${problems.join("\n  ")}`);
  const stripe = stripeClient(config);
  if (!stripe) throw new Error("STRIPE_SECRET_KEY is not set: there is no Stripe account to sync with.");
  const report = await syncCatalog(stripe, PLANS);
  for (const line of report.created) console.log(`created  ${line}`);
  for (const line of report.updated) console.log(`updated  ${line}`);
  console.log(`${report.created.length} created, ${report.updated.length} updated, ${report.kept.length} already right.`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `billing:sync failed: ${(error as Error).message}`);
  process.exit(1);
}
