// The account journey in headless Chromium, with htmx active and with plain forms (JavaScript off).
// Screenshots: set E2E_SCREENSHOT_DIR=/tmp to save the profile page and the login page with an error.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { isSamePage, markPage, path, startE2E, type E2E } from "./support";

const TIMEOUT = 60_000;
const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR;

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

async function screenshot(page: Page, name: string) {
  if (SCREENSHOT_DIR) await page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: true, caret: "initial" });
}

/** The field labelled `label` in `form` shows `text` beside it, tied by aria-describedby and aria-invalid. */
async function expectFieldError(page: Page, form: string, label: string, text: string) {
  const input = page.locator(form).getByLabel(label, { exact: true });
  const field = page.locator(form).locator(".field", { has: page.getByLabel(label, { exact: true }) });
  const error = field.locator(".field-error", { hasText: text });
  await error.waitFor();
  expect(await input.getAttribute("aria-invalid")).toBe("true");
  expect((await input.getAttribute("aria-describedby"))?.split(" ")).toContain((await error.getAttribute("id"))!);
}

/** Waits for a success message (role=status) in `scope`. */
async function expectStatus(page: Page, scope: string, text: string) {
  await page.locator(scope).getByRole("status").filter({ hasText: text }).waitFor();
}

async function fill(page: Page, form: string, values: Record<string, string>) {
  for (const [label, value] of Object.entries(values)) {
    await page.locator(form).getByLabel(label, { exact: true }).fill(value);
  }
}

async function submit(page: Page, form: string, button: string) {
  await page.locator(form).getByRole("button", { name: button, exact: true }).click();
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await fill(page, "#login-form", { Email: email, Password: password });
  await submit(page, "#login-form", "Sign in");
  await page.waitForURL("**/home");
  await page.goto("/profile");
}

for (const js of [true, false]) {
  describe(js ? "with JavaScript (htmx)" : "without JavaScript (plain forms)", () => {
    test(
      "register, sign out and in, edit the profile, revoke another session",
      async () => {
        const id = js ? "js" : "nojs";
        const email = `ada-${id}@example.com`;
        const newEmail = `ada.king-${id}@example.com`;
        const password = "correct horse battery";
        const newPassword = "analytical engine 1843";
        const { context, page, errors } = await e2e.newPage({ javaScriptEnabled: js });

        // Register: lands on the home dashboard, signed in.
        await page.goto("/register");
        await fill(page, "#register-form", { Name: "Ada Lovelace", Email: email, Password: password });
        await page.locator("#register-acceptTerms").check();
        await submit(page, "#register-form", "Create account");
        await page.waitForURL("**/home");
        await page.getByRole("heading", { name: "Welcome, Ada Lovelace" }).waitFor();
        await page.goto("/profile");
        await page.getByRole("heading", { name: "Your profile" }).waitFor();
        expect(await page.locator(".user-menu").getByRole("link", { name: "Ada Lovelace" }).count()).toBe(1);
        expect(await page.evaluate(() => typeof (window as { htmx?: unknown }).htmx)).toBe(js ? "object" : "undefined");

        // Sign out, then back in.
        await page.getByRole("button", { name: "Sign out", exact: true }).click();
        await page.waitForURL("**/login");
        await page.goto("/profile");
        expect(path(page)).toBe("/login");
        await signIn(page, email, password);
        if (js) await markPage(page);

        // Name.
        await fill(page, "#name-form", { "Display name": "Ada King" });
        await submit(page, "#name-form", "Save name");
        await expectStatus(page, "#name-form", "Your name is saved.");
        expect(await page.locator("#name-form").getByLabel("Display name").inputValue()).toBe("Ada King");
        await page.locator(".user-menu").getByRole("link", { name: "Ada King" }).waitFor();

        // Email: a wrong current password first, shown beside the field, without a page load.
        await fill(page, "#email-form", { "Email address": newEmail, "Current password": "not my password" });
        await submit(page, "#email-form", "Change email");
        await expectFieldError(page, "#email-form", "Current password", "That is not your current password.");
        if (js) {
          // Only the email form was swapped: the page, and the name form's message, are still there.
          expect(await isSamePage(page)).toBe(true);
          await expectStatus(page, "#name-form", "Your name is saved.");
        }
        expect(await page.locator("#email-form").getByLabel("Email address").inputValue()).toBe(newEmail);
        await fill(page, "#email-form", { "Current password": password });
        await submit(page, "#email-form", "Change email");
        // Nothing changes until the link mailed to the new address is followed.
        await expectStatus(page, "#email-form", `We sent a link to ${newEmail}`);
        expect(await page.locator("#email-form").getByLabel("Email address").inputValue()).toBe(email);
        await e2e.confirmAddress(page, newEmail);
        await page.goto("/profile");
        expect(await page.locator("#email-form").getByLabel("Email address").inputValue()).toBe(newEmail);
        if (js) await markPage(page);

        // Password.
        await fill(page, "#password-form", { "Current password": password, "New password": newPassword, "Repeat the new password": newPassword });
        await submit(page, "#password-form", "Change password");
        await expectStatus(page, "#password-form", "Your password is changed.");
        if (js) expect(await isSamePage(page)).toBe(true);

        // A second session for the same user, in another browser context, with the new credentials.
        const other = await e2e.newPage({ javaScriptEnabled: js });
        await signIn(other.page, newEmail, newPassword);

        await page.goto("/profile");
        const sessions = page.locator("#sessions .session-item");
        expect(await sessions.count()).toBe(2);
        expect(await sessions.filter({ hasText: "This browser" }).count()).toBe(1);
        if (js) {
          await screenshot(page, "bob-e2e-profile.png");
          await markPage(page);
        }
        await sessions.filter({ hasNotText: "This browser" }).getByRole("button", { name: "Revoke" }).click();
        await expectStatus(page, "#sessions", "The session is revoked.");
        if (js) expect(await isSamePage(page)).toBe(true);
        expect(await sessions.count()).toBe(1);
        expect(await sessions.filter({ hasText: "This browser" }).count()).toBe(1);

        // The other context is signed out; this one is not.
        await other.page.goto("/profile");
        expect(path(other.page)).toBe("/login");
        await page.goto("/profile");
        expect(path(page)).toBe("/profile");

        expect(errors).toEqual([]);
        expect(other.errors).toEqual([]);
        expect(e2e.serverErrors()).toEqual([]);
        await other.context.close();
        await context.close();
      },
      TIMEOUT,
    );
  });
}

