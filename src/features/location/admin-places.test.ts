// Regions and towns in the admin portal: who may, the pages and their forms (plain and htmx), the
// JSON API, the rules (codes fixed, 000 reserved, places with Block IDs kept) and the audit trail.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { Browser, createTestApp, loginToken, registerUser, strongPassword, type TestApp } from "../../test/app";
import { auditEvents } from "../audit/schema";
import { dataIds, htmx, signIn } from "../admin/test-support";
import { moveUser } from "./moves";
import { blockIds, regions, towns } from "./schema";

let t: TestApp;
let admin: Browser;
let member: Browser;
let adminId: string;
let memberToken: string;

const json = { "content-type": "application/json" };
const sameOrigin = { origin: "http://localhost" };

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: "off" });
  adminId = (await registerUser(t.app, "root@example.com", "Root Admin")).id;
  await registerUser(t.app, "plain@example.com", "Plain Member");
  admin = await signIn(t, "root@example.com");
  member = await signIn(t, "plain@example.com");
  memberToken = await loginToken(t.app, "plain@example.com");
});
afterAll(() => t.close());

// ——— helpers ———

let codeSeq = 100;
/** A fresh three-digit code, so tests do not clash with one another. */
const nextCode = () => String(++codeSeq);

async function api(method: string, path: string, body?: unknown) {
  return admin.request(path, { method, headers: sameOrigin, ...(body === undefined ? {} : { json: body }) });
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
  const response = await t.app.request("/api/auth/register", {
    method: "POST",
    headers: { ...json, "x-forwarded-for": "203.0.113.9" },
    body: JSON.stringify({ email, password: strongPassword, name: "Placed User", ...place }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { user: { id: string; blockId: string } }).user;
}

async function auditOf(targetId: string) {
  return t.deps.db.select().from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(auditEvents.at);
}

async function townsOf(regionId: string) {
  return t.deps.db.select().from(towns).where(eq(towns.regionId, regionId)).orderBy(towns.code);
}

async function regionRow(id: string) {
  const [row] = await t.deps.db.select().from(regions).where(eq(regions.id, id));
  return row ?? null;
}

async function unassignedRegionOf(countryId: string) {
  const [row] = await t.deps.db.select().from(regions).where(and(eq(regions.countryId, countryId), eq(regions.code, "000")));
  return row!;
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string; details: { fieldErrors?: Record<string, string[]> } } }).error;
}

