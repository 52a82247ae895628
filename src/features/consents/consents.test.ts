// hasConsent — what every feature asks before sending product mail, running analytics or the AI
// assistant (docs/architecture.md, "Consent"): grant, withdraw, re-grant, and old versions of the
// required documents. The rules alone: consent-rules.test.ts; JSON: api.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { consentRecords } from "../../schema";
import { createTestApp, type TestApp } from "../../test/app";
import { api, person, type Person } from "../../test/people";
import { consents, hasConsent, OPTIONAL_PURPOSES, PURPOSES } from ".";
import { consentsPersonalData } from "./personal-data";
import { publishNewVersion } from "./consents.fixture";

let t: TestApp;
let ada: Person;
let bob: Person;
beforeAll(async () => {
  t = await createTestApp();
  ada = await person(t, "Ada Consent");
  bob = await person(t, "Bob Consent");
});
afterAll(() => t.close());

const put = (who: Person, purposes: Record<string, boolean>) => api(t, who, "/api/me/consents", { method: "PUT", json: { purposes } });
const has = (who: Person, purpose: (typeof PURPOSES)[number]) => consents.has(t.deps, who.id, purpose);

describe("consents.has", () => {
  test("after sign-up: the terms and privacy notice yes, every optional purpose no (nothing is on by default)", async () => {
    expect(await has(ada, "terms")).toBe(true);
    expect(await has(ada, "privacy")).toBe(true);
    for (const purpose of OPTIONAL_PURPOSES) expect(await has(ada, purpose)).toBe(false);
  });

  test("grant, withdraw, grant again: the newest answer decides, every answer stays in the history", async () => {
    expect((await put(ada, { analytics: true })).status).toBe(200);
    expect(await has(ada, "analytics")).toBe(true);
    expect(await has(ada, "assistant")).toBe(false);
    expect((await put(ada, { analytics: false })).status).toBe(200);
    expect(await has(ada, "analytics")).toBe(false);
    expect((await put(ada, { analytics: true })).status).toBe(200);
    expect(await has(ada, "analytics")).toBe(true);
    const rows = await t.deps.db.select().from(consentRecords).where(eq(consentRecords.userId, ada.id));
    expect(rows.filter((r) => r.purpose === "analytics").map((r) => r.granted)).toEqual([true, false, true]);
  });

  test("one person's answer is never another's", async () => {
    expect(await has(bob, "analytics")).toBe(false);
    expect((await put(bob, { product_emails: true })).status).toBe(200);
    expect(await has(bob, "product_emails")).toBe(true);
    expect(await has(ada, "product_emails")).toBe(false);
  });

  test("a new version of the terms: the old acceptance no longer counts until the new one is accepted; optional consents stay", async () => {
    const restore = publishNewVersion(t, "TERMS_VERSION", "2099-01-01");
    try {
      expect(await hasConsent(t.deps, ada.id, "terms")).toBe(false);
      expect(await hasConsent(t.deps, ada.id, "privacy")).toBe(true);
      expect(await hasConsent(t.deps, ada.id, "analytics")).toBe(true);
      expect((await put(ada, { terms: true })).status).toBe(200);
      expect(await hasConsent(t.deps, ada.id, "terms")).toBe(true);
    } finally {
      restore();
    }
    // Back at the earlier version, the newest acceptance (of 2099-01-01) is not of the version in force.
    expect(await hasConsent(t.deps, ada.id, "terms")).toBe(false);
  });

  test("a new privacy notice: the same for the notice", async () => {
    const restore = publishNewVersion(t, "PRIVACY_VERSION", "2099-02-01");
    try {
      expect(await has(bob, "privacy")).toBe(false);
      expect(await has(bob, "terms")).toBe(true);
      expect(await has(bob, "product_emails")).toBe(true);
    } finally {
      restore();
    }
    expect(await has(bob, "privacy")).toBe(true);
  });
});

describe("the personal data registration", () => {
  test("the export holds the whole history, the eraser deletes it (and only the person's)", async () => {
    const exported = (await consentsPersonalData.exportFor(t.deps.db, bob.id)) as { history: { purpose: string; granted: boolean; version: string; how: string; at: string }[] };
    expect(exported.history.map((h) => [h.purpose, h.granted, h.how])).toEqual([
      ["terms", true, "signup"],
      ["privacy", true, "signup"],
      ["product_emails", true, "api"],
    ]);
    expect(exported.history[0]!.version).toBe(t.deps.config.TERMS_VERSION);
    const erased = await t.deps.db.transaction((tx) => consentsPersonalData.erase({ tx, deps: t.deps, userId: bob.id, person: { email: bob.email, name: bob.name, blockIds: [] }, tombstone: "x", now: t.deps.now() }));
    expect(erased).toBe(3);
    expect(await t.deps.db.select().from(consentRecords).where(eq(consentRecords.userId, bob.id))).toEqual([]);
    expect((await t.deps.db.select().from(consentRecords).where(eq(consentRecords.userId, ada.id))).length).toBeGreaterThan(0);
    const again = await t.deps.db.transaction((tx) => consentsPersonalData.erase({ tx, deps: t.deps, userId: bob.id, person: { email: bob.email, name: bob.name, blockIds: [] }, tombstone: "x", now: t.deps.now() }));
    expect(again).toBe(0);
  });
});