describe("with JavaScript: errors in place", () => {
  test(
    "a failed sign-in shows the error inline without a page load",
    async () => {
      const { context, page, errors } = await e2e.newPage();
      await page.goto("/login");
      await markPage(page);
      await fill(page, "#login-form", { Email: "nobody@example.com", Password: "wrong password" });
      await submit(page, "#login-form", "Sign in");
      await page.locator("#login-form").getByRole("alert").filter({ hasText: "That email and password do not match an account." }).waitFor();
      expect(await isSamePage(page)).toBe(true);
      expect(path(page)).toBe("/login");
      expect(await page.locator("#login-form").getByLabel("Email", { exact: true }).inputValue()).toBe("nobody@example.com");
      await screenshot(page, "bob-e2e-login-error.png");
      expect(errors).toEqual([]);
      await context.close();
    },
    TIMEOUT,
  );

  test(
    "a too-short password is refused beside the password field",
    async () => {
      const { context, page, errors } = await e2e.newPage();
      await page.goto("/register");
      await markPage(page);
      await fill(page, "#register-form", { Name: "Short", Email: "short@example.com", Password: "abc" });
      await page.locator("#register-acceptTerms").check();
      await submit(page, "#register-form", "Create account");
      await expectFieldError(page, "#register-form", "Password", "Use at least 8 characters.");
      expect(await isSamePage(page)).toBe(true);
      // The hint stays tied to the field next to the error.
      const input = page.locator("#register-form").getByLabel("Password", { exact: true });
      expect(await input.getAttribute("aria-describedby")).toContain("register-password-hint");
      expect(await page.locator("#register-form").getByLabel("Name", { exact: true }).inputValue()).toBe("Short");
      await page.goto("/profile");
      expect(path(page)).toBe("/login");
      expect(errors).toEqual([]);
      await context.close();
    },
    TIMEOUT,
  );
});
