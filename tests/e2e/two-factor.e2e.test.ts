// Sign up, confirm the address from the mail, turn on two-factor sign-in (the test computes the
// codes from the key the page shows, as an authenticator app would), sign out, sign in with a code.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generateHOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { path, startE2E, type E2E } from "./support";

const TIMEOUT = 60_000;
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

/** The code the app shows `steps` periods from now (the server accepts one period either side, each code once). */
const codeAt = (secret: string, steps: number) => generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(Date.now() / 30_000) + steps), 6);

describe("two-factor sign-in in Chromium", () => {
  test(
    "sign up, confirm the address, turn on TOTP, sign out, sign in with a code",
    async () => {
      const { context, page, errors } = await e2e.newPage();
      const email = "tfa@example.com";
      const password = "copper kettle whistling";
      await page.goto("/register");
      const register = page.locator("#register-form");
      await register.getByLabel("Name", { exact: true }).fill("Tia Factor");
      await register.getByLabel("Email", { exact: true }).fill(email);
      await register.getByLabel("Password", { exact: true }).fill(password);
      await register.locator("#register-acceptTerms").check();
      await register.getByRole("button", { name: "Create account", exact: true }).click();
      await page.waitForURL("**/home");
      // Until the address is confirmed, every page says so.
      await page.locator("#verify-banner").waitFor();
      await e2e.confirmAddress(page, email);

      await page.goto("/profile");
      expect(await page.locator("#verify-banner").count()).toBe(0);
      const section = page.locator("#two-factor");
      await section.getByLabel("Current password", { exact: true }).fill(password);
      await section.getByRole("button", { name: "Set up two-factor sign-in", exact: true }).click();
      await page.locator("#two-factor .qr-code svg").waitFor();
      const secret = (await page.locator("#totp-secret").innerText()).trim();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await page.locator("#two-factor").getByLabel("Code from your app", { exact: true }).fill(codeAt(secret, 0));
      await page.locator("#two-factor").getByRole("button", { name: "Turn on", exact: true }).click();
      await page.locator("#two-factor .recovery-codes li").first().waitFor();
      expect(await page.locator("#two-factor .recovery-codes li").count()).toBe(10);

      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await page.waitForURL("**/login");
      const login = page.locator("#login-form");
      await login.getByLabel("Email", { exact: true }).fill(email);
      await login.getByLabel("Password", { exact: true }).fill(password);
      await login.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL("**/login/two-factor**");
      // The password alone signed nobody in.
      expect(await page.locator(".user-menu").getByRole("button", { name: "Sign out" }).count()).toBe(0);
      // The code used to turn it on is spent: the next period's code signs in.
      await page.locator("#second-step-form").getByLabel("Code", { exact: true }).fill(codeAt(secret, 1));
      await page.locator("#second-step-form").getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL("**/home");
      expect(path(page)).toBe("/home");
      await page.getByRole("heading", { name: "Welcome, Tia Factor" }).waitFor();

      expect(errors).toEqual([]);
      expect(e2e.serverErrors()).toEqual([]);
      await context.close();
    },
    TIMEOUT,
  );
});
