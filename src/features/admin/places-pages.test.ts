// The places admin pages: the country list (counts, search, paging, bad input) and a country's page
// with its regions and towns, whose forms work without JavaScript (303 back with a notice, or the page
// again with the error beside the field) and with htmx (the region or the country's regions swapped).
// The JSON API is in places-api.test.ts; the shared setup in places.fixture.ts.
import { describe, expect, test } from "bun:test";
import { and, eq, isNull } from "drizzle-orm";
import { blockIds, regions, towns } from "../location/schema";
import { dataIds, htmx } from "./admin.fixture";
import { form, usePlacesApp } from "./places.fixture";

const f = usePlacesApp();

// ——— the country list ———

describe("the country list", () => {
  const search = (query: string, headers: Record<string, string> = htmx) => f.admin.request(`/admin-portal/places${query}`, { headers });

  test("shows each country's calling code and how many regions, towns and current Block IDs it has", async () => {
    const response = await search("?q=United+Kingdom");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(dataIds(html, "country")).toEqual(["GB"]);
    expect(html).toContain('<a href="/admin-portal/places/GB">United Kingdom</a>');
    expect(html).toContain("+44");
    // The starter places: 4 regions with 7 towns; every account so far was placed in GB by default.
    const gbCurrent = (
      await f.t.deps.db
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

// ——— a country's page ———

describe("a country's page and its forms", () => {
  const base = "/admin-portal/places/ES";

  test("shows each region with its towns: codes, names and current Block IDs, the 000 ones marked reserved", async () => {
    const region = await f.newRegion("ES", "Cataluña", "001");
    const barcelona = await f.newTown(region.id, "Barcelona", "001");
    await f.registerAt("barcelona1@example.com", { townId: barcelona.id });
    await f.registerAt("barcelona2@example.com", { townId: barcelona.id });
    const response = await f.admin.request(base);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toStartWith("<!doctype html>");
    expect(html).toContain("<h1>Spain</h1>");
    expect(html).toContain("+34");
    expect(html).toContain('<a href="/admin-portal/places" aria-current="page">Places</a>');
    const unassigned = await f.unassignedRegionOf("ES");
    expect(dataIds(html, "region")).toEqual([unassigned.id, region.id]);
    expect(html).toContain("<code>001</code> Cataluña");
    const row = html.slice(html.indexOf(`<tr id="town-${barcelona.id}"`));
    expect(row).toContain('value="Barcelona"');
    expect(row.slice(0, row.indexOf("</tr>"))).toContain('<td class="numeric" data-count="block-ids">2</td>');
    // Towns with Block IDs offer no delete button; the 000 ones offer neither rename nor delete.
    expect(html).not.toContain(`${base}/towns/${barcelona.id}/delete`);
    expect(html).toContain(`${base}/towns/${barcelona.id}/rename`);
    const zeroTown = (await f.townsOf(region.id))[0]!;
    expect(html).not.toContain(`${base}/towns/${zeroTown.id}/rename`);
    expect(html).not.toContain(`${base}/regions/${unassigned.id}/rename`);
    expect(html).not.toContain(`${base}/regions/${unassigned.id}/towns`);
    // Forms that work without JavaScript, upgraded by htmx.
    expect(html).toContain(`<form id="region-new" class="card form places-add" method="post" action="${base}/regions" hx-post="${base}/regions"`);
  });

  test("without JavaScript: add, rename and delete a region and a town, each a 303 back with a notice", async () => {
    const created = await form(f.admin, `${base}/regions`, { code: "010", name: "Galicia" });
    expect(created.status).toBe(303);
    const [galicia] = await f.t.deps.db.select().from(regions).where(and(eq(regions.countryId, "ES"), eq(regions.code, "010")));
    expect(galicia).toMatchObject({ name: "Galicia" });
    expect(created.headers.get("location")).toBe(`${base}?done=region-created&region=${galicia!.id}#region-${galicia!.id}`);
    let page = await (await f.admin.request(created.headers.get("location")!)).text();
    expect(page).toContain("Region added, with its own Unassigned town (000).");
    expect(page).toContain("<code>010</code> Galicia");
    expect((await f.townsOf(galicia!.id)).map((x) => [x.code, x.name])).toEqual([["000", "Unassigned"]]);

    const renamed = await form(f.admin, `${base}/regions/${galicia!.id}/rename`, { name: "Galiza" });
    expect(renamed.status).toBe(303);
    expect(renamed.headers.get("location")).toBe(`${base}?done=region-renamed&region=${galicia!.id}#region-${galicia!.id}`);
    page = await (await f.admin.request(renamed.headers.get("location")!)).text();
    expect(page).toContain("Region renamed.");
    expect(page).toContain("<code>010</code> Galiza");

    const townAdded = await form(f.admin, `${base}/regions/${galicia!.id}/towns`, { code: "005", name: "Vigo" });
    expect(townAdded.status).toBe(303);
    const vigo = (await f.townsOf(galicia!.id)).find((x) => x.code === "005")!;
    expect(vigo.name).toBe("Vigo");
    page = await (await f.admin.request(townAdded.headers.get("location")!)).text();
    expect(page).toContain("Town added.");
    expect(page).toContain(`id="town-${vigo.id}"`);

    const townRenamed = await form(f.admin, `${base}/towns/${vigo.id}/rename`, { name: "Vigo City" });
    expect(townRenamed.status).toBe(303);
    expect((await f.admin.request(townRenamed.headers.get("location")!)).status).toBe(200);
    expect((await f.townsOf(galicia!.id)).find((x) => x.id === vigo.id)?.name).toBe("Vigo City");

    const townDeleted = await form(f.admin, `${base}/towns/${vigo.id}/delete`, {});
    expect(townDeleted.status).toBe(303);
    expect(townDeleted.headers.get("location")).toBe(`${base}?done=town-deleted&region=${galicia!.id}#region-${galicia!.id}`);
    page = await (await f.admin.request(townDeleted.headers.get("location")!)).text();
    expect(page).toContain("Town deleted.");
    expect(page).not.toContain(`id="town-${vigo.id}"`);

    const regionDeleted = await form(f.admin, `${base}/regions/${galicia!.id}/delete`, {});
    expect(regionDeleted.status).toBe(303);
    expect(regionDeleted.headers.get("location")).toBe(`${base}?done=region-deleted`);
    page = await (await f.admin.request(regionDeleted.headers.get("location")!)).text();
    expect(page).toContain("Region deleted.");
    expect(page).not.toContain(`data-region="${galicia!.id}"`);
    expect(await f.regionRow(galicia!.id)).toBeNull();

    const actions = (await f.auditOf(galicia!.id)).map((e) => e.action);
    expect(actions).toEqual(["location.region_create", "location.region_rename", "location.region_delete"]);
    expect((await f.auditOf(vigo.id)).map((e) => e.action)).toEqual(["location.town_create", "location.town_rename", "location.town_delete"]);
  });

  test("without JavaScript: a refused change is the page again with the error beside the field", async () => {
    const region = await f.newRegion("ES", "Aragón", "020");
    const clash = await form(f.admin, `${base}/regions`, { code: "020", name: "Navarra" });
    expect(clash.status).toBe(409);
    const html = await clash.text();
    expect(html).toStartWith("<!doctype html>");
    expect(html).toContain('id="region-new-code-error"');
    expect(html).toContain('value="Navarra"');
    const rename = await form(f.admin, `${base}/regions/${region.id}/rename`, { name: "cataluña" });
    expect(rename.status).toBe(409);
    const renameHtml = await rename.text();
    expect(renameHtml).toContain(`id="region-${region.id}-rename-name-error"`);
    expect(renameHtml).toContain("Another region in Spain has this name.");
    expect(await f.regionRow(region.id)).toMatchObject({ name: "Aragón" });
  });

  test("with htmx: a region's change swaps that region, with a notice or the error beside the field", async () => {
    const region = await f.newRegion("ES", "Andalucía", "030");
    const added = await form(f.admin, `${base}/regions/${region.id}/towns`, { code: "001", name: "Sevilla" }, htmx);
    expect(added.status).toBe(200);
    const card = await added.text();
    expect(card).toStartWith(`<section id="region-${region.id}"`);
    expect(card).not.toContain("<header");
    expect(card).toContain("Town added.");
    expect(card).toContain('value="Sevilla"');
    const sevilla = (await f.townsOf(region.id)).find((x) => x.code === "001")!;

    const second = await f.newTown(region.id, "Málaga", "002");
    const clash = await form(f.admin, `${base}/towns/${second.id}/rename`, { name: "SEVILLA" }, htmx);
    expect(clash.status).toBe(409);
    const clashHtml = await clash.text();
    expect(clashHtml).toStartWith(`<section id="region-${region.id}"`);
    expect(clashHtml).toContain(`id="town-${second.id}-name-error"`);
    expect(clashHtml).toContain('aria-invalid="true"');
    expect(clashHtml).toContain('value="SEVILLA"');

    const codeClash = await form(f.admin, `${base}/regions/${region.id}/towns`, { code: "001", name: "Córdoba" }, htmx);
    expect(codeClash.status).toBe(409);
    expect(await codeClash.text()).toContain(`id="region-${region.id}-town-code-error"`);

    await f.registerAt("sevilla@example.com", { townId: sevilla.id });
    const inUse = await form(f.admin, `${base}/towns/${sevilla.id}/delete`, {}, htmx);
    expect(inUse.status).toBe(409);
    const inUseHtml = await inUse.text();
    expect(inUseHtml).toContain('class="row-message error" role="alert"');
    expect(inUseHtml).toContain("A Block ID was issued in Sevilla");

    const renamed = await form(f.admin, `${base}/regions/${region.id}/rename`, { name: "Andalusia" }, htmx);
    expect(renamed.status).toBe(200);
    const renamedHtml = await renamed.text();
    expect(renamedHtml).toContain("Region renamed.");
    expect(renamedHtml).toContain("<code>030</code> Andalusia");

    const deleted = await form(f.admin, `${base}/towns/${second.id}/delete`, {}, htmx);
    expect(deleted.status).toBe(200);
    const deletedHtml = await deleted.text();
    expect(deletedHtml).toContain("Town deleted.");
    expect(deletedHtml).not.toContain(`id="town-${second.id}"`);

    const regionInUse = await form(f.admin, `${base}/regions/${region.id}/delete`, {}, htmx);
    expect(regionInUse.status).toBe(409);
    const regionInUseHtml = await regionInUse.text();
    expect(regionInUseHtml).toStartWith('<div id="country-places"');
    expect(regionInUseHtml).toContain("Andalusia still has 1 town; delete them first.");
  });

  test("with htmx: adding or deleting a region swaps the country's regions", async () => {
    const bad = await form(f.admin, `${base}/regions`, { code: "abc", name: "Murcia" }, htmx);
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toStartWith('<div id="country-places"');
    expect(badHtml).toContain('id="region-new-code-error"');
    expect(badHtml).toContain("A code is three digits, like 012.");

    const added = await form(f.admin, `${base}/regions`, { code: "040", name: "Murcia" }, htmx);
    expect(added.status).toBe(200);
    const addedHtml = await added.text();
    expect(addedHtml).toStartWith('<div id="country-places"');
    expect(addedHtml).toContain("Region added, with its own Unassigned town (000).");
    expect(addedHtml).toContain("<code>040</code> Murcia");
    const [murcia] = await f.t.deps.db.select().from(regions).where(and(eq(regions.countryId, "ES"), eq(regions.code, "040")));
    expect(addedHtml).toContain(`${base}/regions/${murcia!.id}/delete`);

    const deleted = await form(f.admin, `${base}/regions/${murcia!.id}/delete`, {}, htmx);
    expect(deleted.status).toBe(200);
    const deletedHtml = await deleted.text();
    expect(deletedHtml).toContain("Region deleted.");
    expect(deletedHtml).not.toContain(`data-region="${murcia!.id}"`);
  });

  test("the 000 region and towns refuse a change posted anyway, with a clear message", async () => {
    const unassigned = await f.unassignedRegionOf("ES");
    const zeroTown = (await f.townsOf(unassigned.id))[0]!;
    const rename = await form(f.admin, `${base}/regions/${unassigned.id}/rename`, { name: "Anywhere" }, htmx);
    expect(rename.status).toBe(409);
    expect(await rename.text()).toContain("The Unassigned region (000) belongs to every country");
    const town = await form(f.admin, `${base}/towns/${zeroTown.id}/rename`, { name: "Anywhere" });
    expect(town.status).toBe(409);
    expect(await town.text()).toContain("Unassigned town (000)");
    const remove = await form(f.admin, `${base}/towns/${zeroTown.id}/delete`, {}, htmx);
    expect(remove.status).toBe(409);
    expect(await f.regionRow(unassigned.id)).toMatchObject({ name: "Unassigned" });
    expect((await f.townsOf(unassigned.id)).map((x) => x.name)).toEqual(["Unassigned"]);
  });
});
