// What billing's tests share: a test app whose Stripe is the fake (tests/stripe-fake) on a loopback server, sending
// its events to the app as Stripe would, and a paid marketplace module installed in a space.
import { stripeFake, type StripeFake } from "../../../tests/stripe-fake/app";
import { createTestApp, type TestApp } from "../../test/app";
import { json, type Person } from "../../test/people";
import { poster } from "../modules/modules.fixture";

export interface BillingTestApp {
  t: TestApp;
  fake: StripeFake;
  fakeOrigin: string;
  close: () => void;
}

export async function billingTestApp(secret: string): Promise<BillingTestApp> {
  const fake = stripeFake();
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: fake.app.fetch });
  const fakeOrigin = `http://127.0.0.1:${server.port}`;
  const t = await createTestApp({ STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_WEBHOOK_SECRET: secret, STRIPE_API_URL: fakeOrigin });
  fake.webhook = { url: "http://localhost/api/billing/webhook", secret, fetch: (request) => t.app.request(request), clock: t.deps.now };
  return {
    t,
    fake,
    fakeOrigin,
    close: () => {
      t.close();
      server.stop(true);
    },
  };
}

/** A business module with a monthly price, made by `dev`, approved by `admin`, installed by `owner` in `businessId`. */
export async function installedPaidModule(t: TestApp, who: { dev: Person; admin: Person; owner: Person }, businessId: string, module: { slug: string; name: string; pricing: { model: "per_seat" | "per_context"; monthlyAmount: number; currency: string } }): Promise<string> {
  const post = poster(() => t);
  await post(who.dev, "/api/developer");
  const made = await json(post(who.dev, "/api/developer/modules", { slug: module.slug, name: module.name, description: `${module.name}, for money.`, category: "productivity", contexts: ["business"] }), 201);
  const id = made.module.id as string;
  await json(post(who.dev, `/api/developer/modules/${id}/versions`, { version: "1.0.0", manifest: { entryUrl: `https://${module.slug}.example.com/`, scopes: [], pricing: module.pricing } }), 201);
  await json(post(who.admin, `/api/admin/modules/${id}/versions/1.0.0/approve`), 200);
  await json(post(who.owner, `/api/modules/${id}/installs`, { context: `business:${businessId}`, scopes: [] }), 201);
  return id;
}
