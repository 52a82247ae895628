// Passkeys in Chromium with the DevTools virtual authenticator (a platform authenticator that
// verifies its user): add one on the profile, sign out, sign in with it and no password.
// WebAuthn needs a secure context and a domain as relying party: the server runs at http://localhost.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { path, startE2E, type E2E } from "./support";

const TIMEOUT = 60_000;
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ host: "localhost" });
});
afterAll(async () => {
  await e2e?.stop();
});

describe("passkeys in Chromium", () => {
  test(
    "add a passkey on the profile, sign in with it and no password, then use it as the second step after the password",
    async () => {
      const { context, page, errors } = await e2e.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("WebAuthn.enable");
      await cdp.send("WebAuthn.addVirtualAuthenticator", {
        options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
      });

      const password = "quiet orchard lantern";
      await page.goto("/register");
      const register = page.locator("#register-form");
      await register.getByLabel("Name", { exact: true }).fill("Pia Key");
      await register.getByLabel("Email", { exact: true }).fill("pia@example.com");
      await register.getByLabel("Password", { exact: true }).fill(password);
      await register.locator("#register-acceptTerms").check();
      await register.getByRole("button", { name: "Create account", exact: true }).click();
      await page.waitForURL("**/home");

      await page.goto("/profile");
      const section = page.locator("#passkeys");
      await section.getByRole("button", { name: "Add a passkey", exact: true }).waitFor();
      await section.getByLabel("Current password (to add a passkey)", { exact: true }).fill(password);
      await section.getByRole("button", { name: "Add a passkey", exact: true }).click();
      await page.locator("#passkeys .passkey-item").first().waitFor();
      expect(await page.locator("#passkeys .passkey-item").count()).toBe(1);

      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await page.waitForURL("**/login");
      await page.getByRole("button", { name: "Sign in with a passkey", exact: true }).click();
      await page.waitForURL("**/home");
      expect(path(page)).toBe("/home");
      await page.getByRole("heading", { name: "Welcome, Pia Key" }).waitFor();

      // With a passkey on the account, the password alone is not enough: the passkey is the second step.
      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await page.waitForURL("**/login");
      const login = page.locator("#login-form");
      await login.getByLabel("Email", { exact: true }).fill("pia@example.com");
      await login.getByLabel("Password", { exact: true }).fill(password);
      await login.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL("**/login/two-factor**");
      await page.getByRole("button", { name: "Use a passkey", exact: true }).click();
      await page.waitForURL("**/home");
      await page.getByRole("heading", { name: "Welcome, Pia Key" }).waitFor();

      expect(errors).toEqual([]);
      expect(e2e.serverErrors()).toEqual([]);
      await context.close();
    },
    TIMEOUT,
  );
});
