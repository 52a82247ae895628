// Shared setup for the Block ID admin suites (block-ids-api.test.ts, block-ids-pages.test.ts):
// `const f = useBlockIdsApp()` opens one app before the file's tests, with a platform admin and a
// plain member signed in and four known towns, and closes it after; its fields are read inside
// tests. It puts accounts straight in the tables or signs them up for real, and looks up the
// counters and numbers the assertions need.
import { expect } from "bun:test";
import { and, eq } from "drizzle-orm";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { createTestApp, loginToken, registerUser, signedInBrowser, strongPassword, type Browser, type TestApp } from "../../test/app";
import { users } from "../auth/schema";
import { issueBlockId } from "../location";
import { blockIdCounters, blockIds, countries, regions, towns } from "../location/schema";
import { useOpenedApp } from "./admin.fixture";

export const sameOrigin = { origin: "http://localhost" };

type Town = "london" | "manchester" | "edinburgh" | "houston";
type TownIds = { countryId: string; regionId: string; townId: string };

interface BlockIdsApp {
  t: TestApp;
  admin: Browser;
  member: Browser;
  adminId: string;
  memberId: string;
  memberToken: string;
  place: Record<Town, TownIds>;
}

/** The admin registers first, so is platform admin. */
async function openBlockIdsApp(): Promise<BlockIdsApp> {
  const t = await createTestApp({ RATE_LIMIT: "off" });
  const adminId = (await registerUser(t.app, "root@example.com", "Root Admin")).id;
  const memberId = (await registerUser(t.app, "plain@example.com", "Plain Member")).id;
  const admin = await signedInBrowser(t.app, "root@example.com");
  const member = await signedInBrowser(t.app, "plain@example.com");
  const memberToken = await loginToken(t.app, "plain@example.com");
  const place = {} as Record<Town, TownIds>;
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
  return { t, admin, member, adminId, memberId, memberToken, place };
}

/** Opens the app before the file's tests and closes it after; read its fields inside tests. */
export function useBlockIdsApp() {
  return useOpenedApp(openBlockIdsApp, (open) => {
    /** An account put straight in the tables, with a Block ID issued in `town`. */
    async function seedUser(fields: { name: string; email: string; town: Town; createdAt?: number }) {
      const { t, place } = open();
      const now = fields.createdAt ?? t.deps.now();
      return writeTransaction(t.deps.db, async (tx) => {
        const id = newId();
        await tx.insert(users).values({ id, name: fields.name, email: fields.email, passwordHash: null, emailVerified: false, isPlatformAdmin: false, disabledAt: null, blockId: null, createdAt: now, updatedAt: now });
        const issued = await issueBlockId(tx, { userId: id, townId: place[fields.town].townId, source: "picked", now });
        await tx.update(users).set({ blockId: issued.value }).where(eq(users.id, id));
        return { id, blockId: issued.value };
      });
    }

    /** 23 accounts named "Pager <i>", alternating Manchester and London; returns their ids in creation order.
     * The first 12 share one createdAt an hour ahead (so they come first, ordered by id); the rest are older. */
    async function seedPagers() {
      const at = open().t.deps.now() + 3_600_000;
      const made: string[] = [];
      for (let i = 0; i < 23; i++) made.push((await seedUser({ name: `Pager ${i}`, email: `pager${i}@example.com`, town: i % 2 ? "london" : "manchester", createdAt: i < 12 ? at : at - i })).id);
      return made;
    }

    /** A real sign-up in a town, and a bearer token for it. */
    async function registerIn(email: string, name: string, town: Town) {
      const { t, place } = open();
      const response = await t.app.request("/api/auth/register", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ acceptTerms: true, email, name, password: strongPassword, ...place[town] }),
      });
      expect(response.status).toBe(201);
      const { user } = (await response.json()) as { user: { id: string; blockId: string } };
      return { ...user, token: await loginToken(t.app, email) };
    }

    const lastSerial = async (prefix: string) => (await open().t.deps.db.select().from(blockIdCounters).where(eq(blockIdCounters.prefix, prefix)))[0]?.lastSerial ?? 0;

    /** A same-origin request as the admin (or `as`). */
    function api(path: string, init: { method?: string; json?: unknown; as?: Browser } = {}) {
      return (init.as ?? open().admin).request(path, { method: init.method ?? "GET", json: init.json, headers: sameOrigin });
    }

    return {
      seedUser,
      seedPagers,
      registerIn,
      /** The number the next issue in `prefix` will get. */
      serialAfter: async (prefix: string) => `${prefix}-${String((await lastSerial(prefix)) + 1).padStart(6, "0")}`,
      currentBlockId: async (userId: string) => (await open().t.deps.db.select({ blockId: users.blockId }).from(users).where(eq(users.id, userId)))[0]!.blockId,
      numbersOf: (userId: string) => open().t.deps.db.select().from(blockIds).where(eq(blockIds.userId, userId)),
      api,
      move: (userId: string, json: unknown) => api(`/api/admin/users/${userId}/location`, { method: "PUT", json }),
    };
  });
}
