// The calendar in headless Chromium (issue 12): Ada creates a weekly event from the drawer, moves one
// occurrence by dragging it in the week view, deletes "this and following" — and after each step the month grid
// is right, on her page and, live, on Bob's (a colleague in the same business). Then the same journey without
// JavaScript, through the drawer's plain forms.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { apiCall, confirmedAccount, isSamePage, livePage, markPage, signInAs, startE2E, streamOpen, type E2E } from "./support";

const TIMEOUT = 120_000;

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

/** "date title" for every chip of the month grid whose title matches. */
async function monthChips(page: Page, title: RegExp): Promise<string[]> {
  const chips = await page.locator("#calendar-grid .cal-day").evaluateAll((days) =>
    days.flatMap((day) => Array.from(day.querySelectorAll(".cal-chip")).map((chip) => `${(day as HTMLElement).dataset.date} ${chip.querySelector(".cal-chip-time")?.textContent ?? ""} ${chip.querySelector(".cal-chip-title")?.textContent ?? ""}`)),
  );
  return chips.filter((chip) => title.test(chip));
}

async function expectMonth(page: Page, title: RegExp, expected: string[]) {
  for (let i = 0; i < 100; i++) {
    if (JSON.stringify(await monthChips(page, title)) === JSON.stringify(expected)) return;
    await page.waitForTimeout(100);
  }
  expect(await monthChips(page, title)).toEqual(expected);
}

describe("calendar with JavaScript", () => {
  let ada: Awaited<ReturnType<typeof confirmedAccount>>;
  let bob: Awaited<ReturnType<typeof confirmedAccount>>;

  beforeAll(async () => {
    ada = await confirmedAccount(e2e, "Ada Calendar", "ada.cal@example.com");
    bob = await confirmedAccount(e2e, "Bob Calendar", "bob.cal@example.com");
    const { business } = await apiCall(e2e, "/api/businesses", { json: { name: "Cal Ltd", kind: "company" }, token: ada.bearer });
    await e2e.database.execute({ sql: "insert into business_members (business_id, user_id, role, joined_at) values (?, ?, 'member', ?)", args: [business.id, bob.id, Date.now()] });
  });

  test(
    "create a weekly event in the drawer, drag one occurrence, delete this and following; Bob's month grid follows live",
    async () => {
      const bobSide = await livePage(e2e);
      await signInAs(bobSide.page, bob.email);
      await bobSide.page.goto("/calendar?view=month&date=2027-01-01");
      await streamOpen(bobSide.page);
      await markPage(bobSide.page);

      const { context, page, errors } = await livePage(e2e);
      await signInAs(page, ada.email);
      await page.goto("/calendar?view=week&date=2027-01-04");
      await streamOpen(page);
      await markPage(page);

      // 1. Create from the drawer: weekly on Monday, 4 times, in the business's calendar.
      await page.getByRole("link", { name: "New event", exact: true }).click();
      const drawer = page.locator("#calendar-drawer");
      await drawer.getByLabel("Title", { exact: true }).fill("Team sync");
      await drawer.getByLabel("Calendar", { exact: true }).selectOption({ label: "Cal Ltd" });
      await drawer.locator("#ev-startDate").fill("2027-01-04");
      await drawer.locator("#ev-startTime").fill("10:00");
      await drawer.locator("#ev-endDate").fill("2027-01-04");
      await drawer.locator("#ev-endTime").fill("11:00");
      await drawer.getByLabel("Repeats", { exact: true }).selectOption("weekly");
      await drawer.getByLabel("after", { exact: true }).check();
      await drawer.getByLabel("Times", { exact: true }).fill("4");
      await drawer.getByLabel("Times", { exact: true }).dispatchEvent("change");
      await drawer.locator("#ev-summary").getByText("Weekly on Monday, 4 times").waitFor();
      await drawer.getByRole("button", { name: "Save" }).click();
      await drawer.getByText("“Team sync” added.").waitFor();
      await page.locator('.cal-ev:has-text("Team sync")').waitFor();
      expect(await isSamePage(page)).toBe(true);
      await expectMonth(bobSide.page, /Team sync/, ["2027-01-04 10:00 Team sync", "2027-01-11 10:00 Team sync", "2027-01-18 10:00 Team sync", "2027-01-25 10:00 Team sync"]);
      expect(await isSamePage(bobSide.page)).toBe(true);

      // 2. Next week (the address follows), then drag the 11 January occurrence an hour later: "This event".
      await page.getByRole("link", { name: "Next" }).click();
      await page.waitForURL(/date=2027-01-11/);
      const block = page.locator('.cal-col[data-date="2027-01-11"] .cal-ev:has-text("Team sync")');
      await block.scrollIntoViewIfNeeded();
      const box = (await block.boundingBox())!;
      const column = (await page.locator('.cal-col[data-date="2027-01-11"]').boundingBox())!;
      const hour = (column.height / 288) * 12;
      await page.mouse.move(box.x + box.width / 2, box.y + 8);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + 8 + hour / 2, { steps: 4 });
      await page.mouse.move(box.x + box.width / 2, box.y + 8 + hour, { steps: 4 });
      await page.mouse.up();
      await drawer.getByText("This event repeats").waitFor();
      await drawer.getByRole("button", { name: "This event", exact: true }).click();
      await drawer.getByText("Moved.").waitFor();
      await page.locator('.cal-col[data-date="2027-01-11"] .cal-ev:has-text("11:00")').waitFor();
      await expectMonth(bobSide.page, /Team sync/, ["2027-01-04 10:00 Team sync", "2027-01-11 11:00 Team sync", "2027-01-18 10:00 Team sync", "2027-01-25 10:00 Team sync"]);

      // 3. Delete the 18 January occurrence "and following" from the drawer.
      await page.getByRole("link", { name: "Month", exact: true }).click();
      await page.waitForURL(/view=month/);
      await page.locator('.cal-day[data-date="2027-01-18"] .cal-chip:has-text("Team sync")').click();
      await drawer.locator(".cal-delete").getByLabel("This and following events").check();
      await drawer.locator(".cal-delete").getByRole("button", { name: "Delete" }).click();
      await drawer.getByText("Deleted.").waitFor();
      await expectMonth(page, /Team sync/, ["2027-01-04 10:00 Team sync", "2027-01-11 11:00 Team sync"]);
      await expectMonth(bobSide.page, /Team sync/, ["2027-01-04 10:00 Team sync", "2027-01-11 11:00 Team sync"]);
      expect(await isSamePage(page)).toBe(true);
      expect(await isSamePage(bobSide.page)).toBe(true);

      // Back and forward keep view and date (the address holds them).
      await page.goBack();
      await page.waitForURL(/view=week&date=2027-01-11/);
      await page.locator('.cal-col[data-date="2027-01-11"]').waitFor();
      expect(errors).toEqual([]);
      expect(bobSide.errors).toEqual([]);
      await context.close();
      await bobSide.context.close();
      expect(e2e.serverErrors()).toEqual([]);
    },
    TIMEOUT,
  );
});

