// Choosing where you are while registering, in headless Chromium: htmx narrows the lists in place;
// without JavaScript the "Show regions and towns" button does it with a form post.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { isSamePage, markPage, path, startE2E, type E2E } from "./support";

const TIMEOUT = 60_000;
const FORM = "#register-form";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

const select = (page: Page, label: "Country" | "Region" | "Town") => page.locator(FORM).getByLabel(label, { exact: true });
const input = (page: Page, label: "Name" | "Email" | "Password") => page.locator(FORM).getByLabel(label, { exact: true });
const narrowButton = (page: Page) => page.locator(FORM).getByRole("button", { name: "Show regions and towns", exact: true });

/** Waits until `label`'s select offers `option` (the lists fill in after the choice above). */
async function waitForOption(page: Page, label: "Region" | "Town", option: string) {
  await select(page, label).locator("option", { hasText: option }).waitFor({ state: "attached" });
  expect(await select(page, label).isEnabled()).toBe(true);
}

async function fillAccount(page: Page, email: string) {
  await input(page, "Name").fill("Mancunian");
  await input(page, "Email").fill(email);
  await input(page, "Password").fill("correct horse battery");
  await page.locator("#register-acceptTerms").check();
}

describe("with JavaScript (htmx)", () => {
  test(
    "choose United Kingdom, England, Manchester without a page load; Enter creates the account with a 44-001-002 Block ID",
    async () => {
      const { context, page, errors } = await e2e.newPage();
      await page.goto("/register");
      await page.locator(FORM).getByRole("group", { name: "Where you are (optional)" }).waitFor();
      // htmx makes the no-JS button redundant; it is hidden.
      expect(await narrowButton(page).isVisible()).toBe(false);
      expect(await select(page, "Region").isDisabled()).toBe(true);
      await markPage(page);
      await fillAccount(page, "manc-js@example.com");

      await select(page, "Country").selectOption({ label: "United Kingdom (+44)" });
      await waitForOption(page, "Region", "England (001)");
      await select(page, "Region").selectOption({ label: "England (001)" });
      await waitForOption(page, "Town", "Manchester (002)");
      await select(page, "Town").selectOption({ label: "Manchester (002)" });

      // Only the fieldset was swapped: same document, the typed fields untouched, the hint still there.
      expect(await isSamePage(page)).toBe(true);
      expect(await input(page, "Name").inputValue()).toBe("Mancunian");
      expect(await input(page, "Password").inputValue()).toBe("correct horse battery");
      expect(await page.locator("#register-location .hint").textContent()).toContain("Block ID");
      expect(await select(page, "Country").inputValue()).toBe("GB");

      // Enter in a field creates the account (the hidden "Show regions and towns" is not the default button).
      await input(page, "Password").press("Enter");
      await page.waitForURL("**/home");
      const me = await page.evaluate(async () => (await (await fetch("/api/auth/me")).json()) as { user: { blockId: string } });
      expect(me.user.blockId).toMatch(/^44-001-002-\d{6}$/);
      const located = await page.evaluate(async () => (await (await fetch("/api/location/user-location")).json()) as { source: string; location: { town: { name: string } } });
      expect([located.source, located.location.town.name]).toEqual(["picked", "Manchester"]);

      expect(errors).toEqual([]);
      expect(e2e.serverErrors()).toEqual([]);
      await context.close();
    },
    TIMEOUT,
  );
});

describe("without JavaScript (plain forms)", () => {
  test(
    "Show regions and towns narrows the lists with a post, keeps name and email, then registers with a 44-001-002 Block ID",
    async () => {
      const { context, page, errors } = await e2e.newPage({ javaScriptEnabled: false });
      await page.goto("/register");
      expect(await page.evaluate(() => typeof (window as { htmx?: unknown }).htmx)).toBe("undefined");
      expect(await narrowButton(page).isVisible()).toBe(true);
      await fillAccount(page, "manc-nojs@example.com");

      await select(page, "Country").selectOption({ label: "United Kingdom (+44)" });
      expect(await select(page, "Region").isDisabled()).toBe(true);
      await narrowButton(page).click();
      await waitForOption(page, "Region", "England (001)");
      expect(path(page)).toBe("/register");
      // A new page: name and email kept, the password asked for again (never sent back).
      expect(await input(page, "Name").inputValue()).toBe("Mancunian");
      expect(await input(page, "Email").inputValue()).toBe("manc-nojs@example.com");
      expect(await input(page, "Password").inputValue()).toBe("");
      expect(await select(page, "Country").inputValue()).toBe("GB");

      await select(page, "Region").selectOption({ label: "England (001)" });
      await narrowButton(page).click();
      await waitForOption(page, "Town", "Manchester (002)");
      expect(await select(page, "Region").inputValue()).not.toBe("");
      await select(page, "Town").selectOption({ label: "Manchester (002)" });

      await input(page, "Password").fill("correct horse battery");
      await page.locator("#register-acceptTerms").check();
      await page.locator(FORM).getByRole("button", { name: "Create account", exact: true }).click();
      await page.waitForURL("**/home");

      const me = await page.evaluate(async () => (await (await fetch("/api/auth/me")).json()) as { user: { blockId: string } });
      expect(me.user.blockId).toMatch(/^44-001-002-\d{6}$/);

      expect(errors).toEqual([]);
      expect(e2e.serverErrors()).toEqual([]);
      await context.close();
    },
    TIMEOUT,
  );
});
