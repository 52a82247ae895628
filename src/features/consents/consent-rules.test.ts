// The consent rules without a database (consent-rules.ts); the service and routes are tested in
// consents.test.ts, api.test.ts, signup.test.ts and reask.test.ts.
import { describe, expect, test } from "bun:test";
import { consentState, counts, pendingRequired, planChange, signUpRecords, type LatestRecord } from "./consent-rules";

const v1 = { TERMS_VERSION: "2026-01-01", PRIVACY_VERSION: "2026-02-01" };
const v2 = { TERMS_VERSION: "2027-01-01", PRIVACY_VERSION: "2026-02-01" };
const rec = (purpose: string, version: string, granted: boolean): LatestRecord => ({ purpose, version, granted, at: 1, how: "signup" });

describe("counts: what hasConsent answers from the newest record", () => {
  test("a required purpose counts only as a yes to the version in force", () => {
    expect(counts(v1, "terms", rec("terms", "2026-01-01", true))).toBe(true);
    expect(counts(v2, "terms", rec("terms", "2026-01-01", true))).toBe(false);
    expect(counts(v1, "terms", rec("terms", "2026-01-01", false))).toBe(false);
    expect(counts(v1, "terms", undefined)).toBe(false);
  });
  test("an optional purpose counts as any yes, whatever the notice's version since", () => {
    expect(counts(v1, "analytics", rec("analytics", "2020-01-01", true))).toBe(true);
    expect(counts(v1, "analytics", rec("analytics", "2026-02-01", false))).toBe(false);
    expect(counts(v1, "analytics", undefined)).toBe(false);
  });
});

describe("state and what must be accepted", () => {
  test("nothing recorded: every purpose off, both documents to accept", () => {
    const state = consentState(v1, []);
    expect(state.map((s) => [s.purpose, s.granted, s.effective])).toEqual([
      ["terms", false, false],
      ["privacy", false, false],
      ["product_emails", false, false],
      ["assistant", false, false],
      ["analytics", false, false],
    ]);
    expect(pendingRequired(state)).toEqual(["terms", "privacy"]);
  });
  test("a new terms version asks for the terms only", () => {
    const state = consentState(v2, [rec("terms", "2026-01-01", true), rec("privacy", "2026-02-01", true)]);
    expect(pendingRequired(state)).toEqual(["terms"]);
    expect(state[0]).toMatchObject({ granted: true, version: "2026-01-01", currentVersion: "2027-01-01", effective: false });
  });
  test("sign-up accepts both documents at their versions, and nothing optional", () => {
    expect(signUpRecords(v1)).toEqual([
      { purpose: "terms", version: "2026-01-01", granted: true },
      { purpose: "privacy", version: "2026-02-01", granted: true },
    ]);
  });
});

describe("planChange", () => {
  const signedUp = consentState(v1, [rec("terms", "2026-01-01", true), rec("privacy", "2026-02-01", true)]);
  test("grants and withdrawals of optional purposes write one record each; unchanged ones none", () => {
    expect(planChange(v1, signedUp, { analytics: true, product_emails: false })).toEqual([{ purpose: "analytics", version: "2026-02-01", granted: true }]);
    const granted = consentState(v1, [rec("terms", "2026-01-01", true), rec("privacy", "2026-02-01", true), rec("analytics", "2026-02-01", true)]);
    expect(planChange(v1, granted, { analytics: true })).toEqual([]);
    expect(planChange(v1, granted, { analytics: false })).toEqual([{ purpose: "analytics", version: "2026-02-01", granted: false }]);
  });
  test("accepting the terms again at the version held writes nothing; at a new version it writes the new one", () => {
    expect(planChange(v1, signedUp, { terms: true, privacy: true })).toEqual([]);
    const old = consentState(v2, [rec("terms", "2026-01-01", true), rec("privacy", "2026-02-01", true)]);
    expect(planChange(v2, old, { terms: true, privacy: true })).toEqual([{ purpose: "terms", version: "2027-01-01", granted: true }]);
  });
  test("withdrawing a required purpose is refused with a 400 naming it and the way out", () => {
    let caught: unknown;
    try {
      planChange(v1, signedUp, { analytics: true, privacy: false });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ status: 400, code: "required_consent", details: { deleteAccountAt: "/profile#delete-account" } });
    expect(Object.keys((caught as { fieldErrors: object }).fieldErrors)).toEqual(["privacy"]);
    expect((caught as Error).message).toMatch(/delete your account/);
  });
});
