// The profile's consent section: the documents as accepted, the optional purposes as a plain form
// (htmx swaps the section), giving and withdrawing, and the history.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../../test/app";
import { person, signedIn, type Person } from "../../test/people";
import { hasConsent } from ".";

let t: TestApp;
let ada: Person;
beforeAll(async () => {
  t = await createTestApp();
  ada = await person(t, "Ada Profile");
});
afterAll(() => t.close());

const htmx = { "hx-request": "true" };
const box = (html: string, purpose: string) => new RegExp(`<input type="checkbox" name="${purpose}" value="on"[^>]*>`).exec(html)?.[0] ?? "";
const historyRows = (html: string) => [...html.matchAll(/<tr data-record="\d+">(.*?)<\/tr>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, "|").replace(/\|+/g, "|"));

describe("the profile's consents", () => {
  test("shows the accepted documents, every optional purpose off, and the sign-up in the history", async () => {
    const browser = await signedIn(t, ada);
    const html = await (await browser.request("/profile")).text();
    expect(html).toContain('<section id="consents" class="card">');
    expect(html).toContain(`accepted version ${t.deps.config.TERMS_VERSION}`);
    for (const purpose of ["product_emails", "assistant", "analytics"]) {
      expect(box(html, purpose)).not.toBe("");
      expect(box(html, purpose)).not.toContain("checked");
    }
    expect(historyRows(html)).toHaveLength(2);
    expect(historyRows(html).every((row) => row.includes("Given") && row.includes("at sign-up"))).toBe(true);
  });

  test("a plain form post gives consent: back to the profile, saying so, the box ticked", async () => {
    const browser = await signedIn(t, ada);
    const response = await browser.request("/profile/consents", { method: "POST", form: { analytics: "on", assistant: "on" } });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/profile?saved=consents#consents");
    expect(await hasConsent(t.deps, ada.id, "analytics")).toBe(true);
    expect(await hasConsent(t.deps, ada.id, "assistant")).toBe(true);
    expect(await hasConsent(t.deps, ada.id, "product_emails")).toBe(false);
    const html = await (await browser.request("/profile?saved=consents")).text();
    expect(html).toContain("Your consents are saved.");
    expect(box(html, "analytics")).toContain("checked");
    expect(box(html, "product_emails")).not.toContain("checked");
  });

  test("withdrawing through htmx: the section comes back with the box unticked and the withdrawal in the history", async () => {
    const browser = await signedIn(t, ada);
    // Unticking analytics: the form sends only the boxes still ticked.
    const response = await browser.request("/profile/consents", { method: "POST", headers: htmx, form: { assistant: "on" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toStartWith('<section id="consents"');
    expect(box(html, "analytics")).not.toContain("checked");
    expect(box(html, "assistant")).toContain("checked");
    expect(await hasConsent(t.deps, ada.id, "analytics")).toBe(false);
    expect(await hasConsent(t.deps, ada.id, "assistant")).toBe(true);
    const rows = historyRows(html);
    expect(rows[0]).toContain("Usage analytics");
    expect(rows[0]).toContain("Withdrawn");
    expect(rows[0]).toContain("in your profile");
    expect(rows).toHaveLength(5);
  });

  test("the required documents cannot be withdrawn here (no field for them), and a forged field changes nothing", async () => {
    const browser = await signedIn(t, ada);
    const response = await browser.request("/profile/consents", { method: "POST", form: { terms: "off", privacy: "", assistant: "on" } });
    expect(response.status).toBe(303);
    expect(await hasConsent(t.deps, ada.id, "terms")).toBe(true);
    expect(await hasConsent(t.deps, ada.id, "privacy")).toBe(true);
  });

  test("signed out, the form leads to sign-in", async () => {
    const response = await t.app.request("/profile/consents", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" }, body: "analytics=on" });
    expect([303, 401]).toContain(response.status);
  });
});
