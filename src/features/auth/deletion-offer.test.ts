// A provider-only account (no password) during its deletion's grace period: asking needed a fresh
// sign-in (no password to give), and signing in with the provider again leads to the offer to cancel
// (features/erasure), whose button signs in. The password journeys are in features/erasure.
import { expect, test } from "bun:test";
import { Browser } from "../../test/app";
import { signIn, useOAuthApp } from "./oauth-flow.fixture";
import { google } from "./oauth-providers.fixture";

const f = useOAuthApp();

test("provider sign-in during the grace period offers to cancel; cancelling signs in", async () => {
  const identity = google({ sub: "g-leaving", email: "leaving@example.org", email_verified: true, name: "Leaving Person" });
  const browser = new Browser(f.t.app);
  expect((await signIn(f.providers, browser, "google", identity)).response.status).toBe(303);
  // Just signed in with the provider: that is the re-authentication.
  expect((await browser.request("/api/me/deletion", { method: "POST", json: {} })).status).toBe(202);
  expect((await browser.request("/api/auth/me")).status).toBe(401);

  const again = new Browser(f.t.app);
  const offered = await signIn(f.providers, again, "google", identity);
  expect(offered.response.status).toBe(303);
  expect(offered.response.headers.get("location")).toBe("/account/deletion");
  expect((await again.request("/api/auth/me")).status).toBe(401);
  expect(await (await again.request("/account/deletion")).text()).toContain("scheduled for deletion on");
  expect((await again.request("/account/deletion/cancel", { method: "POST", form: {} })).headers.get("location")).toBe("/home");
  expect((await again.request("/api/auth/me")).status).toBe(200);
});

test("a provider-only account that has not signed in lately must do so before asking", async () => {
  const identity = google({ sub: "g-stale", email: "stale@example.org", email_verified: true, name: "Stale Person" });
  const browser = new Browser(f.t.app);
  await signIn(f.providers, browser, "google", identity);
  f.t.advance(11 * 60_000);
  const refused = await browser.request("/api/me/deletion", { method: "POST", json: {} });
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("reauthentication_required");
  expect((await browser.request("/api/auth/me")).status).toBe(200);
});
