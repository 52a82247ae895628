// The places admin JSON API and its rules: regions and towns created, renamed and deleted in audited
// transactions, codes fixed once created and unique with names among siblings, the 000 places reserved,
// places where a Block ID was ever issued kept. Bad input on every endpoint is in
// places-input.test.ts, the pages in places-pages.test.ts, the shared setup in places.fixture.ts.
import { beforeAll, describe, expect, test } from "bun:test";
import { inArray } from "drizzle-orm";
import { moveUser } from "../auth";
import { blockIds } from "../location/schema";
import { errorOf, usePlacesApp } from "./places.fixture";

const f = usePlacesApp();

// ——— the API ———

describe("regions through the API", () => {
  test("creating a region gives it its own Unassigned 000 town, in the same transaction, audited", async () => {
    const code = f.nextCode();
    const region = await f.newRegion("FR", "Bretagne", code);
    expect(region).toMatchObject({ countryId: "FR", code, name: "Bretagne" });
    expect(region.id).toMatch(/^[a-z0-9]{16,40}$/);
    const rows = await f.townsOf(region.id);
    expect(rows.map((town) => [town.code, town.name])).toEqual([["000", "Unassigned"]]);
    expect(rows[0]!.id).toBe(region.unassignedTownId);

    const [event] = await f.auditOf(region.id);
    expect(event).toMatchObject({ action: "location.region_create", actorUserId: f.adminId, targetType: "region" });
    expect(event!.details).toEqual({ countryId: "FR", code, name: "Bretagne", unassignedTownId: region.unassignedTownId });

    const list = await f.api("GET", "/api/admin/location/regions?countryId=fr");
    expect(list.status).toBe(200);
    const { regions: listed } = (await list.json()) as { regions: { id: string; code: string; unassigned: boolean; towns: number; currentBlockIds: number }[] };
    expect(listed[0]).toMatchObject({ code: "000", unassigned: true });
    expect(listed.find((r) => r.id === region.id)).toMatchObject({ code, unassigned: false, towns: 0, currentBlockIds: 0 });

    const townList = await f.api("GET", `/api/admin/location/towns?regionId=${region.id}`);
    const { towns: listedTowns } = (await townList.json()) as { towns: { code: string; unassigned: boolean }[] };
    expect(listedTowns).toEqual([expect.objectContaining({ code: "000", name: "Unassigned", unassigned: true, currentBlockIds: 0, issuedBlockIds: 0 })]);
  });

  test("a code or a name another region of the country has is a 409 on that field; names ignore case", async () => {
    const code = f.nextCode();
    await f.newRegion("FR", "Normandie", code);
    const sameCode = await f.api("POST", "/api/admin/location/regions", { countryId: "FR", code, name: "Picardie" });
    expect(sameCode.status).toBe(409);
    const codeError = await errorOf(sameCode);
    expect(codeError.code).toBe("code_taken");
    expect(codeError.details.fieldErrors?.code?.[0]).toContain("has this code");

    for (const name of ["NORMANDIE", "  normandie  ", "Unassigned"]) {
      const sameName = await f.api("POST", "/api/admin/location/regions", { countryId: "FR", code: f.nextCode(), name });
      expect({ name, status: sameName.status }).toEqual({ name, status: 409 });
      const error = await errorOf(sameName);
      expect(error.code).toBe("name_taken");
      expect(error.details.fieldErrors?.name?.[0]).toContain("has this name");
    }
    // Case beyond ASCII too.
    await f.newRegion("FR", "Île-de-France");
    expect((await f.api("POST", "/api/admin/location/regions", { countryId: "FR", code: f.nextCode(), name: "ÎLE-DE-FRANCE" })).status).toBe(409);
    // Another country may use the same code and name.
    await f.newRegion("BE", "Normandie", code);
  });

  test("renaming keeps the code; audited with before and after; the same name again changes nothing", async () => {
    const region = await f.newRegion("FR", "Provence");
    f.t.advance(1000);
    const renamed = await f.api("PATCH", `/api/admin/location/regions/${region.id}`, { name: "Provence-Alpes" });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as { region: unknown }).region).toMatchObject({ id: region.id, code: region.code, name: "Provence-Alpes" });
    expect(await f.regionRow(region.id)).toMatchObject({ code: region.code, name: "Provence-Alpes" });
    f.t.advance(1000);
    expect((await f.api("PATCH", `/api/admin/location/regions/${region.id}`, { name: "Provence-Alpes" })).status).toBe(200);
    // Only its own case changes: not a clash with itself.
    expect((await f.api("PATCH", `/api/admin/location/regions/${region.id}`, { name: "PROVENCE-ALPES" })).status).toBe(200);

    const events = await f.auditOf(region.id);
    expect(events.map((e) => e.action)).toEqual(["location.region_create", "location.region_rename", "location.region_rename"]);
    expect(events[1]!.details).toEqual({ countryId: "FR", code: region.code, before: { name: "Provence" }, after: { name: "Provence-Alpes" } });
    expect(events[2]!.details).toMatchObject({ before: { name: "Provence-Alpes" }, after: { name: "PROVENCE-ALPES" } });

    const other = await f.newRegion("FR", "Corse");
    const clash = await f.api("PATCH", `/api/admin/location/regions/${other.id}`, { name: "provence-alpes" });
    expect(clash.status).toBe(409);
    expect((await errorOf(clash)).code).toBe("name_taken");
    expect((await f.regionRow(other.id))?.name).toBe("Corse");
  });

  test("a code cannot be changed: a PATCH with a code is a 400 that says so", async () => {
    const region = await f.newRegion("FR", "Alsace");
    for (const body of [{ code: "999" }, { code: region.code }, { name: "Alsace-Moselle", code: "998" }, { code: null, name: "X" }]) {
      const response = await f.api("PATCH", `/api/admin/location/regions/${region.id}`, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      const error = await errorOf(response);
      expect(error.code).toBe("code_fixed");
      expect(error.message).toContain("Codes are fixed once created");
      expect(error.details.fieldErrors?.code).toBeDefined();
    }
    expect(await f.regionRow(region.id)).toMatchObject({ code: region.code, name: "Alsace" });
    expect((await f.auditOf(region.id)).map((e) => e.action)).toEqual(["location.region_create"]);
  });

  test("deleting an empty region deletes its 000 town with it, audited", async () => {
    const region = await f.newRegion("FR", "Lorraine");
    f.t.advance(1000);
    const response = await f.api("DELETE", `/api/admin/location/regions/${region.id}`);
    expect(response.status).toBe(204);
    expect(await f.regionRow(region.id)).toBeNull();
    expect(await f.townsOf(region.id)).toEqual([]);
    const events = await f.auditOf(region.id);
    expect(events.map((e) => e.action)).toEqual(["location.region_create", "location.region_delete"]);
    expect(events[1]!.details).toEqual({ countryId: "FR", code: region.code, name: "Lorraine", unassignedTownId: region.unassignedTownId });
    expect((await f.api("DELETE", `/api/admin/location/regions/${region.id}`)).status).toBe(404);
    // Its code is free again.
    await f.newRegion("FR", "Lorraine Again", region.code);
  });

  test("a region with towns, or in which a Block ID was issued, cannot be deleted", async () => {
    const withTowns = await f.newRegion("FR", "Occitanie");
    const town = await f.newTown(withTowns.id, "Toulouse");
    const refused = await f.api("DELETE", `/api/admin/location/regions/${withTowns.id}`);
    expect(refused.status).toBe(409);
    const error = await errorOf(refused);
    expect(error.code).toBe("has_towns");
    expect(error.message).toContain("Occitanie still has 1 town");
    expect(await f.regionRow(withTowns.id)).not.toBeNull();
    // Once its towns are gone, it can go.
    expect((await f.api("DELETE", `/api/admin/location/towns/${town.id}`)).status).toBe(204);
    expect((await f.api("DELETE", `/api/admin/location/regions/${withTowns.id}`)).status).toBe(204);

    // A user who picked only the region is held in its 000 town: the region is now in use.
    const used = await f.newRegion("FR", "Auvergne");
    const user = await f.registerAt("auvergne@example.com", { countryId: "FR", regionId: used.id });
    expect(user.blockId).toBe(`33-${used.code}-000-000001`);
    const inUse = await f.api("DELETE", `/api/admin/location/regions/${used.id}`);
    expect(inUse.status).toBe(409);
    expect((await errorOf(inUse)).code).toBe("in_use");
    expect(await f.townsOf(used.id)).toHaveLength(1);
    expect((await f.auditOf(used.id)).map((e) => e.action)).toEqual(["location.region_create"]);
  });

  test("the country's 000 region cannot be renamed, deleted or given towns", async () => {
    const unassigned = await f.unassignedRegionOf("FR");
    const rename = await f.api("PATCH", `/api/admin/location/regions/${unassigned.id}`, { name: "Somewhere" });
    expect(rename.status).toBe(409);
    expect(await errorOf(rename)).toMatchObject({ code: "reserved" });
    const remove = await f.api("DELETE", `/api/admin/location/regions/${unassigned.id}`);
    expect(remove.status).toBe(409);
    expect((await errorOf(remove)).message).toContain("Unassigned region (000)");
    const town = await f.api("POST", "/api/admin/location/towns", { regionId: unassigned.id, code: f.nextCode(), name: "Nowhere" });
    expect(town.status).toBe(409);
    expect(await f.regionRow(unassigned.id)).toMatchObject({ code: "000", name: "Unassigned" });
    expect((await f.townsOf(unassigned.id)).map((t) => t.code)).toEqual(["000"]);
    const creating = await f.api("POST", "/api/admin/location/regions", { countryId: "FR", code: "000", name: "Zero" });
    expect(creating.status).toBe(400);
    expect((await errorOf(creating)).details.fieldErrors?.code?.[0]).toContain("000 is kept");
  });
});

