// Importing an .ics in headless Chromium (issue 13): Ada picks a 3,000-event file on the calendar settings page;
// while it uploads, the bar under the form fills from her page's event stream; the report replaces the page in
// place (no reload), and the events are in her calendar.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { apiCall, confirmedAccount, isSamePage, livePage, markPage, signInAs, startE2E, streamOpen, type E2E } from "./support";

const TIMEOUT = 120_000;

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

function bigCalendar(count: number): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Journey//EN"];
  for (let i = 0; i < count; i++) {
    const start = new Date(Date.UTC(2027, 0, 1) + i * 5 * 3600_000).toISOString().replace(/[-:]/g, "").slice(0, 15);
    lines.push("BEGIN:VEVENT", `UID:journey-${i}@example.org`, `DTSTART;TZID=Europe/Berlin:${start}`, "DURATION:PT45M", `SUMMARY:Imported ${i}`, "END:VEVENT");
  }
  return [...lines, "END:VCALENDAR", ""].join("\r\n");
}

test(
  "an .ics upload shows its progress live and then the report, on the same page",
  async () => {
    const ada = await confirmedAccount(e2e, "Ada Importer", "ada.import@example.com");
    const { calendar } = await apiCall(e2e, "/api/calendars", { json: { name: "Imported things", contextType: "personal", timeZone: "Europe/Berlin" }, token: ada.bearer });
    const { context, page, errors } = await livePage(e2e);
    await signInAs(page, ada.email);
    await page.goto("/calendar/settings");
    await streamOpen(page);
    await markPage(page);
    // Note every state the bar shows while the upload is pending.
    await page.evaluate((id) => {
      const seen: string[] = ((window as unknown as { __progress: string[] }).__progress = []);
      const bar = document.querySelector(`#import-${id}`)!.closest("form")!.querySelector(".cal-import-progress")!;
      new MutationObserver(() => seen.push(bar.textContent ?? "")).observe(bar, { childList: true, subtree: true, characterData: true });
    }, calendar.id);

    const item = page.locator("li", { has: page.locator(`#import-${calendar.id}`) });
    await item.getByText("Import from a file", { exact: true }).click();
    await page.locator(`#import-${calendar.id}`).setInputFiles({ name: "big.ics", mimeType: "text/calendar", buffer: Buffer.from(bigCalendar(3000)) });
    await item.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByText("Imported 3,000 events from the file:").waitFor({ timeout: 60_000 });
    await page.getByText("3,000 new, 0 updated, 0 unchanged.").waitFor();

    const seen = await page.evaluate(() => (window as unknown as { __progress?: string[] }).__progress ?? null);
    // The page was swapped in place, so the observer's record survives; it saw the bar move.
    expect(seen).not.toBeNull();
    expect(seen!.some((text) => /^(Reading|Saving): [\d,]+ of 3,000$/.test(text.trim()))).toBe(true);
    expect(await isSamePage(page)).toBe(true);

    const { occurrences } = await apiCall(e2e, `/api/calendar/events?from=2027-01-01T00:00:00Z&to=2027-03-01T00:00:00Z&calendarIds=${calendar.id}`, { method: "GET", token: ada.bearer });
    expect(occurrences.length).toBeGreaterThan(250);
    expect(errors).toEqual([]);
    await context.close();
    expect(e2e.serverErrors()).toEqual([]);
  },
  TIMEOUT,
);
