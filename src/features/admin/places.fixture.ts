// Shared setup for the places admin suites (places-access, places-api, places-input and
// places-pages .test.ts): `const f = usePlacesApp()` opens one app before the file's tests, with a
// platform admin and a plain member signed in, and closes it after; its fields are read inside
// tests. It makes regions and towns through the API, registers accounts at a picked place, and
// looks up the rows and audit events the assertions need.
import { expect } from "bun:test";
import { and, eq } from "drizzle-orm";
import { createTestApp, loginToken, registerUser, signedInBrowser, strongPassword, type Browser, type TestApp } from "../../test/app";
import { auditEvents } from "../audit/schema";
import { regions, towns } from "../location/schema";
import { useOpenedApp } from "./admin.fixture";

export const json = { "content-type": "application/json" };
export const sameOrigin = { origin: "http://localhost" };

interface PlacesApp {
  t: TestApp;
  admin: Browser;
  member: Browser;
  adminId: string;
  memberToken: string;
}

/** The admin registers first, so is platform admin. */
async function openPlacesApp(): Promise<PlacesApp> {
  const t = await createTestApp({ RATE_LIMIT: "off" });
  const adminId = (await registerUser(t.app, "root@example.com", "Root Admin")).id;
  await registerUser(t.app, "plain@example.com", "Plain Member");
  const admin = await signedInBrowser(t.app, "root@example.com");
  const member = await signedInBrowser(t.app, "plain@example.com");
  const memberToken = await loginToken(t.app, "plain@example.com");
  return { t, admin, member, adminId, memberToken };
}

/** Opens the app before the file's tests and closes it after; read its fields inside tests. */
export function usePlacesApp() {
  return useOpenedApp(openPlacesApp, (open) => {
    let codeSeq = 100;
    /** A fresh three-digit code, so tests do not clash with one another. */
    const nextCode = () => String(++codeSeq);

    /** A same-origin request as the admin, with an optional JSON body. */
    async function api(method: string, path: string, body?: unknown) {
      return open().admin.request(path, { method, headers: sameOrigin, ...(body === undefined ? {} : { json: body }) });
    }

    async function newRegion(countryId: string, name: string, code = nextCode()) {
      const response = await api("POST", "/api/admin/location/regions", { countryId, code, name });
      expect(response.status).toBe(201);
      return ((await response.json()) as { region: { id: string; code: string; name: string; countryId: string; unassignedTownId: string } }).region;
    }

    async function newTown(regionId: string, name: string, code = nextCode()) {
      const response = await api("POST", "/api/admin/location/towns", { regionId, code, name });
      expect(response.status).toBe(201);
      return ((await response.json()) as { town: { id: string; code: string; name: string; regionId: string } }).town;
    }

    /** Registers an account at a picked place, so a Block ID is issued there. */
    async function registerAt(email: string, place: { countryId?: string; regionId?: string; townId?: string }) {
      const response = await open().t.app.request("/api/auth/register", {
        method: "POST",
        headers: { ...json, "x-forwarded-for": "203.0.113.9" },
        body: JSON.stringify({ acceptTerms: true, email, password: strongPassword, name: "Placed User", ...place }),
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { user: { id: string; blockId: string } }).user;
    }

    const db = () => open().t.deps.db;

    return {
      nextCode,
      api,
      newRegion,
      newTown,
      registerAt,
      auditOf: (targetId: string) => db().select().from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(auditEvents.at),
      townsOf: (regionId: string) => db().select().from(towns).where(eq(towns.regionId, regionId)).orderBy(towns.code),
      regionRow: async (id: string) => (await db().select().from(regions).where(eq(regions.id, id)))[0] ?? null,
      unassignedRegionOf: async (countryId: string) => (await db().select().from(regions).where(and(eq(regions.countryId, countryId), eq(regions.code, "000"))))[0]!,
    };
  });
}

export async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string; details: { fieldErrors?: Record<string, string[]> } } }).error;
}

export const form = (browser: Browser, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  browser.request(path, { method: "POST", headers: { ...sameOrigin, ...headers }, form: fields });