describe("towns through the API", () => {
  let region: Awaited<ReturnType<typeof f.newRegion>>;
  beforeAll(async () => {
    region = await f.newRegion("DE", "Sachsen");
  });

  test("create, rename and delete a town, each audited with what changed", async () => {
    const code = f.nextCode();
    const town = await f.newTown(region.id, "Dresden", code);
    expect(town).toMatchObject({ regionId: region.id, code, name: "Dresden" });
    f.t.advance(1000);
    const renamed = await f.api("PATCH", `/api/admin/location/towns/${town.id}`, { name: "Dresden-Neustadt" });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as { town: unknown }).town).toMatchObject({ id: town.id, code, name: "Dresden-Neustadt" });
    const listed = await f.api("GET", `/api/admin/location/towns?regionId=${region.id}`);
    expect(((await listed.json()) as { towns: { name: string }[] }).towns.map((x) => x.name)).toEqual(["Unassigned", "Dresden-Neustadt"]);
    f.t.advance(1000);
    expect((await f.api("DELETE", `/api/admin/location/towns/${town.id}`)).status).toBe(204);
    expect((await f.townsOf(region.id)).map((x) => x.code)).toEqual(["000"]);

    const events = await f.auditOf(town.id);
    expect(events.map((e) => [e.action, e.targetType, e.actorUserId])).toEqual([
      ["location.town_create", "town", f.adminId],
      ["location.town_rename", "town", f.adminId],
      ["location.town_delete", "town", f.adminId],
    ]);
    expect(events[0]!.details).toEqual({ countryId: "DE", regionId: region.id, code, name: "Dresden" });
    expect(events[1]!.details).toEqual({ countryId: "DE", regionId: region.id, code, before: { name: "Dresden" }, after: { name: "Dresden-Neustadt" } });
    expect(events[2]!.details).toEqual({ countryId: "DE", regionId: region.id, code, name: "Dresden-Neustadt" });
  });

  test("a code or a name another town of the region has is a 409; another region may use both", async () => {
    const code = f.nextCode();
    await f.newTown(region.id, "Leipzig", code);
    const sameCode = await f.api("POST", "/api/admin/location/towns", { regionId: region.id, code, name: "Chemnitz" });
    expect(sameCode.status).toBe(409);
    expect(await errorOf(sameCode)).toMatchObject({ code: "code_taken", details: { fieldErrors: { code: [expect.stringContaining("has this code")] } } });
    const sameName = await f.api("POST", "/api/admin/location/towns", { regionId: region.id, code: f.nextCode(), name: "LEIPZIG" });
    expect(sameName.status).toBe(409);
    expect((await errorOf(sameName)).code).toBe("name_taken");
    const both = await f.api("POST", "/api/admin/location/towns", { regionId: region.id, code, name: "leipzig" });
    expect((await errorOf(both)).details.fieldErrors).toEqual({ code: [expect.any(String)], name: [expect.any(String)] });
    const other = await f.newRegion("DE", "Thüringen");
    await f.newTown(other.id, "Leipzig", code);
    const chemnitz = await f.newTown(region.id, "Chemnitz");
    const rename = await f.api("PATCH", `/api/admin/location/towns/${chemnitz.id}`, { name: "leipzig" });
    expect(rename.status).toBe(409);
    expect((await errorOf(rename)).code).toBe("name_taken");
  });

  test("a town's code cannot be changed, and a region's 000 town cannot be renamed or deleted", async () => {
    const town = await f.newTown(region.id, "Zwickau");
    const patch = await f.api("PATCH", `/api/admin/location/towns/${town.id}`, { name: "Zwickau", code: "555" });
    expect(patch.status).toBe(400);
    expect((await errorOf(patch)).code).toBe("code_fixed");
    const zero = (await f.townsOf(region.id)).find((x) => x.code === "000")!;
    const rename = await f.api("PATCH", `/api/admin/location/towns/${zero.id}`, { name: "Somewhere" });
    expect(rename.status).toBe(409);
    expect((await errorOf(rename)).message).toContain("Unassigned town (000)");
    expect((await f.api("DELETE", `/api/admin/location/towns/${zero.id}`)).status).toBe(409);
    expect((await f.townsOf(region.id)).find((x) => x.code === "000")).toMatchObject({ id: zero.id, name: "Unassigned" });
  });

  test("a town in which a Block ID was ever issued is kept, even after its holder moved away", async () => {
    const town = await f.newTown(region.id, "Görlitz");
    const user = await f.registerAt("goerlitz@example.com", { townId: town.id });
    expect(user.blockId).toBe(`49-${region.code}-${town.code}-000001`);
    const refused = await f.api("DELETE", `/api/admin/location/towns/${town.id}`);
    expect(refused.status).toBe(409);
    expect(await errorOf(refused)).toMatchObject({ code: "in_use", message: expect.stringContaining("A Block ID was issued in Görlitz") });

    // Moved away: the number there is retired, not gone, so the town still may not go.
    const elsewhere = await f.newTown(region.id, "Bautzen");
    await moveUser(f.t.deps, { userId: user.id, townId: elsewhere.id, source: "admin", actorUserId: f.adminId }, { ipAddress: "", userAgent: "", requestId: "test" });
    const current = await f.t.deps.db.select().from(blockIds).where(inArray(blockIds.townId, [town.id]));
    expect(current.map((row) => row.retiredAt !== null)).toEqual([true]);
    const still = await f.api("DELETE", `/api/admin/location/towns/${town.id}`);
    expect(still.status).toBe(409);
    expect(await errorOf(still)).toMatchObject({ code: "in_use", message: expect.stringContaining("issued in Görlitz") });
    expect((await f.townsOf(region.id)).some((x) => x.id === town.id)).toBe(true);
    // And so may its region not.
    const regionRefused = await f.api("DELETE", `/api/admin/location/regions/${region.id}`);
    expect(regionRefused.status).toBe(409);
  });
});
