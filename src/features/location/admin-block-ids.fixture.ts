// Shared setup for the Block ID admin suites (admin-block-ids-api.test.ts, admin-block-ids-pages.test.ts):
// one app with a platform admin and a plain member signed in, four known towns, accounts put straight
// in the tables or signed up for real, and the counter and number look-ups the assertions need.
import { afterAll, beforeAll, expect } from "bun:test";
import { and, eq } from "drizzle-orm";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { createTestApp, loginToken, registerUser, signedInBrowser, strongPassword, type Browser, type TestApp } from "../../test/app";
import { users } from "../auth/schema";
import { issueBlockId } from "./block-id";
import { blockIdCounters, blockIds, countries, regions, towns } from "./schema";

// Filled in by useAdminBlockIdsApp()'s beforeAll; importers read them as live bindings.
export let t: TestApp;
export let admin: Browser;
export let member: Browser;
export let adminId: string;
export let memberId: string;
export let memberToken: string;
export const place: Record<string, { countryId: string; regionId: string; townId: string }> = {};

export const sameOrigin = { origin: "http://localhost" };

/** Opens the app before the file's tests (the admin registers first, so is platform admin) and closes it after. */
export function useAdminBlockIdsApp() {
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT: "off" });
    adminId = (await registerUser(t.app, "root@example.com", "Root Admin")).id;
    memberId = (await registerUser(t.app, "plain@example.com", "Plain Member")).id;
    admin = await signedInBrowser(t.app, "root@example.com");
    member = await signedInBrowser(t.app, "plain@example.com");
    memberToken = await loginToken(t.app, "plain@example.com");
    for (const [key, country, region, town] of [
      ["london", "GB", "England", "London"],
      ["manchester", "GB", "England", "Manchester"],
      ["edinburgh", "GB", "Scotland", "Edinburgh"],
      ["houston", "US", "Texas", "Houston"],
    ] as const) {
      const [row] = await t.deps.db
        .select({ countryId: countries.id, regionId: regions.id, townId: towns.id })
        .from(towns)
        .innerJoin(regions, eq(regions.id, towns.regionId))
        .innerJoin(countries, eq(countries.id, regions.countryId))
        .where(and(eq(countries.id, country), eq(regions.name, region), eq(towns.name, town)));
      place[key] = row!;
    }
  });
  afterAll(() => t.close());
}

/** An account put straight in the tables, with a Block ID issued in `town`. */
export async function seedUser(fields: { name: string; email: string; town: string; createdAt?: number }) {
  const now = fields.createdAt ?? t.deps.now();
  return writeTransaction(t.deps.db, async (tx) => {
    const id = newId();
    await tx.insert(users).values({ id, name: fields.name, email: fields.email, passwordHash: null, emailVerified: false, isPlatformAdmin: false, disabledAt: null, blockId: null, createdAt: now, updatedAt: now });
    const issued = await issueBlockId(tx, { userId: id, townId: place[fields.town]!.townId, source: "picked", now });
    await tx.update(users).set({ blockId: issued.value }).where(eq(users.id, id));
    return { id, blockId: issued.value };
  });
}

/** 23 accounts named "Pager <i>", alternating Manchester and London; returns their ids in creation order.
 * The first 12 share one createdAt an hour ahead (so they come first, ordered by id); the rest are older. */
export async function seedPagers() {
  const at = t.deps.now() + 3_600_000;
  const made: string[] = [];
  for (let i = 0; i < 23; i++) made.push((await seedUser({ name: `Pager ${i}`, email: `pager${i}@example.com`, town: i % 2 ? "london" : "manchester", createdAt: i < 12 ? at : at - i })).id);
  return made;
}

/** A real sign-up in a town, and a bearer token for it. */
export async function registerIn(email: string, name: string, town: string) {
  const response = await t.app.request("/api/auth/register", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, name, password: strongPassword, ...place[town] }),
  });
  expect(response.status).toBe(201);
  const { user } = (await response.json()) as { user: { id: string; blockId: string } };
  return { ...user, token: await loginToken(t.app, email) };
}

const lastSerial = async (prefix: string) => (await t.deps.db.select().from(blockIdCounters).where(eq(blockIdCounters.prefix, prefix)))[0]?.lastSerial ?? 0;
export const serialAfter = async (prefix: string) => `${prefix}-${String((await lastSerial(prefix)) + 1).padStart(6, "0")}`;
export const currentBlockId = async (userId: string) => (await t.deps.db.select({ blockId: users.blockId }).from(users).where(eq(users.id, userId)))[0]!.blockId;
export const numbersOf = (userId: string) => t.deps.db.select().from(blockIds).where(eq(blockIds.userId, userId));

export function api(path: string, init: { method?: string; json?: unknown; as?: Browser } = {}) {
  return (init.as ?? admin).request(path, { method: init.method ?? "GET", json: init.json, headers: sameOrigin });
}

export const move = (userId: string, json: unknown) => api(`/api/admin/users/${userId}/location`, { method: "PUT", json });
