// Bad input on every places endpoint (API, pages and forms): malformed, unknown and cross-country ids,
// missing fields, wrong JSON types, overlong names — a 400 or 404 with the reason, never a 500.
// The rules themselves are in places-api.test.ts; the shared setup in places.fixture.ts.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { regions } from "../location/schema";
import { htmx } from "./admin.fixture";
import { errorOf, form, json, usePlacesApp } from "./places.fixture";

const f = usePlacesApp();

describe("bad input on every endpoint is a 400 or 404, never a 500", () => {
  let region: Awaited<ReturnType<typeof f.newRegion>>;
  let town: Awaited<ReturnType<typeof f.newTown>>;
  beforeAll(async () => {
    region = await f.newRegion("IT", "Toscana");
    town = await f.newTown(region.id, "Firenze");
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
      const response = await f.api("POST", "/api/admin/location/regions", body);
      expect({ body: JSON.stringify(body).slice(0, 80), status: response.status }).toEqual({ body: JSON.stringify(body).slice(0, 80), status });
    }
    const long400 = await f.api("POST", "/api/admin/location/regions", { countryId: "IT", code: "123", name: long });
    expect((await errorOf(long400)).details.fieldErrors?.name).toEqual(["A name has at most 100 characters."]);
    for (const init of [
      { headers: json, body: "{nope" },
      { headers: { "content-type": "text/plain" }, body: "countryId=IT" },
      { headers: {}, body: undefined },
    ]) {
      const response = await f.admin.request("/api/admin/location/regions", { method: "POST", ...init });
      expect(response.status).toBe(400);
    }
    const [none] = await f.t.deps.db.select().from(regions).where(and(eq(regions.countryId, "IT"), eq(regions.code, "123")));
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
      const response = await f.api("POST", "/api/admin/location/towns", body);
      expect({ body: JSON.stringify(body).slice(0, 80), status: response.status }).toEqual({ body: JSON.stringify(body).slice(0, 80), status });
    }
  });

  test("renaming and deleting with a malformed or unknown id, or a bad body", async () => {
    for (const what of ["regions", "towns"]) {
      for (const id of [...badIds, unknownId]) {
        for (const method of ["PATCH", "DELETE"]) {
          const response = await f.api(method, `/api/admin/location/${what}/${id}`, method === "PATCH" ? { name: "Fine" } : undefined);
          expect({ what, id: id.slice(0, 30), method, status: response.status }).toEqual({ what, id: id.slice(0, 30), method, status: 404 });
        }
      }
      const id = what === "regions" ? region.id : town.id;
      const bodies: unknown[] = [{}, { name: long }, { name: "" }, { name: 7 }, { name: null }, { name: "Fine", extra: true }, { name: "Fine", regionId: region.id }, [], "Fine", null];
      for (const body of bodies) {
        const response = await f.api("PATCH", `/api/admin/location/${what}/${id}`, body);
        expect({ what, body: JSON.stringify(body).slice(0, 60), status: response.status }).toEqual({ what, body: JSON.stringify(body).slice(0, 60), status: 400 });
      }
      const broken = await f.admin.request(`/api/admin/location/${what}/${id}`, { method: "PATCH", headers: json, body: "{nope" });
      expect(broken.status).toBe(400);
    }
    expect(await f.regionRow(region.id)).toMatchObject({ name: "Toscana" });
    expect((await f.townsOf(region.id)).map((x) => x.name)).toEqual(["Unassigned", "Firenze"]);
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
      const response = await f.api("GET", path);
      expect({ path: path.slice(0, 60), status: response.status }).toEqual({ path: path.slice(0, 60), status });
    }
  });

  test("the pages and forms with malformed or unknown ids, or a region of another country", async () => {
    const base = "/admin-portal/places";
    for (const path of [`${base}/ZZ`, `${base}/GBR`, `${base}/1`, `${base}/${long}`, `${base}/%00`]) {
      const response = await f.admin.request(path);
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
        const response = await form(f.admin, path, fields, headers);
        expect({ path: path.slice(0, 90), status: response.status }).toEqual({ path: path.slice(0, 90), status: 404 });
      }
    }
    expect(await f.regionRow(region.id)).toMatchObject({ name: "Toscana" });
    expect((await f.townsOf(region.id)).map((x) => x.name)).toEqual(["Unassigned", "Firenze"]);
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
        const response = await form(f.admin, path, fields, headers);
        expect({ path, fields: Object.keys(fields), status: response.status }).toEqual({ path, fields: Object.keys(fields), status: 400 });
        const html = await response.text();
        expect(html).toContain(`id="${errorId}"`);
        expect(html.startsWith("<!doctype html>")).toBe(Object.keys(headers).length === 0);
      }
    }
    expect(await f.regionRow(region.id)).toMatchObject({ name: "Toscana" });
  });
});
