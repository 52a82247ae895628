// GET/PUT /api/me/consents: the caller's own consents only, valid changes, invalid input as 400s with
// field details, the refusal to withdraw a required purpose, and the rate limit. The gate is in reask.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../schema";
import { createTestApp, type TestApp } from "../../test/app";
import { api, person, type Person } from "../../test/people";
import { CONSENT_CHANGES_PER_HOUR } from "./service";

let t: TestApp;
let ada: Person;
let bob: Person;
beforeAll(async () => {
  t = await createTestApp();
  ada = await person(t, "Ada Api");
  bob = await person(t, "Bob Api");
});
afterAll(() => t.close());

interface PurposeJson {
  granted: boolean;
  version: string | null;
  at: string | null;
  how: string | null;
  required: boolean;
  currentVersion: string;
  effective: boolean;
}
type ConsentsJson = { purposes: Record<string, PurposeJson>; mustAccept: string[]; changed?: { purpose: string; granted: boolean; version: string }[] };

const get = async (who: Person) => {
  const response = await api(t, who, "/api/me/consents");
  expect(response.status).toBe(200);
  return (await response.json()) as ConsentsJson;
};
const put = (who: Person, json: unknown) => api(t, who, "/api/me/consents", { method: "PUT", json });
const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string; details: { fieldErrors?: Record<string, string[]> } & Record<string, unknown> } }).error;

describe("GET /api/me/consents", () => {
  test("every purpose with granted, version, at, how, required and the version in force", async () => {
    const body = await get(ada);
    expect(Object.keys(body.purposes)).toEqual(["terms", "privacy", "product_emails", "assistant", "analytics"]);
    expect(body.purposes.terms).toMatchObject({ granted: true, version: t.deps.config.TERMS_VERSION, how: "signup", required: true, currentVersion: t.deps.config.TERMS_VERSION, effective: true });
    expect(body.purposes.privacy).toMatchObject({ granted: true, version: t.deps.config.PRIVACY_VERSION, required: true, effective: true });
    expect(new Date(body.purposes.terms!.at!).toISOString()).toBe(body.purposes.terms!.at!);
    expect(body.purposes.analytics).toEqual({ granted: false, version: null, at: null, how: null, required: false, currentVersion: t.deps.config.PRIVACY_VERSION, effective: false });
    expect(body.mustAccept).toEqual([]);
  });

  test("needs a signed-in caller", async () => {
    expect((await t.app.request("/api/me/consents")).status).toBe(401);
    expect((await t.app.request("/api/me/consents", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ purposes: { analytics: true } }) })).status).toBe(401);
  });
});

describe("PUT /api/me/consents", () => {
  test("grants and withdraws the purposes named, leaves the others, and audits the change", async () => {
    const granted = await put(ada, { purposes: { product_emails: true, assistant: true } });
    expect(granted.status).toBe(200);
    const body = (await granted.json()) as ConsentsJson;
    expect(body.purposes.product_emails).toMatchObject({ granted: true, how: "api", effective: true });
    expect(body.purposes.assistant).toMatchObject({ granted: true, how: "api" });
    expect(body.purposes.analytics!.granted).toBe(false);
    expect(body.changed!.map((c) => c.purpose).sort()).toEqual(["assistant", "product_emails"]);

    const withdrawn = (await (await put(ada, { purposes: { assistant: false } })).json()) as ConsentsJson;
    expect(withdrawn.purposes.assistant).toMatchObject({ granted: false, how: "api", effective: false });
    expect(withdrawn.purposes.product_emails!.granted).toBe(true);

    const audit = await t.deps.db.select().from(auditEvents).where(and(eq(auditEvents.action, "consent.change"), eq(auditEvents.targetId, ada.id)));
    // Sign-up, the grant, the withdrawal.
    expect(audit.map((a) => (a.details as { how: string }).how)).toEqual(["signup", "api", "api"]);
    expect(audit[2]!.details).toMatchObject({ changes: [{ purpose: "assistant", granted: false }] });
  });

  test("the same answer again changes nothing and records nothing", async () => {
    const again = (await (await put(ada, { purposes: { product_emails: true, terms: true } })).json()) as ConsentsJson;
    expect(again.changed).toEqual([]);
  });

  test("withdrawing the terms or the privacy notice is refused: 400, the field named, delete the account instead", async () => {
    for (const purposes of [{ terms: false }, { privacy: false, analytics: true }]) {
      const response = await put(ada, { purposes });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe("required_consent");
      expect(error.message).toMatch(/delete your account/);
      expect(Object.keys(error.details.fieldErrors!)).toEqual(Object.keys(purposes).filter((p) => p !== "analytics"));
    }
    // Refused as a whole: the analytics grant sent with it was not written.
    expect((await get(ada)).purposes.analytics!.granted).toBe(false);
    expect((await get(ada)).purposes.privacy!.effective).toBe(true);
  });

  test("invalid bodies are 400s with field details, never 500s", async () => {
    const cases: [unknown, string][] = [
      [{}, "purposes"],
      [{ purposes: {} }, "purposes"],
      [{ purposes: { marketing: true } }, "purposes"],
      [{ purposes: { analytics: "yes" } }, "purposes"],
      [{ purposes: [true] }, "purposes"],
      [[], "_form"],
    ];
    for (const [json, field] of cases) {
      const response = await put(ada, json);
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe("validation_failed");
      expect(Object.keys(error.details.fieldErrors!)).toContain(field);
    }
    const broken = await t.app.request("/api/me/consents", { method: "PUT", headers: { authorization: `Bearer ${ada.token}`, "content-type": "application/json" }, body: "{nope" });
    expect(broken.status).toBe(400);
  });

  test("another person's consents are never visible or changed: each answer is the caller's own", async () => {
    await put(bob, { purposes: { analytics: true } });
    const adas = await get(ada);
    const bobs = await get(bob);
    expect(adas.purposes.analytics!.granted).toBe(false);
    expect(bobs.purposes.analytics!.granted).toBe(true);
    expect(bobs.purposes.product_emails!.granted).toBe(false);
    const history = (await (await api(t, bob, "/api/me/consents/history")).json()) as { history: { purpose: string }[] };
    expect(history.history.map((h) => h.purpose)).toEqual(["analytics", "privacy", "terms"]);
    // There is no way to name someone else: no id in the path, and a userId in the body is ignored.
    expect((await put(bob, { userId: ada.id, purposes: { analytics: false } })).status).toBe(200);
    expect((await get(ada)).purposes.analytics!.granted).toBe(false);
    expect((await get(bob)).purposes.analytics!.granted).toBe(false);
  });
});

describe("rate limit", () => {
  test(`at most ${CONSENT_CHANGES_PER_HOUR} changes an hour per person: then 429 with Retry-After`, async () => {
    const limited = await createTestApp();
    try {
      const cy = await person(limited, "Cy Limit");
      for (let i = 0; i < CONSENT_CHANGES_PER_HOUR; i++) {
        const response = await api(limited, cy, "/api/me/consents", { method: "PUT", json: { purposes: { analytics: i % 2 === 0 } } });
        expect(response.status).toBe(200);
      }
      const over = await api(limited, cy, "/api/me/consents", { method: "PUT", json: { purposes: { analytics: true } } });
      expect(over.status).toBe(429);
      expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
      // Another person is not held by Cy's limit.
      const dee = await person(limited, "Dee Free");
      expect((await api(limited, dee, "/api/me/consents", { method: "PUT", json: { purposes: { analytics: true } } })).status).toBe(200);
    } finally {
      limited.close();
    }
  });
});
