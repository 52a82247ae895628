// Consent in headless Chromium (issue 11): sign-up needs the "I accept" box (its error beside it, with
// htmx); a newer version of the terms sends the next page to the accept page, which goes on to where
// the person was going; the profile's optional consents are given and withdrawn with htmx, with history.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { parseConfig } from "../../src/config";
import { path, startE2E, type E2E } from "./support";

const TIMEOUT = 60_000;
const PASSWORD = "correct horse battery";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

test(
  "sign up with the box, be asked again for a new version, then manage the optional consents",
  async () => {
    const first = await e2e.newPage();
    let { page } = first;
    await page.goto("/register");
    const form = page.locator("#register-form");
    await form.getByLabel("Name", { exact: true }).fill("Cleo Consent");
    await form.getByLabel("Email", { exact: true }).fill("cleo@example.com");
    await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
    const box = page.locator("#register-acceptTerms");
    expect(await box.isChecked()).toBe(false);
    await form.getByRole("button", { name: "Create account", exact: true }).click();
    await page.locator("#register-acceptTerms-error").getByText("Accept the terms of service").waitFor();
    expect(path(page)).toBe("/register");
    // The form came back with what was typed, but never the password.
    await page.locator("#register-form").getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.locator("#register-acceptTerms").check();
    await page.locator("#register-form").getByRole("button", { name: "Create account", exact: true }).click();
    await page.waitForURL("**/home");

    await first.context.close();
    expect(first.errors).toEqual([]);

    // The operator publishes new terms: a new TERMS_VERSION and a restart. Cleo accepted the version in force
    // before; signing in again, her next page is the accept page, and then where she was going.
    const accepted = parseConfig({}).TERMS_VERSION;
    await e2e.restart({ TERMS_VERSION: "2099-01-01" });
    const second = await e2e.newPage();
    const { context, errors } = second;
    page = second.page;
    await page.goto("/login");
    await page.locator("#login-form").getByLabel("Email", { exact: true }).fill("cleo@example.com");
    await page.locator("#login-form").getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.locator("#login-form").getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL("**/consents/accept?next=**");
    await page.goto("/notifications");
    await page.waitForURL("**/consents/accept?next=%2Fnotifications");
    await page.getByRole("heading", { level: 1, name: "Our terms have changed" }).waitFor();
    await page.getByText(`(you accepted ${accepted})`).waitFor();
    await page.locator("#accept-acceptTerms").check();
    await page.getByRole("button", { name: "Accept and continue", exact: true }).click();
    await page.waitForURL("**/notifications");

    // The profile: optional consents start off; turning one on swaps the section in place.
    await page.goto("/profile");
    const consents = page.locator("#consents");
    const analytics = consents.getByRole("checkbox", { name: /Usage analytics/ });
    expect(await analytics.isChecked()).toBe(false);
    await analytics.check();
    await consents.getByRole("button", { name: "Save consents", exact: true }).click();
    await page.locator("#consents").getByText("Your consents are saved.").waitFor();
    expect(path(page)).toBe("/profile");
    expect(await page.locator("#consents").getByRole("checkbox", { name: /Usage analytics/ }).isChecked()).toBe(true);
    await page.locator("#consents summary").click();
    await page.locator("#consents .consent-history tbody tr").first().getByText("Usage analytics").waitFor();
    expect(await page.locator("#consents .consent-history tbody tr").count()).toBe(4);

    await context.close();
    expect(errors).toEqual([]);
    expect(e2e.serverErrors()).toEqual([]);
  },
  TIMEOUT,
);