test(
  "without JavaScript: the drawer's forms create, change one occurrence and delete this and following",
  async () => {
    const cy = await confirmedAccount(e2e, "Cy Plainform", "cy.cal@example.com");
    const { context, page, errors } = await e2e.newPage({ javaScriptEnabled: false });
    await signInAs(page, cy.email);
    await page.goto("/calendar?view=month&date=2027-02-01");
    await page.locator('.cal-day[data-date="2027-02-01"] .cal-add').click();
    await page.waitForURL(/\/calendar\/events\/new/);
    await page.getByLabel("Title", { exact: true }).fill("Piano");
    await page.locator("#ev-startTime").fill("17:00");
    await page.locator("#ev-endTime").fill("18:00");
    await page.getByLabel("Repeats", { exact: true }).selectOption("weekly");
    await page.getByLabel("after", { exact: true }).check();
    await page.getByLabel("Times", { exact: true }).fill("3");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\/calendar\?view=month&date=2027-02-01/);
    await expectMonth(page, /Piano/, ["2027-02-01 17:00 Piano", "2027-02-08 17:00 Piano", "2027-02-15 17:00 Piano"]);

    await page.locator('.cal-day[data-date="2027-02-08"] .cal-chip:has-text("Piano")').click();
    await page.getByLabel("Title", { exact: true }).fill("Piano (recital)");
    await page.locator("#ev-startTime").fill("19:00");
    await page.locator("#ev-endTime").fill("20:00");
    await page.locator(".cal-event-form").getByLabel("This event", { exact: true }).check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\/calendar\?view=month/);
    await expectMonth(page, /Piano/, ["2027-02-01 17:00 Piano", "2027-02-08 19:00 Piano (recital)", "2027-02-15 17:00 Piano"]);

    await page.locator('.cal-day[data-date="2027-02-08"] .cal-chip:has-text("Piano")').click();
    await page.locator(".cal-delete").getByLabel("This and following events").check();
    await page.locator(".cal-delete").getByRole("button", { name: "Delete" }).click();
    await page.waitForURL(/\/calendar\?view=month/);
    await expectMonth(page, /Piano/, ["2027-02-01 17:00 Piano"]);
    expect(errors).toEqual([]);
    await context.close();
  },
  TIMEOUT,
);
