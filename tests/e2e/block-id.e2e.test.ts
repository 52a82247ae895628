// The Block ID in headless Chromium (issue 4): the profile shows it with a copy button that copies
// it through the Clipboard API and says so in a toast; the town changes from the profile with htmx
// (and with plain forms). Without JavaScript the button stays hidden and the number is selectable.
// Screenshots: set E2E_SCREENSHOT_DIR=/tmp to save the profile's Block ID section.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { isSamePage, markPage, path, startE2E, type E2E } from "./support";

const TIMEOUT = 60_000;
const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR;
const PASSWORD = "correct horse battery";
const BLOCK_ID = /^\d{1,4}-\d{3}-\d{3}-\d{6}$/;

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

/** Signs up through the form (no location picked: the server's default country) and opens /profile. */
async function signUpAndOpenProfile(page: Page, name: string, email: string) {
  await page.goto("/register");
  const form = page.locator("#register-form");
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await form.locator("#register-acceptTerms").check();
  await form.getByRole("button", { name: "Create account", exact: true }).click();
  await page.waitForURL("**/home");
  await page.goto("/profile");
  await page.getByRole("heading", { level: 2, name: "Block ID", exact: true }).waitFor();
}

const section = (page: Page) => page.locator("#block-id-section");

/** The Block ID the section shows as the current one. */
async function shownBlockId(page: Page) {
  const value = (await section(page).locator(".block-id-current .block-id-value").textContent())?.trim() ?? "";
  expect(value).toMatch(BLOCK_ID);
  return value;
}

describe("with JavaScript", () => {
  test(
    "the copy button copies the Block ID and a toast says so; the town changes with htmx",
    async () => {
      const { context, page, errors } = await e2e.newPage();
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: e2e.baseUrl });
      await signUpAndOpenProfile(page, "Cora Copy", "cora@example.com");
      const blockId = await shownBlockId(page);
      await section(page).getByText("Unassigned, Unassigned, United Kingdom").waitFor();
      await section(page).getByText("the default country", { exact: true }).waitFor();
      await section(page).getByText("Choose your town below").waitFor();

      // app.js reveals the button (the Clipboard API is there); a click copies and a toast confirms.
      const copy = section(page).getByRole("button", { name: `Copy Block ID ${blockId}`, exact: true });
      await copy.waitFor({ state: "visible" });
      await copy.click();
      const toast = page.getByRole("status").filter({ hasText: `Copied ${blockId}` });
      await toast.waitFor();
      expect((await toast.textContent())?.trim()).toBe(`Copied ${blockId}`);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(blockId);
      if (SCREENSHOT_DIR) await section(page).screenshot({ path: join(SCREENSHOT_DIR, "bob-e2e-block-id.png") });

      // Change the town: the pickers narrow with htmx, the section is swapped in place.
      await markPage(page);
      const form = page.locator("#location-form");
      expect(await form.getByLabel("Country", { exact: true }).inputValue()).toBe("GB");
      expect(await form.getByRole("button", { name: "Show regions and towns" }).isVisible()).toBe(false);
      await form.getByLabel("Region", { exact: true }).selectOption({ label: "Scotland (002)" });
      const townPicker = form.getByLabel("Town", { exact: true });
      await townPicker.locator("option", { hasText: "Glasgow (002)" }).waitFor({ state: "attached" });
      await townPicker.selectOption({ label: "Glasgow (002)" });
      await form.getByRole("button", { name: "Change town", exact: true }).click();
      const notice = section(page).getByRole("status").filter({ hasText: "Your new Block ID is" });
      await notice.waitFor();
      const moved = await shownBlockId(page);
      expect(moved).not.toBe(blockId);
      expect(moved).toStartWith("44-002-002-");
      expect((await notice.textContent())?.trim()).toBe(`Your new Block ID is ${moved}; the old one ${blockId} is kept in your history.`);
      await section(page).getByText("Glasgow, Scotland, United Kingdom").waitFor();
      await section(page).getByText("chosen by you", { exact: true }).waitFor();
      await section(page).locator(`[data-block-id="${blockId}"]`).waitFor();
      expect(await isSamePage(page)).toBe(true);
      expect(path(page)).toBe("/profile");

      // The swapped-in section's copy button works as well (app.js reveals it on htmx:load).
      const copyMoved = section(page).getByRole("button", { name: `Copy Block ID ${moved}`, exact: true });
      await copyMoved.waitFor({ state: "visible" });
      await copyMoved.click();
      await page.getByRole("status").filter({ hasText: `Copied ${moved}` }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(moved);

      expect(errors).toEqual([]);
      expect(e2e.serverErrors()).toEqual([]);
      await context.close();
    },
    TIMEOUT,
  );
});

describe("without JavaScript", () => {
  test(
    "no copy button, the Block ID is selectable text, and the town changes through plain forms",
    async () => {
      const { context, page, errors } = await e2e.newPage({ javaScriptEnabled: false });
      await signUpAndOpenProfile(page, "Noah Script", "noah@example.com");
      const blockId = await shownBlockId(page);
      const value = section(page).locator(".block-id-current .block-id-value");
      expect(await value.isVisible()).toBe(true);
      expect(await section(page).locator("button[data-copy]").count()).toBe(1);
      expect(await section(page).locator("button[data-copy]").isVisible()).toBe(false);
      expect(await value.evaluate((element) => getComputedStyle(element).userSelect)).toBe("all");

      // "Show regions and towns" narrows the pickers through the server, then the move is a 303.
      const form = () => page.locator("#location-form");
      await form().getByLabel("Country", { exact: true }).selectOption("US");
      await form().getByRole("button", { name: "Show regions and towns", exact: true }).click();
      await form().getByLabel("Region", { exact: true }).selectOption({ label: "Texas (003)" });
      await form().getByRole("button", { name: "Show regions and towns", exact: true }).click();
      await form().getByLabel("Town", { exact: true }).selectOption({ label: "Austin (002)" });
      expect(await shownBlockId(page)).toBe(blockId);
      await form().getByRole("button", { name: "Change town", exact: true }).click();
      await page.waitForURL("**/profile?saved=location");
      const moved = await shownBlockId(page);
      expect(moved).toStartWith("1-003-002-");
      await section(page).getByText(`Your new Block ID is ${moved}; the old one ${blockId} is kept in your history.`).waitFor();
      await section(page).getByText("Austin, Texas, United States").waitFor();

      expect(errors).toEqual([]);
      expect(e2e.serverErrors()).toEqual([]);
      await context.close();
    },
    TIMEOUT,
  );
});
