// The reference data seed: all 249 countries, each with its unassigned region and town; seeding
// again changes nothing; starter places an admin removed stay removed; accounts made before Block
// IDs get one (backfill).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, asc, count, eq } from "drizzle-orm";
import { auditEvents, blockIds, countries, referenceSeeds, regions, towns, users } from "../../schema";
import { newId } from "../../lib/crypto";
import { createTestApp, type TestApp } from "../../test/app";
import { COUNTRIES } from "../../lib/countries";
import { unassignedTownOf } from "./places";
import { seedDatabase } from "../../seed";

describe("reference data", () => {
  let seeded: TestApp;
  beforeAll(async () => {
    seeded = await createTestApp();
  });
  afterAll(() => seeded.close());

  const tally = async () => {
    const db = seeded.deps.db;
    const [c] = await db.select({ n: count() }).from(countries);
    const [r] = await db.select({ n: count() }).from(regions);
    const [tw] = await db.select({ n: count() }).from(towns);
    const [s] = await db.select({ n: count() }).from(referenceSeeds);
    return { countries: c!.n, regions: r!.n, towns: tw!.n, seeds: s!.n };
  };

  test("all 249 ISO 3166-1 countries, each with its unassigned region and town (000)", async () => {
    const db = seeded.deps.db;
    expect(COUNTRIES).toHaveLength(249);
    const rows = await db.select().from(countries);
    expect(rows).toHaveLength(249);
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get("GB")).toMatchObject({ alpha3: "GBR", numeric: "826", callingCode: "44" });
    expect(byId.get("US")?.callingCode).toBe("1");
    expect(byId.get("CA")?.callingCode).toBe("1");
    expect(byId.get("DE")?.callingCode).toBe("49");
    expect(byId.get("NG")?.callingCode).toBe("234");
    expect(byId.get("IN")?.callingCode).toBe("91");
    expect(byId.has("XK")).toBe(false);
    for (const row of rows) {
      expect(row.id).toMatch(/^[A-Z]{2}$/);
      expect(row.callingCode).toMatch(/^[1-9]\d{0,3}$/);
    }
    const unassignedRegions = await db.select({ countryId: regions.countryId, name: regions.name }).from(regions).where(eq(regions.code, "000"));
    expect(new Set(unassignedRegions.map((r) => r.countryId)).size).toBe(249);
    expect(unassignedRegions).toHaveLength(249);
    expect(unassignedRegions.every((r) => r.name === "Unassigned")).toBe(true);
    const [regionCount] = await db.select({ n: count() }).from(regions);
    const unassignedTowns = await db.select({ regionId: towns.regionId }).from(towns).where(eq(towns.code, "000"));
    expect(new Set(unassignedTowns.map((r) => r.regionId)).size).toBe(regionCount!.n);
    expect(unassignedTowns).toHaveLength(regionCount!.n);
    // 249 unassigned + 13 starter regions; 262 unassigned towns + 22 starter towns.
    expect(await tally()).toEqual({ countries: 249, regions: 262, towns: 284, seeds: 1 });
  });

  test("seeding again changes nothing: same rows, same ids", async () => {
    const db = seeded.deps.db;
    const before = await tally();
    const ids = async () => [
      ...(await db.select({ id: regions.id }).from(regions).orderBy(asc(regions.id))).map((r) => r.id),
      ...(await db.select({ id: towns.id }).from(towns).orderBy(asc(towns.id))).map((r) => r.id),
    ];
    const idsBefore = await ids();
    await seedDatabase(db, "GB");
    await seedDatabase(db, "GB");
    expect(await tally()).toEqual(before);
    expect(await ids()).toEqual(idsBefore);
  });

  test("a starter region an admin removed stays removed; a removed unassigned town comes back", async () => {
    const db = seeded.deps.db;
    const before = await tally();
    const [northernIreland] = await db.select().from(regions).where(and(eq(regions.countryId, "GB"), eq(regions.name, "Northern Ireland")));
    await db.delete(towns).where(eq(towns.regionId, northernIreland!.id)); // Belfast and its 000 town
    await db.delete(regions).where(eq(regions.id, northernIreland!.id));
    const [wales] = await db.select().from(regions).where(and(eq(regions.countryId, "GB"), eq(regions.name, "Wales")));
    await db.delete(towns).where(and(eq(towns.regionId, wales!.id), eq(towns.code, "000")));

    await seedDatabase(db, "GB");
    expect(await db.select().from(regions).where(and(eq(regions.countryId, "GB"), eq(regions.code, "004")))).toHaveLength(0);
    expect(await db.select().from(towns).where(eq(towns.name, "Belfast"))).toHaveLength(0);
    expect(await db.select().from(towns).where(and(eq(towns.regionId, wales!.id), eq(towns.code, "000")))).toHaveLength(1);
    expect(await tally()).toEqual({ ...before, regions: before.regions - 1, towns: before.towns - 2 });
  });

  test("an account without a Block ID gets one at DEFAULT_COUNTRY's unassigned town, source default, audited", async () => {
    const db = seeded.deps.db;
    const now = Date.now();
    const orphans = ["old-1@example.com", "old-2@example.com"].map((email) => ({
      id: newId(),
      email,
      name: "Before Block IDs",
      passwordHash: null,
      emailVerified: false,
      isPlatformAdmin: false,
      disabledAt: null,
      blockId: null,
      createdAt: now,
      updatedAt: now,
    }));
    await db.insert(users).values(orphans);

    await seedDatabase(db, "de");
    const germany = await unassignedTownOf(db, "DE");
    const issued = await db.select().from(blockIds).where(eq(blockIds.townId, germany)).orderBy(asc(blockIds.serial));
    expect(issued.map((r) => [r.userId, r.value, r.source])).toEqual([
      [orphans[0]!.id, "49-000-000-000001", "default"],
      [orphans[1]!.id, "49-000-000-000002", "default"],
    ]);
    for (const [i, orphan] of orphans.entries()) {
      const [row] = await db.select({ blockId: users.blockId }).from(users).where(eq(users.id, orphan.id));
      expect(row!.blockId).toBe(issued[i]!.value);
      const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "block_id.issue"), eq(auditEvents.targetId, issued[i]!.value)));
      expect(event).toMatchObject({ actorUserId: null, targetType: "block_id", requestId: "reference-data" });
      expect(event!.details).toMatchObject({ userId: orphan.id, source: "default", reason: "account made before Block IDs" });
    }

    // Once they have one, seeding again issues nothing.
    await seedDatabase(db, "DE");
    const [all] = await db.select({ n: count() }).from(blockIds);
    expect(all!.n).toBe(2);
  });
});
