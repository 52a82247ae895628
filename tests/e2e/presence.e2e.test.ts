// Presence in headless Chromium (issue 10): two people of one business in two browser contexts. One
// watches the members tab; the other sets "do not disturb" with a text from the header's status menu,
// and the dot beside their name changes on the first one's page without a reload — twice, so the dot
// swapped in by the page stream keeps listening.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { apiCall, confirmedAccount, isSamePage, markPage, signInAs, startE2E, type E2E } from "./support";

const TIMEOUT = 120_000;

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

/** Sets the status from the header's menu (loaded by htmx after the page). */
async function setStatus(page: Page, mode: string, text: string) {
  const menu = page.locator("#status-menu");
  await menu.locator("summary").click();
  const form = page.locator("#status-menu-form");
  await form.getByRole("radio", { name: mode }).check();
  await form.getByLabel("Status text", { exact: true }).fill(text);
  await form.getByRole("button", { name: "Save status", exact: true }).click();
}

test(
  "a member's status set from the header changes the dot on a co-member's members tab live",
  async () => {
    const olive = await confirmedAccount(e2e, "Olive", "olive.presence@example.com");
    const sam = await confirmedAccount(e2e, "Sam", "sam.presence@example.com");
    const { business } = await apiCall(e2e, "/api/businesses", { json: { name: "Dots Ltd", kind: "company" }, token: olive.bearer });
    await apiCall(e2e, `/api/businesses/${business.id}/members/invitations`, { json: { invitations: [{ email: sam.email, role: "member" }] }, token: olive.bearer });

    const samSession = await e2e.newPage();
    await signInAs(samSession.page, sam.email);
    await samSession.page.goto(await e2e.mailLink(sam.email, "/invitations/"));
    await samSession.page.getByRole("button", { name: "Accept", exact: true }).click();
    await samSession.page.waitForURL((url) => url.pathname === `/business/${business.id}/workspace`);

    const oliveSession = await e2e.newPage();
    const page = oliveSession.page;
    await signInAs(page, olive.email);
    await page.goto(`/business/${business.id}/workspace/members`);
    const samDot = page.locator(`#members-panel span.presence[sse-swap="presence-${sam.id}"]`);
    // Sam has a page open (its stream) and has just used the app: online.
    await samDot.and(page.locator(".presence-online")).waitFor();
    await markPage(page);

    await setStatus(samSession.page, "Do not disturb", "Deep work");
    await samSession.page.locator("#status-menu summary", { hasText: "Deep work" }).waitFor();
    await page.locator(`#members-panel span.presence-dnd[sse-swap="presence-${sam.id}"][aria-label="Do not disturb: Deep work"]`).waitFor();

    await setStatus(samSession.page, "Automatic (online while you use the app)", "");
    await page.locator(`#members-panel span.presence-online[sse-swap="presence-${sam.id}"][aria-label="Online"]`).waitFor();
    expect(await samDot.count()).toBe(1);
    expect(await isSamePage(page)).toBe(true);

    await Promise.all([oliveSession.context.close(), samSession.context.close()]);
    expect(oliveSession.errors).toEqual([]);
    expect(samSession.errors).toEqual([]);
    expect(e2e.serverErrors()).toEqual([]);
  },
  TIMEOUT,
);
