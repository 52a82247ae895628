// "Download your data" in headless Chromium (issue 11): ask on the profile, watch the section turn
// ready without a reload (the live stream), download the ZIP and open it; and the same without
// JavaScript through the plain form and a reload.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { strFromU8, unzipSync } from "fflate";
import { readFileSync } from "node:fs";
import { PERSONAL_DATA } from "../../src/personal-data";
import { confirmedAccount, isSamePage, markPage, signInAs, startE2E, type E2E } from "./support";

const TIMEOUT = 120_000;

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

function expectArchive(bytes: Uint8Array) {
  const zip = unzipSync(bytes);
  expect(Object.keys(zip)).toContain("README.txt");
  for (const source of PERSONAL_DATA) expect(Object.keys(zip)).toContain(`data/${source.feature}.json`);
  return zip;
}

test(
  "ask for an export on the profile, see it become ready live, download the ZIP and open it",
  async () => {
    const ida = await confirmedAccount(e2e, "Ida Exporting", "ida.export@example.com");
    const { context, page } = await e2e.newPage();
    await signInAs(page, ida.email);
    await page.goto("/profile");
    const section = page.locator("#your-data");
    await markPage(page);
    await section.getByRole("button", { name: "Request my data", exact: true }).click();
    const link = section.getByRole("link", { name: /^Download the ZIP/ });
    await link.waitFor({ timeout: 60_000 });
    expect(await isSamePage(page)).toBe(true); // no reload: the section followed the live stream
    expect(await section.locator("li").first().getAttribute("data-status")).toBe("ready");
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^block-on-block-data-\d{4}-\d{2}-\d{2}\.zip$/);
    const zip = expectArchive(new Uint8Array(readFileSync((await download.path())!)));
    expect(JSON.parse(strFromU8(zip["data/auth.json"]!)).account.email).toBe(ida.email);
    // The bell counts the "ready" notification.
    await page.locator("#notification-count").getByText("1").waitFor();
    await context.close();
  },
  TIMEOUT,
);

test(
  "without JavaScript: the plain form asks, a reload shows the link, and the download works",
  async () => {
    const jo = await confirmedAccount(e2e, "Jo Plainform", "jo.export@example.com");
    const { context, page } = await e2e.newPage({ javaScriptEnabled: false });
    await signInAs(page, jo.email);
    await page.goto("/profile");
    await page.locator("#your-data").getByRole("button", { name: "Request my data", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/profile");
    const link = page.locator("#your-data").getByRole("link", { name: /^Download the ZIP/ });
    for (let i = 0; i < 100 && !(await link.count()); i++) {
      await Bun.sleep(200);
      await page.reload();
    }
    const href = await link.getAttribute("href");
    const response = await page.request.get(href!);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/zip");
    expectArchive(new Uint8Array(await response.body()));
    await context.close();
  },
  TIMEOUT,
);