const form = (browser: Browser, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  browser.request(path, { method: "POST", headers: { ...sameOrigin, ...headers }, form: fields });

// ——— permissions ———

describe("who may manage places", () => {
  let regionId: string;
  let townId: string;
  const somePages = () => ["/admin-portal/places", "/admin-portal/places?q=united", "/admin-portal/places/GB", `/admin-portal/places/GB?done=region-created&region=${regionId}`];
  const someForms = () => [
    ["/admin-portal/places/FR/regions", { code: "901", name: "Sneaky" }],
    [`/admin-portal/places/FR/regions/${regionId}/rename`, { name: "Sneaky" }],
    [`/admin-portal/places/FR/regions/${regionId}/delete`, {}],
    [`/admin-portal/places/FR/regions/${regionId}/towns`, { code: "901", name: "Sneaky" }],
    [`/admin-portal/places/FR/towns/${townId}/rename`, { name: "Sneaky" }],
    [`/admin-portal/places/FR/towns/${townId}/delete`, {}],
  ] as const;
  const someApi = () =>
    [
      ["GET", "/api/admin/location/regions?countryId=FR", undefined],
      ["POST", "/api/admin/location/regions", { countryId: "FR", code: "902", name: "Sneaky" }],
      ["PATCH", `/api/admin/location/regions/${regionId}`, { name: "Sneaky" }],
      ["DELETE", `/api/admin/location/regions/${regionId}`, undefined],
      ["GET", `/api/admin/location/towns?regionId=${regionId}`, undefined],
      ["POST", "/api/admin/location/towns", { regionId, code: "902", name: "Sneaky" }],
      ["PATCH", `/api/admin/location/towns/${townId}`, { name: "Sneaky" }],
      ["DELETE", `/api/admin/location/towns/${townId}`, undefined],
      // Bad bodies too: the permission is checked before anything is read.
      ["POST", "/api/admin/location/regions", { name: "x".repeat(10_000) }],
      ["PATCH", `/api/admin/location/regions/${regionId}`, { code: "999" }],
    ] as const;

  beforeAll(async () => {
    const region = await newRegion("FR", "Permission Region");
    regionId = region.id;
    townId = (await newTown(regionId, "Permission Town")).id;
  });

  async function unchanged() {
    expect((await regionRow(regionId))?.name).toBe("Permission Region");
    expect((await townsOf(regionId)).map((town) => town.name)).toEqual(["Unassigned", "Permission Town"]);
    const [sneaky] = await t.deps.db.select().from(regions).where(eq(regions.name, "Sneaky"));
    expect(sneaky).toBeUndefined();
  }

  test("a signed-in user who is not a platform admin gets 403 on every page, form and API route", async () => {
    for (const path of somePages()) {
      const response = await member.request(path);
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      const html = await response.text();
      expect(html).toContain("The admin portal is for platform admins only.");
      expect(html).not.toContain("Permission Region");
    }
    for (const [path, fields] of someForms()) {
      for (const headers of [{}, htmx]) {
        const response = await form(member, path, fields, headers);
        expect({ path, status: response.status }).toEqual({ path, status: 403 });
      }
    }
    for (const [method, path, body] of someApi()) {
      const response = await member.request(path, { method, headers: sameOrigin, ...(body === undefined ? {} : { json: body }) });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 403 });
      expect((await errorOf(response)).code).toBe("forbidden");
    }
    await unchanged();
  });

  test("a normal user's bearer token gets 403 on the API", async () => {
    for (const [method, path, body] of someApi()) {
      const response = await t.app.request(path, {
        method,
        headers: { authorization: `Bearer ${memberToken}`, ...(body === undefined ? {} : json) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 403 });
    }
    await unchanged();
  });

  test("signed out: pages send to sign-in (remembering the page), form posts and the API get 401", async () => {
    for (const path of somePages()) {
      const response = await t.app.request(path);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    for (const [path, fields] of someForms()) {
      const response = await t.app.request(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
    }
    for (const [method, path, body] of someApi()) {
      const response = await t.app.request(path, { method, headers: body === undefined ? {} : json, body: body === undefined ? undefined : JSON.stringify(body) });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
      expect((await errorOf(response)).code).toBe("unauthenticated");
    }
    await unchanged();
  });

  test("a platform admin's bearer token works on the API", async () => {
    const token = await loginToken(t.app, "root@example.com");
    const response = await t.app.request(`/api/admin/location/towns?regionId=${regionId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { towns: { name: string }[] };
    expect(body.towns.map((town) => town.name)).toEqual(["Unassigned", "Permission Town"]);
  });
});

// ——— the country list ———

describe("the country list", () => {
  const search = (query: string, headers: Record<string, string> = htmx) => admin.request(`/admin-portal/places${query}`, { headers });

  test("shows each country's calling code and how many regions, towns and current Block IDs it has", async () => {
    const response = await search("?q=United+Kingdom");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(dataIds(html, "country")).toEqual(["GB"]);
    expect(html).toContain('<a href="/admin-portal/places/GB">United Kingdom</a>');
    expect(html).toContain("+44");
    // The starter places: 4 regions with 7 towns; every account so far was placed in GB by default.
    const gbCurrent = (
      await t.deps.db
        .select({ id: blockIds.id })
        .from(blockIds)
        .innerJoin(towns, eq(towns.id, blockIds.townId))
        .innerJoin(regions, eq(regions.id, towns.regionId))
        .where(and(eq(regions.countryId, "GB"), isNull(blockIds.retiredAt)))
    ).length;
    expect(gbCurrent).toBeGreaterThanOrEqual(2);
    expect(html).toContain(`<td class="numeric" data-count="regions">4</td>`);
    expect(html).toContain(`<td class="numeric" data-count="towns">7</td>`);
    expect(html).toContain(`<td class="numeric" data-count="block-ids">${gbCurrent}</td>`);
  });

  test("finds a country by part of its name, its ISO codes or its calling code", async () => {
    for (const [q, id] of [["kingdom", "GB"], ["gb", "GB"], ["GBR", "GB"], ["+44", "GB"], ["44", "GB"], ["nigeria", "NG"], ["234", "NG"]] as const) {
      const html = await (await search(`?q=${encodeURIComponent(q)}`)).text();
      expect({ q, has: dataIds(html, "country").includes(id) }).toEqual({ q, has: true });
    }
    const none = await (await search("?q=%25%25")).text();
    expect(dataIds(none, "country")).toEqual([]);
    expect(none).toContain("No country matches that search.");
  });

  test("pages of 20 by name, with links between pages", async () => {
    const first = await (await search("")).text();
    expect(dataIds(first, "country")).toHaveLength(20);
    expect(first).toContain('href="/admin-portal/places?page=2"');
    const second = await (await search("?page=2")).text();
    const secondIds = dataIds(second, "country");
    expect(secondIds).toHaveLength(20);
    expect(secondIds.some((id) => dataIds(first, "country").includes(id))).toBe(false);
    expect(second).toContain('href="/admin-portal/places"');
    const page = await search("");
    expect(page.headers.get("vary")).toContain("HX-Request");
    const whole = await (await search("", {})).text();
    expect(whole).toStartWith("<!doctype html>");
    expect(whole).toContain('<a href="/admin-portal/places" aria-current="page">Places</a>');
  });

  test("a 10,000-character search or a bad page is a 400 with the error beside the field, never a 500", async () => {
    const long = await search(`?q=${"a".repeat(10_000)}`);
    expect(long.status).toBe(400);
    const html = await long.text();
    expect(html).toContain('id="country-search-q-error"');
    expect(html).toContain('aria-invalid="true"');
    const pageLong = await search(`?q=${"a".repeat(10_000)}`, {});
    expect(pageLong.status).toBe(400);
    expect(await pageLong.text()).toStartWith("<!doctype html>");
    for (const page of ["0", "-1", "abc", "99999999999", "%00"]) {
      const response = await search(`?page=${page}`);
      expect({ page, status: response.status }).toEqual({ page, status: 400 });
      expect(await response.text()).toContain("form-message error");
    }
  });
});

// ——— the API ———

describe("regions through the API", () => {
  test("creating a region gives it its own Unassigned 000 town, in the same transaction, audited", async () => {
    const code = nextCode();
    const region = await newRegion("FR", "Bretagne", code);
    expect(region).toMatchObject({ countryId: "FR", code, name: "Bretagne" });
    expect(region.id).toMatch(/^[a-z0-9]{16,40}$/);
    const rows = await townsOf(region.id);
    expect(rows.map((town) => [town.code, town.name])).toEqual([["000", "Unassigned"]]);
    expect(rows[0]!.id).toBe(region.unassignedTownId);

    const [event] = await auditOf(region.id);
    expect(event).toMatchObject({ action: "location.region_create", actorUserId: adminId, targetType: "region" });
    expect(event!.details).toEqual({ countryId: "FR", code, name: "Bretagne", unassignedTownId: region.unassignedTownId });

    const list = await api("GET", "/api/admin/location/regions?countryId=fr");
    expect(list.status).toBe(200);
    const { regions: listed } = (await list.json()) as { regions: { id: string; code: string; unassigned: boolean; towns: number; currentBlockIds: number }[] };
    expect(listed[0]).toMatchObject({ code: "000", unassigned: true });
    expect(listed.find((r) => r.id === region.id)).toMatchObject({ code, unassigned: false, towns: 0, currentBlockIds: 0 });

    const townList = await api("GET", `/api/admin/location/towns?regionId=${region.id}`);
    const { towns: listedTowns } = (await townList.json()) as { towns: { code: string; unassigned: boolean }[] };
    expect(listedTowns).toEqual([expect.objectContaining({ code: "000", name: "Unassigned", unassigned: true, currentBlockIds: 0, issuedBlockIds: 0 })]);
  });

  test("a code or a name another region of the country has is a 409 on that field; names ignore case", async () => {
    const code = nextCode();
    await newRegion("FR", "Normandie", code);
    const sameCode = await api("POST", "/api/admin/location/regions", { countryId: "FR", code, name: "Picardie" });
    expect(sameCode.status).toBe(409);
    const codeError = await errorOf(sameCode);
    expect(codeError.code).toBe("code_taken");
    expect(codeError.details.fieldErrors?.code?.[0]).toContain("has this code");

    for (const name of ["NORMANDIE", "  normandie  ", "Unassigned"]) {
      const sameName = await api("POST", "/api/admin/location/regions", { countryId: "FR", code: nextCode(), name });
      expect({ name, status: sameName.status }).toEqual({ name, status: 409 });
      const error = await errorOf(sameName);
      expect(error.code).toBe("name_taken");
      expect(error.details.fieldErrors?.name?.[0]).toContain("has this name");
    }
    // Case beyond ASCII too.
    await newRegion("FR", "Île-de-France");
    expect((await api("POST", "/api/admin/location/regions", { countryId: "FR", code: nextCode(), name: "ÎLE-DE-FRANCE" })).status).toBe(409);
    // Another country may use the same code and name.
    await newRegion("BE", "Normandie", code);
  });

  test("renaming keeps the code; audited with before and after; the same name again changes nothing", async () => {
    const region = await newRegion("FR", "Provence");
    t.advance(1000);
    const renamed = await api("PATCH", `/api/admin/location/regions/${region.id}`, { name: "Provence-Alpes" });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as { region: unknown }).region).toMatchObject({ id: region.id, code: region.code, name: "Provence-Alpes" });
    expect(await regionRow(region.id)).toMatchObject({ code: region.code, name: "Provence-Alpes" });
    t.advance(1000);
    expect((await api("PATCH", `/api/admin/location/regions/${region.id}`, { name: "Provence-Alpes" })).status).toBe(200);
    // Only its own case changes: not a clash with itself.
    expect((await api("PATCH", `/api/admin/location/regions/${region.id}`, { name: "PROVENCE-ALPES" })).status).toBe(200);

    const events = await auditOf(region.id);
    expect(events.map((e) => e.action)).toEqual(["location.region_create", "location.region_rename", "location.region_rename"]);
    expect(events[1]!.details).toEqual({ countryId: "FR", code: region.code, before: { name: "Provence" }, after: { name: "Provence-Alpes" } });
    expect(events[2]!.details).toMatchObject({ before: { name: "Provence-Alpes" }, after: { name: "PROVENCE-ALPES" } });

    const other = await newRegion("FR", "Corse");
    const clash = await api("PATCH", `/api/admin/location/regions/${other.id}`, { name: "provence-alpes" });
    expect(clash.status).toBe(409);
    expect((await errorOf(clash)).code).toBe("name_taken");
    expect((await regionRow(other.id))?.name).toBe("Corse");
  });

  test("a code cannot be changed: a PATCH with a code is a 400 that says so", async () => {
    const region = await newRegion("FR", "Alsace");
    for (const body of [{ code: "999" }, { code: region.code }, { name: "Alsace-Moselle", code: "998" }, { code: null, name: "X" }]) {
      const response = await api("PATCH", `/api/admin/location/regions/${region.id}`, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      const error = await errorOf(response);
      expect(error.code).toBe("code_fixed");
      expect(error.message).toContain("Codes are fixed once created");
      expect(error.details.fieldErrors?.code).toBeDefined();
    }
    expect(await regionRow(region.id)).toMatchObject({ code: region.code, name: "Alsace" });
    expect((await auditOf(region.id)).map((e) => e.action)).toEqual(["location.region_create"]);
  });

  test("deleting an empty region deletes its 000 town with it, audited", async () => {
    const region = await newRegion("FR", "Lorraine");
    t.advance(1000);
    const response = await api("DELETE", `/api/admin/location/regions/${region.id}`);
    expect(response.status).toBe(204);
    expect(await regionRow(region.id)).toBeNull();
    expect(await townsOf(region.id)).toEqual([]);
    const events = await auditOf(region.id);
    expect(events.map((e) => e.action)).toEqual(["location.region_create", "location.region_delete"]);
    expect(events[1]!.details).toEqual({ countryId: "FR", code: region.code, name: "Lorraine", unassignedTownId: region.unassignedTownId });
    expect((await api("DELETE", `/api/admin/location/regions/${region.id}`)).status).toBe(404);
    // Its code is free again.
    await newRegion("FR", "Lorraine Again", region.code);
  });

  test("a region with towns, or in which a Block ID was issued, cannot be deleted", async () => {
    const withTowns = await newRegion("FR", "Occitanie");
    const town = await newTown(withTowns.id, "Toulouse");
    const refused = await api("DELETE", `/api/admin/location/regions/${withTowns.id}`);
    expect(refused.status).toBe(409);
    const error = await errorOf(refused);
    expect(error.code).toBe("has_towns");
    expect(error.message).toContain("Occitanie still has 1 town");
    expect(await regionRow(withTowns.id)).not.toBeNull();
    // Once its towns are gone, it can go.
    expect((await api("DELETE", `/api/admin/location/towns/${town.id}`)).status).toBe(204);
    expect((await api("DELETE", `/api/admin/location/regions/${withTowns.id}`)).status).toBe(204);

    // A user who picked only the region is held in its 000 town: the region is now in use.
    const used = await newRegion("FR", "Auvergne");
    const user = await registerAt("auvergne@example.com", { countryId: "FR", regionId: used.id });
    expect(user.blockId).toBe(`33-${used.code}-000-000001`);
    const inUse = await api("DELETE", `/api/admin/location/regions/${used.id}`);
    expect(inUse.status).toBe(409);
    expect((await errorOf(inUse)).code).toBe("in_use");
    expect(await townsOf(used.id)).toHaveLength(1);
    expect((await auditOf(used.id)).map((e) => e.action)).toEqual(["location.region_create"]);
  });

  test("the country's 000 region cannot be renamed, deleted or given towns", async () => {
    const unassigned = await unassignedRegionOf("FR");
    const rename = await api("PATCH", `/api/admin/location/regions/${unassigned.id}`, { name: "Somewhere" });
    expect(rename.status).toBe(409);
    expect(await errorOf(rename)).toMatchObject({ code: "reserved" });
    const remove = await api("DELETE", `/api/admin/location/regions/${unassigned.id}`);
    expect(remove.status).toBe(409);
    expect((await errorOf(remove)).message).toContain("Unassigned region (000)");
    const town = await api("POST", "/api/admin/location/towns", { regionId: unassigned.id, code: nextCode(), name: "Nowhere" });
    expect(town.status).toBe(409);
    expect(await regionRow(unassigned.id)).toMatchObject({ code: "000", name: "Unassigned" });
    expect((await townsOf(unassigned.id)).map((t) => t.code)).toEqual(["000"]);
    const creating = await api("POST", "/api/admin/location/regions", { countryId: "FR", code: "000", name: "Zero" });
    expect(creating.status).toBe(400);
    expect((await errorOf(creating)).details.fieldErrors?.code?.[0]).toContain("000 is kept");
  });
});

describe("towns through the API", () => {
  let region: Awaited<ReturnType<typeof newRegion>>;
  beforeAll(async () => {
    region = await newRegion("DE", "Sachsen");
  });

  test("create, rename and delete a town, each audited with what changed", async () => {
    const code = nextCode();
    const town = await newTown(region.id, "Dresden", code);
    expect(town).toMatchObject({ regionId: region.id, code, name: "Dresden" });
    t.advance(1000);
    const renamed = await api("PATCH", `/api/admin/location/towns/${town.id}`, { name: "Dresden-Neustadt" });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as { town: unknown }).town).toMatchObject({ id: town.id, code, name: "Dresden-Neustadt" });
    const listed = await api("GET", `/api/admin/location/towns?regionId=${region.id}`);
    expect(((await listed.json()) as { towns: { name: string }[] }).towns.map((x) => x.name)).toEqual(["Unassigned", "Dresden-Neustadt"]);
    t.advance(1000);
    expect((await api("DELETE", `/api/admin/location/towns/${town.id}`)).status).toBe(204);
    expect((await townsOf(region.id)).map((x) => x.code)).toEqual(["000"]);

    const events = await auditOf(town.id);
    expect(events.map((e) => [e.action, e.targetType, e.actorUserId])).toEqual([
      ["location.town_create", "town", adminId],
      ["location.town_rename", "town", adminId],
      ["location.town_delete", "town", adminId],
    ]);
    expect(events[0]!.details).toEqual({ countryId: "DE", regionId: region.id, code, name: "Dresden" });
    expect(events[1]!.details).toEqual({ countryId: "DE", regionId: region.id, code, before: { name: "Dresden" }, after: { name: "Dresden-Neustadt" } });
    expect(events[2]!.details).toEqual({ countryId: "DE", regionId: region.id, code, name: "Dresden-Neustadt" });
  });

  test("a code or a name another town of the region has is a 409; another region may use both", async () => {
    const code = nextCode();
    await newTown(region.id, "Leipzig", code);
    const sameCode = await api("POST", "/api/admin/location/towns", { regionId: region.id, code, name: "Chemnitz" });
    expect(sameCode.status).toBe(409);
    expect(await errorOf(sameCode)).toMatchObject({ code: "code_taken", details: { fieldErrors: { code: [expect.stringContaining("has this code")] } } });
    const sameName = await api("POST", "/api/admin/location/towns", { regionId: region.id, code: nextCode(), name: "LEIPZIG" });
    expect(sameName.status).toBe(409);
    expect((await errorOf(sameName)).code).toBe("name_taken");
    const both = await api("POST", "/api/admin/location/towns", { regionId: region.id, code, name: "leipzig" });
    expect((await errorOf(both)).details.fieldErrors).toEqual({ code: [expect.any(String)], name: [expect.any(String)] });
    const other = await newRegion("DE", "Thüringen");
    await newTown(other.id, "Leipzig", code);
    const chemnitz = await newTown(region.id, "Chemnitz");
    const rename = await api("PATCH", `/api/admin/location/towns/${chemnitz.id}`, { name: "leipzig" });
    expect(rename.status).toBe(409);
    expect((await errorOf(rename)).code).toBe("name_taken");
  });

  test("a town's code cannot be changed, and a region's 000 town cannot be renamed or deleted", async () => {
    const town = await newTown(region.id, "Zwickau");
    const patch = await api("PATCH", `/api/admin/location/towns/${town.id}`, { name: "Zwickau", code: "555" });
    expect(patch.status).toBe(400);
    expect((await errorOf(patch)).code).toBe("code_fixed");
    const zero = (await townsOf(region.id)).find((x) => x.code === "000")!;
    const rename = await api("PATCH", `/api/admin/location/towns/${zero.id}`, { name: "Somewhere" });
    expect(rename.status).toBe(409);
    expect((await errorOf(rename)).message).toContain("Unassigned town (000)");
    expect((await api("DELETE", `/api/admin/location/towns/${zero.id}`)).status).toBe(409);
    expect((await townsOf(region.id)).find((x) => x.code === "000")).toMatchObject({ id: zero.id, name: "Unassigned" });
  });

  test("a town in which a Block ID was ever issued is kept, even after its holder moved away", async () => {
    const town = await newTown(region.id, "Görlitz");
    const user = await registerAt("goerlitz@example.com", { townId: town.id });
    expect(user.blockId).toBe(`49-${region.code}-${town.code}-000001`);
    const refused = await api("DELETE", `/api/admin/location/towns/${town.id}`);
    expect(refused.status).toBe(409);
    expect(await errorOf(refused)).toMatchObject({ code: "in_use", message: expect.stringContaining("A Block ID was issued in Görlitz") });

    // Moved away: the number there is retired, not gone, so the town still may not go.
    const elsewhere = await newTown(region.id, "Bautzen");
    await moveUser(t.deps, { userId: user.id, townId: elsewhere.id, source: "admin", actorUserId: adminId }, { ipAddress: "", userAgent: "", requestId: "test" });
    const current = await t.deps.db.select().from(blockIds).where(inArray(blockIds.townId, [town.id]));
    expect(current.map((row) => row.retiredAt !== null)).toEqual([true]);
    const still = await api("DELETE", `/api/admin/location/towns/${town.id}`);
    expect(still.status).toBe(409);
    expect(await errorOf(still)).toMatchObject({ code: "in_use", message: expect.stringContaining("issued in Görlitz") });
    expect((await townsOf(region.id)).some((x) => x.id === town.id)).toBe(true);
    // And so may its region not.
    const regionRefused = await api("DELETE", `/api/admin/location/regions/${region.id}`);
    expect(regionRefused.status).toBe(409);
  });
});

describe("bad input on every endpoint is a 400 or 404, never a 500", () => {
  let region: Awaited<ReturnType<typeof newRegion>>;
  let town: Awaited<ReturnType<typeof newTown>>;
  beforeAll(async () => {
    region = await newRegion("IT", "Toscana");
    town = await newTown(region.id, "Firenze");
  });

  const badIds = ["short", "UPPERCASEUPPERCASEUPPER", "x".repeat(500), "abc%2F..%2Fdef0000000000", "%00%00%00%00%00%00%00%00", "0000000000000000-"];
  const unknownId = "a".repeat(26);
  const long = "x".repeat(10_000);

  test("creating a region", async () => {
    const bodies: [unknown, number][] = [
      [{}, 400],
      [{ countryId: "IT", code: "123" }, 400],
      [{ countryId: "IT", name: "X" }, 400],
      [{ code: "123", name: "X" }, 400],
      [{ countryId: "IT", code: 123, name: "X" }, 400],
      [{ countryId: "IT", code: "123", name: ["X"] }, 400],
      [{ countryId: null, code: "123", name: "X" }, 400],
      [{ countryId: "IT", code: "123", name: long }, 400],
      [{ countryId: "IT", code: "123", name: "   " }, 400],
      [{ countryId: "IT", code: "12", name: "X" }, 400],
      [{ countryId: "IT", code: "abc", name: "X" }, 400],
      [{ countryId: "IT", code: "1234", name: "X" }, 400],
      [{ countryId: "ITA", code: "123", name: "X" }, 400],
      [{ countryId: long, code: "123", name: "X" }, 400],
      [{ countryId: "ZZ", code: "123", name: "X" }, 404],
      [[], 400],
      ["text", 400],
      [null, 400],
    ];
    for (const [body, status] of bodies) {
      const response = await api("POST", "/api/admin/location/regions", body);
      expect({ body: JSON.stringify(body).slice(0, 80), status: response.status }).toEqual({ body: JSON.stringify(body).slice(0, 80), status });
    }
    const long400 = await api("POST", "/api/admin/location/regions", { countryId: "IT", code: "123", name: long });
    expect((await errorOf(long400)).details.fieldErrors?.name).toEqual(["A name has at most 100 characters."]);
    for (const init of [
      { headers: json, body: "{nope" },
      { headers: { "content-type": "text/plain" }, body: "countryId=IT" },
      { headers: {}, body: undefined },
    ]) {
      const response = await admin.request("/api/admin/location/regions", { method: "POST", ...init });
      expect(response.status).toBe(400);
    }
    const [none] = await t.deps.db.select().from(regions).where(and(eq(regions.countryId, "IT"), eq(regions.code, "123")));
    expect(none).toBeUndefined();
  });

  test("creating a town", async () => {
    const bodies: [unknown, number][] = [
      [{}, 400],
      [{ regionId: region.id, code: "321" }, 400],
      [{ regionId: region.id, code: 321, name: "X" }, 400],
      [{ regionId: region.id, code: "321", name: long }, 400],
      [{ regionId: region.id, code: "000", name: "X" }, 400],
      [{ regionId: 5, code: "321", name: "X" }, 400],
      ...badIds.map((id): [unknown, number] => [{ regionId: id, code: "321", name: "X" }, 400]),
      [{ regionId: unknownId, code: "321", name: "X" }, 404],
    ];
    for (const [body, status] of bodies) {
      const response = await api("POST", "/api/admin/location/towns", body);
      expect({ body: JSON.stringify(body).slice(0, 80), status: response.status }).toEqual({ body: JSON.stringify(body).slice(0, 80), status });
    }
  });

  test("renaming and deleting with a malformed or unknown id, or a bad body", async () => {
    for (const what of ["regions", "towns"]) {
      for (const id of [...badIds, unknownId]) {
        for (const method of ["PATCH", "DELETE"]) {
          const response = await api(method, `/api/admin/location/${what}/${id}`, method === "PATCH" ? { name: "Fine" } : undefined);
          expect({ what, id: id.slice(0, 30), method, status: response.status }).toEqual({ what, id: id.slice(0, 30), method, status: 404 });
        }
      }
      const id = what === "regions" ? region.id : town.id;
      const bodies: unknown[] = [{}, { name: long }, { name: "" }, { name: 7 }, { name: null }, { name: "Fine", extra: true }, { name: "Fine", regionId: region.id }, [], "Fine", null];
      for (const body of bodies) {
        const response = await api("PATCH", `/api/admin/location/${what}/${id}`, body);
        expect({ what, body: JSON.stringify(body).slice(0, 60), status: response.status }).toEqual({ what, body: JSON.stringify(body).slice(0, 60), status: 400 });
      }
      const broken = await admin.request(`/api/admin/location/${what}/${id}`, { method: "PATCH", headers: json, body: "{nope" });
      expect(broken.status).toBe(400);
    }
    expect(await regionRow(region.id)).toMatchObject({ name: "Toscana" });
    expect((await townsOf(region.id)).map((x) => x.name)).toEqual(["Unassigned", "Firenze"]);
  });

  test("listing with a missing, malformed or unknown parent", async () => {
    for (const [path, status] of [
      ["/api/admin/location/regions", 400],
      ["/api/admin/location/regions?countryId=", 400],
      ["/api/admin/location/regions?countryId=ITA", 400],
      [`/api/admin/location/regions?countryId=${long}`, 400],
      ["/api/admin/location/regions?countryId=ZZ", 404],
      ["/api/admin/location/towns", 400],
      ["/api/admin/location/towns?regionId=nope", 400],
      [`/api/admin/location/towns?regionId=${unknownId}`, 404],
    ] as const) {
      const response = await api("GET", path);
      expect({ path: path.slice(0, 60), status: response.status }).toEqual({ path: path.slice(0, 60), status });
    }
  });

  test("the pages and forms with malformed or unknown ids, or a region of another country", async () => {
    const base = "/admin-portal/places";
    for (const path of [`${base}/ZZ`, `${base}/GBR`, `${base}/1`, `${base}/${long}`, `${base}/%00`]) {
      const response = await admin.request(path);
      expect({ path: path.slice(0, 60), status: response.status }).toEqual({ path: path.slice(0, 60), status: 404 });
    }
    const posts: [string, Record<string, string>][] = [
      [`${base}/ZZ/regions`, { code: "456", name: "X" }],
      [`${base}/GBR/regions`, { code: "456", name: "X" }],
      ...badIds.flatMap((id): [string, Record<string, string>][] => [
        [`${base}/IT/regions/${id}/rename`, { name: "X" }],
        [`${base}/IT/regions/${id}/delete`, {}],
        [`${base}/IT/regions/${id}/towns`, { code: "456", name: "X" }],
        [`${base}/IT/towns/${id}/rename`, { name: "X" }],
        [`${base}/IT/towns/${id}/delete`, {}],
      ]),
      [`${base}/IT/regions/${unknownId}/rename`, { name: "X" }],
      [`${base}/IT/towns/${unknownId}/delete`, {}],
      // Real ids, but the page is another country's.
      [`${base}/FR/regions/${region.id}/rename`, { name: "X" }],
      [`${base}/FR/regions/${region.id}/delete`, {}],
      [`${base}/FR/regions/${region.id}/towns`, { code: "456", name: "X" }],
      [`${base}/FR/towns/${town.id}/rename`, { name: "X" }],
      [`${base}/FR/towns/${town.id}/delete`, {}],
      [`${base}/IT/regions/${town.id}/rename`, { name: "X" }],
      [`${base}/IT/towns/${region.id}/delete`, {}],
    ];
    for (const [path, fields] of posts) {
      for (const headers of [{}, htmx]) {
        const response = await form(admin, path, fields, headers);
        expect({ path: path.slice(0, 90), status: response.status }).toEqual({ path: path.slice(0, 90), status: 404 });
      }
    }
    expect(await regionRow(region.id)).toMatchObject({ name: "Toscana" });
    expect((await townsOf(region.id)).map((x) => x.name)).toEqual(["Unassigned", "Firenze"]);
  });

  test("form posts with missing, too long or wrong fields are a 400 with the error beside the field", async () => {
    const base = `/admin-portal/places/IT`;
    const cases: [string, Record<string, string>, string][] = [
      [`${base}/regions`, {}, "region-new-code-error"],
      [`${base}/regions`, { code: "77", name: "X" }, "region-new-code-error"],
      [`${base}/regions`, { code: "777", name: long }, "region-new-name-error"],
      [`${base}/regions/${region.id}/rename`, { name: long }, `region-${region.id}-rename-name-error`],
      [`${base}/regions/${region.id}/rename`, {}, `region-${region.id}-rename-name-error`],
      [`${base}/regions/${region.id}/towns`, { code: "000", name: "Zero" }, `region-${region.id}-town-code-error`],
      [`${base}/regions/${region.id}/towns`, { code: "778" }, `region-${region.id}-town-name-error`],
      [`${base}/towns/${town.id}/rename`, { name: " " }, `town-${town.id}-name-error`],
      [`${base}/towns/${town.id}/rename`, { name: long }, `town-${town.id}-name-error`],
    ];
    for (const [path, fields, errorId] of cases) {
      for (const headers of [{}, htmx]) {
        const response = await form(admin, path, fields, headers);
        expect({ path, fields: Object.keys(fields), status: response.status }).toEqual({ path, fields: Object.keys(fields), status: 400 });
        const html = await response.text();
        expect(html).toContain(`id="${errorId}"`);
        expect(html.startsWith("<!doctype html>")).toBe(Object.keys(headers).length === 0);
      }
    }
    expect(await regionRow(region.id)).toMatchObject({ name: "Toscana" });
  });
});

// ——— the pages ———

describe("a country's page and its forms", () => {
  const base = "/admin-portal/places/ES";

  test("shows each region with its towns: codes, names and current Block IDs, the 000 ones marked reserved", async () => {
    const region = await newRegion("ES", "Cataluña", "001");
    const barcelona = await newTown(region.id, "Barcelona", "001");
    await registerAt("barcelona1@example.com", { townId: barcelona.id });
    await registerAt("barcelona2@example.com", { townId: barcelona.id });
    const response = await admin.request(base);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toStartWith("<!doctype html>");
    expect(html).toContain("<h1>Spain</h1>");
    expect(html).toContain("+34");
    expect(html).toContain('<a href="/admin-portal/places" aria-current="page">Places</a>');
    const unassigned = await unassignedRegionOf("ES");
    expect(dataIds(html, "region")).toEqual([unassigned.id, region.id]);
    expect(html).toContain("<code>001</code> Cataluña");
    const row = html.slice(html.indexOf(`<tr id="town-${barcelona.id}"`));
    expect(row).toContain('value="Barcelona"');
    expect(row.slice(0, row.indexOf("</tr>"))).toContain('<td class="numeric" data-count="block-ids">2</td>');
    // Towns with Block IDs offer no delete button; the 000 ones offer neither rename nor delete.
    expect(html).not.toContain(`${base}/towns/${barcelona.id}/delete`);
    expect(html).toContain(`${base}/towns/${barcelona.id}/rename`);
    const zeroTown = (await townsOf(region.id))[0]!;
    expect(html).not.toContain(`${base}/towns/${zeroTown.id}/rename`);
    expect(html).not.toContain(`${base}/regions/${unassigned.id}/rename`);
    expect(html).not.toContain(`${base}/regions/${unassigned.id}/towns`);
    // Forms that work without JavaScript, upgraded by htmx.
    expect(html).toContain(`<form id="region-new" class="card form places-add" method="post" action="${base}/regions" hx-post="${base}/regions"`);
  });

  test("without JavaScript: add, rename and delete a region and a town, each a 303 back with a notice", async () => {
    const created = await form(admin, `${base}/regions`, { code: "010", name: "Galicia" });
    expect(created.status).toBe(303);
    const [galicia] = await t.deps.db.select().from(regions).where(and(eq(regions.countryId, "ES"), eq(regions.code, "010")));
    expect(galicia).toMatchObject({ name: "Galicia" });
    expect(created.headers.get("location")).toBe(`${base}?done=region-created&region=${galicia!.id}#region-${galicia!.id}`);
    let page = await (await admin.request(created.headers.get("location")!)).text();
    expect(page).toContain("Region added, with its own Unassigned town (000).");
    expect(page).toContain("<code>010</code> Galicia");
    expect((await townsOf(galicia!.id)).map((x) => [x.code, x.name])).toEqual([["000", "Unassigned"]]);

    const renamed = await form(admin, `${base}/regions/${galicia!.id}/rename`, { name: "Galiza" });
    expect(renamed.status).toBe(303);
    expect(renamed.headers.get("location")).toBe(`${base}?done=region-renamed&region=${galicia!.id}#region-${galicia!.id}`);
    page = await (await admin.request(renamed.headers.get("location")!)).text();
    expect(page).toContain("Region renamed.");
    expect(page).toContain("<code>010</code> Galiza");

    const townAdded = await form(admin, `${base}/regions/${galicia!.id}/towns`, { code: "005", name: "Vigo" });
    expect(townAdded.status).toBe(303);
    const vigo = (await townsOf(galicia!.id)).find((x) => x.code === "005")!;
    expect(vigo.name).toBe("Vigo");
    page = await (await admin.request(townAdded.headers.get("location")!)).text();
    expect(page).toContain("Town added.");
    expect(page).toContain(`id="town-${vigo.id}"`);

    const townRenamed = await form(admin, `${base}/towns/${vigo.id}/rename`, { name: "Vigo City" });
    expect(townRenamed.status).toBe(303);
    expect((await admin.request(townRenamed.headers.get("location")!)).status).toBe(200);
    expect((await townsOf(galicia!.id)).find((x) => x.id === vigo.id)?.name).toBe("Vigo City");

    const townDeleted = await form(admin, `${base}/towns/${vigo.id}/delete`, {});
    expect(townDeleted.status).toBe(303);
    expect(townDeleted.headers.get("location")).toBe(`${base}?done=town-deleted&region=${galicia!.id}#region-${galicia!.id}`);
    page = await (await admin.request(townDeleted.headers.get("location")!)).text();
    expect(page).toContain("Town deleted.");
    expect(page).not.toContain(`id="town-${vigo.id}"`);

    const regionDeleted = await form(admin, `${base}/regions/${galicia!.id}/delete`, {});
    expect(regionDeleted.status).toBe(303);
    expect(regionDeleted.headers.get("location")).toBe(`${base}?done=region-deleted`);
    page = await (await admin.request(regionDeleted.headers.get("location")!)).text();
    expect(page).toContain("Region deleted.");
    expect(page).not.toContain(`data-region="${galicia!.id}"`);
    expect(await regionRow(galicia!.id)).toBeNull();

    const actions = (await auditOf(galicia!.id)).map((e) => e.action);
    expect(actions).toEqual(["location.region_create", "location.region_rename", "location.region_delete"]);
    expect((await auditOf(vigo.id)).map((e) => e.action)).toEqual(["location.town_create", "location.town_rename", "location.town_delete"]);
  });

  test("without JavaScript: a refused change is the page again with the error beside the field", async () => {
    const region = await newRegion("ES", "Aragón", "020");
    const clash = await form(admin, `${base}/regions`, { code: "020", name: "Navarra" });
    expect(clash.status).toBe(409);
    const html = await clash.text();
    expect(html).toStartWith("<!doctype html>");
    expect(html).toContain('id="region-new-code-error"');
    expect(html).toContain('value="Navarra"');
    const rename = await form(admin, `${base}/regions/${region.id}/rename`, { name: "cataluña" });
    expect(rename.status).toBe(409);
    const renameHtml = await rename.text();
    expect(renameHtml).toContain(`id="region-${region.id}-rename-name-error"`);
    expect(renameHtml).toContain("Another region in Spain has this name.");
    expect(await regionRow(region.id)).toMatchObject({ name: "Aragón" });
  });

  test("with htmx: a region's change swaps that region, with a notice or the error beside the field", async () => {
    const region = await newRegion("ES", "Andalucía", "030");
    const added = await form(admin, `${base}/regions/${region.id}/towns`, { code: "001", name: "Sevilla" }, htmx);
    expect(added.status).toBe(200);
    const card = await added.text();
    expect(card).toStartWith(`<section id="region-${region.id}"`);
    expect(card).not.toContain("<header");
    expect(card).toContain("Town added.");
    expect(card).toContain('value="Sevilla"');
    const sevilla = (await townsOf(region.id)).find((x) => x.code === "001")!;

    const second = await newTown(region.id, "Málaga", "002");
    const clash = await form(admin, `${base}/towns/${second.id}/rename`, { name: "SEVILLA" }, htmx);
    expect(clash.status).toBe(409);
    const clashHtml = await clash.text();
    expect(clashHtml).toStartWith(`<section id="region-${region.id}"`);
    expect(clashHtml).toContain(`id="town-${second.id}-name-error"`);
    expect(clashHtml).toContain('aria-invalid="true"');
    expect(clashHtml).toContain('value="SEVILLA"');

    const codeClash = await form(admin, `${base}/regions/${region.id}/towns`, { code: "001", name: "Córdoba" }, htmx);
    expect(codeClash.status).toBe(409);
    expect(await codeClash.text()).toContain(`id="region-${region.id}-town-code-error"`);

    await registerAt("sevilla@example.com", { townId: sevilla.id });
    const inUse = await form(admin, `${base}/towns/${sevilla.id}/delete`, {}, htmx);
    expect(inUse.status).toBe(409);
    const inUseHtml = await inUse.text();
    expect(inUseHtml).toContain('class="row-message error" role="alert"');
    expect(inUseHtml).toContain("A Block ID was issued in Sevilla");

    const renamed = await form(admin, `${base}/regions/${region.id}/rename`, { name: "Andalusia" }, htmx);
    expect(renamed.status).toBe(200);
    const renamedHtml = await renamed.text();
    expect(renamedHtml).toContain("Region renamed.");
    expect(renamedHtml).toContain("<code>030</code> Andalusia");

    const deleted = await form(admin, `${base}/towns/${second.id}/delete`, {}, htmx);
    expect(deleted.status).toBe(200);
    const deletedHtml = await deleted.text();
    expect(deletedHtml).toContain("Town deleted.");
    expect(deletedHtml).not.toContain(`id="town-${second.id}"`);

    const regionInUse = await form(admin, `${base}/regions/${region.id}/delete`, {}, htmx);
    expect(regionInUse.status).toBe(409);
    const regionInUseHtml = await regionInUse.text();
    expect(regionInUseHtml).toStartWith('<div id="country-places"');
    expect(regionInUseHtml).toContain("Andalusia still has 1 town; delete them first.");
  });

  test("with htmx: adding or deleting a region swaps the country's regions", async () => {
    const bad = await form(admin, `${base}/regions`, { code: "abc", name: "Murcia" }, htmx);
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toStartWith('<div id="country-places"');
    expect(badHtml).toContain('id="region-new-code-error"');
    expect(badHtml).toContain("A code is three digits, like 012.");

    const added = await form(admin, `${base}/regions`, { code: "040", name: "Murcia" }, htmx);
    expect(added.status).toBe(200);
    const addedHtml = await added.text();
    expect(addedHtml).toStartWith('<div id="country-places"');
    expect(addedHtml).toContain("Region added, with its own Unassigned town (000).");
    expect(addedHtml).toContain("<code>040</code> Murcia");
    const [murcia] = await t.deps.db.select().from(regions).where(and(eq(regions.countryId, "ES"), eq(regions.code, "040")));
    expect(addedHtml).toContain(`${base}/regions/${murcia!.id}/delete`);

    const deleted = await form(admin, `${base}/regions/${murcia!.id}/delete`, {}, htmx);
    expect(deleted.status).toBe(200);
    const deletedHtml = await deleted.text();
    expect(deletedHtml).toContain("Region deleted.");
    expect(deletedHtml).not.toContain(`data-region="${murcia!.id}"`);
  });

  test("the 000 region and towns refuse a change posted anyway, with a clear message", async () => {
    const unassigned = await unassignedRegionOf("ES");
    const zeroTown = (await townsOf(unassigned.id))[0]!;
    const rename = await form(admin, `${base}/regions/${unassigned.id}/rename`, { name: "Anywhere" }, htmx);
    expect(rename.status).toBe(409);
    expect(await rename.text()).toContain("The Unassigned region (000) belongs to every country");
    const town = await form(admin, `${base}/towns/${zeroTown.id}/rename`, { name: "Anywhere" });
    expect(town.status).toBe(409);
    expect(await town.text()).toContain("Unassigned town (000)");
    const remove = await form(admin, `${base}/towns/${zeroTown.id}/delete`, {}, htmx);
    expect(remove.status).toBe(409);
    expect(await regionRow(unassigned.id)).toMatchObject({ name: "Unassigned" });
    expect((await townsOf(unassigned.id)).map((x) => x.name)).toEqual(["Unassigned"]);
  });
});
