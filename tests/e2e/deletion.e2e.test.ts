// Deleting an account in headless Chromium (issue 11): from the profile's "Delete my account", the
// browser is signed out and told the date; signing in during the grace period offers to cancel, and
// cancelling lands signed in.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { confirmedAccount, JOURNEY_PASSWORD, path, startE2E, type E2E } from "./support";

const TIMEOUT = 120_000;

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

test(
  "delete from the profile, signed out, sign in during the grace period and cancel",
  async () => {
    const dora = await confirmedAccount(e2e, "Dora Deleting", "dora.deletion@example.com");
    const { page } = await e2e.newPage();
    await page.goto("/login");
    const login = page.locator("#login-form");
    await login.getByLabel("Email", { exact: true }).fill(dora.email);
    await login.getByLabel("Password", { exact: true }).fill(JOURNEY_PASSWORD);
    await login.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL("**/home");

    await page.goto("/profile");
    const section = page.locator("#delete-account");
    await section.getByLabel("Your password", { exact: true }).fill(JOURNEY_PASSWORD);
    await section.getByLabel("I understand my account and its data will be erased.").check();
    await section.getByRole("button", { name: "Delete my account", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/account/deleted");
    await page.getByText("Your account is scheduled for deletion").waitFor();
    expect(await page.locator("strong").first().textContent()).toMatch(/\d{1,2} \w+ \d{4}/);

    // Signed out: the home page sends to sign-in.
    await page.goto("/home");
    expect(path(page)).toBe("/login");

    // Signing in during the grace period: the offer, not a session.
    await login.getByLabel("Email", { exact: true }).fill(dora.email);
    await login.getByLabel("Password", { exact: true }).fill(JOURNEY_PASSWORD);
    await login.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/account/deletion");
    await page.getByText("Your account is scheduled for deletion on").waitFor();
    await page.getByRole("button", { name: "Cancel the deletion and sign in", exact: true }).click();
    await page.waitForURL("**/home");
    await page.goto("/profile");
    expect(path(page)).toBe("/profile");
    expect(await page.locator("#delete-account").count()).toBe(1);
  },
  TIMEOUT,
);
