// Who may manage places: a plain member gets 403 and the signed out 401 (pages send them to sign in)
// on every page, form and API route, bad bodies included, and nothing changes; an admin's token works.
// The shared setup is in places.fixture.ts.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { loginToken } from "../../test/app";
import { regions } from "../location/schema";
import { htmx } from "./admin.fixture";
import { errorOf, form, json, sameOrigin, usePlacesApp } from "./places.fixture";

const f = usePlacesApp();

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
    const region = await f.newRegion("FR", "Permission Region");
    regionId = region.id;
    townId = (await f.newTown(regionId, "Permission Town")).id;
  });

  async function unchanged() {
    expect((await f.regionRow(regionId))?.name).toBe("Permission Region");
    expect((await f.townsOf(regionId)).map((town) => town.name)).toEqual(["Unassigned", "Permission Town"]);
    const [sneaky] = await f.t.deps.db.select().from(regions).where(eq(regions.name, "Sneaky"));
    expect(sneaky).toBeUndefined();
  }

  test("a signed-in user who is not a platform admin gets 403 on every page, form and API route", async () => {
    for (const path of somePages()) {
      const response = await f.member.request(path);
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      const html = await response.text();
      expect(html).toContain("The admin portal is for platform admins only.");
      expect(html).not.toContain("Permission Region");
    }
    for (const [path, fields] of someForms()) {
      for (const headers of [{}, htmx]) {
        const response = await form(f.member, path, fields, headers);
        expect({ path, status: response.status }).toEqual({ path, status: 403 });
      }
    }
    for (const [method, path, body] of someApi()) {
      const response = await f.member.request(path, { method, headers: sameOrigin, ...(body === undefined ? {} : { json: body }) });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 403 });
      expect((await errorOf(response)).code).toBe("forbidden");
    }
    await unchanged();
  });

  test("a normal user's bearer token gets 403 on the API", async () => {
    for (const [method, path, body] of someApi()) {
      const response = await f.t.app.request(path, {
        method,
        headers: { authorization: `Bearer ${f.memberToken}`, ...(body === undefined ? {} : json) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 403 });
    }
    await unchanged();
  });

  test("signed out: pages send to sign-in (remembering the page), form posts and the API get 401", async () => {
    for (const path of somePages()) {
      const response = await f.t.app.request(path);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    for (const [path, fields] of someForms()) {
      const response = await f.t.app.request(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
    }
    for (const [method, path, body] of someApi()) {
      const response = await f.t.app.request(path, { method, headers: body === undefined ? {} : json, body: body === undefined ? undefined : JSON.stringify(body) });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
      expect((await errorOf(response)).code).toBe("unauthenticated");
    }
    await unchanged();
  });

  test("a platform admin's bearer token works on the API", async () => {
    const token = await loginToken(f.t.app, "root@example.com");
    const response = await f.t.app.request(`/api/admin/location/towns?regionId=${regionId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { towns: { name: string }[] };
    expect(body.towns.map((town) => town.name)).toEqual(["Unassigned", "Permission Town"]);
  });
});
