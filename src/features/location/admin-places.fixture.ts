// Shared setup for the places admin suites (admin-places-access, admin-places-api and admin-places-pages
// .test.ts): one app with a platform admin and a plain member signed in, regions and towns made through
// the API, accounts registered at a picked place, and the row and audit look-ups the assertions need.
import { afterAll, beforeAll, expect } from "bun:test";
import { and, eq } from "drizzle-orm";
import { createTestApp, loginToken, registerUser, strongPassword, type Browser, type TestApp } from "../../test/app";
import { auditEvents } from "../audit/schema";
import { signIn } from "../admin/test-support";
import { regions, towns } from "./schema";

// Filled in by useAdminPlacesApp()'s beforeAll; importers read them as live bindings.
export let t: TestApp;
export let admin: Browser;
export let member: Browser;
export let adminId: string;
export let memberToken: string;

export const json = { "content-type": "application/json" };
export const sameOrigin = { origin: "http://localhost" };

/** Opens the app before the file's tests (the admin registers first, so is platform admin) and closes it after. */
export function useAdminPlacesApp() {
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT: "off" });
    adminId = (await registerUser(t.app, "root@example.com", "Root Admin")).id;
    await registerUser(t.app, "plain@example.com", "Plain Member");
    admin = await signIn(t, "root@example.com");
    member = await signIn(t, "plain@example.com");
    memberToken = await loginToken(t.app, "plain@example.com");
  });
  afterAll(() => t.close());
}

let codeSeq = 100;
/** A fresh three-digit code, so tests do not clash with one another. */
export const nextCode = () => String(++codeSeq);

export async function api(method: string, path: string, body?: unknown) {
  return admin.request(path, { method, headers: sameOrigin, ...(body === undefined ? {} : { json: body }) });
}

export async function newRegion(countryId: string, name: string, code = nextCode()) {
  const response = await api("POST", "/api/admin/location/regions", { countryId, code, name });
  expect(response.status).toBe(201);
  return ((await response.json()) as { region: { id: string; code: string; name: string; countryId: string; unassignedTownId: string } }).region;
}

export async function newTown(regionId: string, name: string, code = nextCode()) {
  const response = await api("POST", "/api/admin/location/towns", { regionId, code, name });
  expect(response.status).toBe(201);
  return ((await response.json()) as { town: { id: string; code: string; name: string; regionId: string } }).town;
}

/** Registers an account at a picked place, so a Block ID is issued there. */
export async function registerAt(email: string, place: { countryId?: string; regionId?: string; townId?: string }) {
  const response = await t.app.request("/api/auth/register", {
    method: "POST",
    headers: { ...json, "x-forwarded-for": "203.0.113.9" },
    body: JSON.stringify({ email, password: strongPassword, name: "Placed User", ...place }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { user: { id: string; blockId: string } }).user;
}

export async function auditOf(targetId: string) {
  return t.deps.db.select().from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(auditEvents.at);
}

export async function townsOf(regionId: string) {
  return t.deps.db.select().from(towns).where(eq(towns.regionId, regionId)).orderBy(towns.code);
}

export async function regionRow(id: string) {
  const [row] = await t.deps.db.select().from(regions).where(eq(regions.id, id));
  return row ?? null;
}

export async function unassignedRegionOf(countryId: string) {
  const [row] = await t.deps.db.select().from(regions).where(and(eq(regions.countryId, countryId), eq(regions.code, "000")));
  return row!;
}

export async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string; details: { fieldErrors?: Record<string, string[]> } } }).error;
}

export const form = (browser: Browser, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  browser.request(path, { method: "POST", headers: { ...sameOrigin, ...headers }, form: fields });
