// The public location API: countries, a country's regions, a region's towns, and where the caller is.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Browser, bearerRequest, createTestApp, loginToken, strongPassword, type TestApp } from "../../test/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: "off" });
});
afterAll(() => t.close());

type Country = { id: string; alpha3: string; name: string; callingCode: string };
type PlaceItem = { id: string; code: string; name: string; unassigned: boolean };
type Located = {
  location: { country: { id: string; name: string; callingCode: string }; region: { id: string; code: string; name: string }; town: { id: string; code: string; name: string } };
  blockId?: string;
  source: string;
  signedIn: boolean;
};
type ApiError = { error: { code: string; message: string; details: { fieldErrors?: Record<string, string[]> } } };

const get = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });

async function regionsOf(countryId: string) {
  const response = await get(`/api/location/regions/${countryId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { country: { id: string; name: string; callingCode: string }; regions: PlaceItem[] };
}

async function townsOf(regionId: string) {
  const response = await get(`/api/location/towns/${regionId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { region: { id: string; code: string; name: string; countryId: string }; towns: PlaceItem[] };
}

async function townId(countryId: string, region: string, town: string) {
  const regionRow = (await regionsOf(countryId)).regions.find((r) => r.name === region)!;
  return (await townsOf(regionRow.id)).towns.find((t) => t.name === town)!.id;
}

async function register(email: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await t.app.request("/api/auth/register", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.20", ...headers },
    body: JSON.stringify({ acceptTerms: true, email, password: strongPassword, name: "Located", ...body }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { user: { blockId: string } }).user;
}

describe("GET /api/location/countries", () => {
  test("lists all 249 ISO countries by name with alpha-3 and calling codes, publicly cacheable", async () => {
    const response = await get("/api/location/countries");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const { countries } = (await response.json()) as { countries: Country[] };
    expect(countries).toHaveLength(249);
    const byId = new Map(countries.map((c) => [c.id, c]));
    expect(byId.get("GB")).toEqual({ id: "GB", alpha3: "GBR", name: "United Kingdom", callingCode: "44" });
    expect(byId.get("US")).toMatchObject({ alpha3: "USA", callingCode: "1" });
    expect(byId.get("DE")).toMatchObject({ alpha3: "DEU", callingCode: "49" });
    expect(byId.get("NG")?.callingCode).toBe("234");
    const names = countries.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en")));
    expect(countries.every((c) => /^[A-Z]{2}$/.test(c.id) && /^[A-Z]{3}$/.test(c.alpha3) && /^\d{1,4}$/.test(c.callingCode))).toBe(true);
  });
});

describe("GET /api/location/regions/:countryId", () => {
  test("a country's regions by code, its unassigned 000 region flagged", async () => {
    const response = await get("/api/location/regions/GB");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const body = (await response.json()) as Awaited<ReturnType<typeof regionsOf>>;
    expect(body.country).toEqual({ id: "GB", name: "United Kingdom", callingCode: "44" });
    expect(body.regions.map((r) => [r.code, r.name, r.unassigned])).toEqual([
      ["000", "Unassigned", true],
      ["001", "England", false],
      ["002", "Scotland", false],
      ["003", "Wales", false],
      ["004", "Northern Ireland", false],
    ]);
    expect(body.regions.every((r) => /^[a-z0-9]{16,40}$/.test(r.id))).toBe(true);
  });

  test("a lower-case code is the same country; a country without regions has only its unassigned one", async () => {
    expect((await regionsOf("gb")).country.id).toBe("GB");
    const france = await regionsOf("FR");
    expect(france.country.callingCode).toBe("33");
    expect(france.regions.map((r) => [r.code, r.unassigned])).toEqual([["000", true]]);
  });

  test("a malformed country id is a 400 validation error, never a 500", async () => {
    for (const id of ["G1", "x", "GBR", "1", "a".repeat(10_000), "%00", "%2E%2E%2F", "G%20", "%E0%A4%A"]) {
      const response = await get(`/api/location/regions/${id}`);
      expect(response.status, id.slice(0, 20)).toBe(400);
      const { error } = (await response.json()) as ApiError;
      expect(error.code).toBe("validation_failed");
      expect(error.details.fieldErrors?.countryId?.length).toBeGreaterThan(0);
    }
  });

  test("an unknown country is a 404", async () => {
    for (const id of ["ZZ", "XK", "xx"]) {
      const response = await get(`/api/location/regions/${id}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as ApiError).error.code).toBe("not_found");
    }
  });

  test("a path that walks out of the API is never a 500", async () => {
    for (const path of ["/api/location/regions/../", "/api/location/regions/", "/api/location/towns/..%2F..%2Fcountries"]) {
      const response = await get(path);
      expect([400, 404]).toContain(response.status);
    }
  });
});

describe("GET /api/location/towns/:regionId", () => {
  test("a region's towns by code with the region and its country, unassigned 000 flagged", async () => {
    const england = (await regionsOf("GB")).regions.find((r) => r.name === "England")!;
    const response = await get(`/api/location/towns/${england.id}`);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const body = (await response.json()) as Awaited<ReturnType<typeof townsOf>>;
    expect(body.region).toEqual({ id: england.id, code: "001", name: "England", countryId: "GB" });
    expect(body.towns.map((t) => [t.code, t.name, t.unassigned])).toEqual([
      ["000", "Unassigned", true],
      ["001", "London", false],
      ["002", "Manchester", false],
      ["003", "Birmingham", false],
    ]);
  });

  test("the unassigned region of a country holds only the unassigned town", async () => {
    const unassigned = (await regionsOf("DE")).regions.find((r) => r.unassigned)!;
    const body = await townsOf(unassigned.id);
    expect(body.region).toMatchObject({ code: "000", countryId: "DE" });
    expect(body.towns.map((t) => [t.code, t.unassigned])).toEqual([["000", true]]);
  });

  test("a malformed region id is a 400; an unknown one a 404; never a 500", async () => {
    for (const id of ["x", "G1", "ABCDEFGHIJKLMNOPQRST", "a".repeat(10_000), "%00", "%2E%2E%2F", "abc%00defghijklmnopq", "a".repeat(41)]) {
      const response = await get(`/api/location/towns/${id}`);
      expect(response.status, id.slice(0, 20)).toBe(400);
      const { error } = (await response.json()) as ApiError;
      expect(error.code).toBe("validation_failed");
      expect(error.details.fieldErrors?.regionId?.length).toBeGreaterThan(0);
    }
    const unknown = await get(`/api/location/towns/${"a".repeat(26)}`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ApiError).error.code).toBe("not_found");
    // A town id is not a region id.
    const london = await townId("GB", "England", "London");
    expect((await get(`/api/location/towns/${london}`)).status).toBe(404);
  });
});

describe("GET /api/location/user-location, signed in", () => {
  test("a picked town: the place, the Block ID and source picked, by bearer token and by cookie", async () => {
    const london = await townId("GB", "England", "London");
    const user = await register("picked@example.com", { townId: london });
    expect(user.blockId).toMatch(/^44-001-001-\d{6}$/);

    const token = await loginToken(t.app, "picked@example.com");
    const response = await bearerRequest(t.app, token, "/api/location/user-location");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const body = (await response.json()) as Located;
    expect(body).toEqual({
      location: {
        country: { id: "GB", name: "United Kingdom", callingCode: "44" },
        region: { id: expect.any(String), code: "001", name: "England" },
        town: { id: london, code: "001", name: "London" },
      },
      blockId: user.blockId,
      source: "picked",
      signedIn: true,
    });

    const browser = new Browser(t.app);
    expect((await browser.request("/login", { method: "POST", form: { email: "picked@example.com", password: strongPassword } })).status).toBe(303);
    const viaCookie = (await (await browser.request("/api/location/user-location")).json()) as Located;
    expect(viaCookie.blockId).toBe(user.blockId);
    expect(viaCookie.signedIn).toBe(true);
  });

  test("only the edge's country: source edge, the country's unassigned region and town", async () => {
    const user = await register("edge-de@example.com", {}, { "cf-ipcountry": "DE" });
    expect(user.blockId).toMatch(/^49-000-000-\d{6}$/);
    const token = await loginToken(t.app, "edge-de@example.com");
    // Where the request comes from now does not matter: the answer is the account's.
    const response = await t.app.request("/api/location/user-location", { headers: { authorization: `Bearer ${token}`, "cf-ipcountry": "US" } });
    const body = (await response.json()) as Located;
    expect(body.source).toBe("edge");
    expect(body.blockId).toBe(user.blockId);
    expect(body.location.country.id).toBe("DE");
    expect([body.location.region.code, body.location.region.name]).toEqual(["000", "Unassigned"]);
    expect([body.location.town.code, body.location.town.name]).toEqual(["000", "Unassigned"]);
  });

  test("nothing picked and no edge: source default, in the default country", async () => {
    const user = await register("plain@example.com");
    const token = await loginToken(t.app, "plain@example.com");
    const body = (await (await bearerRequest(t.app, token, "/api/location/user-location")).json()) as Located;
    expect(body).toMatchObject({ blockId: user.blockId, source: "default", signedIn: true });
    expect(body.location.country.id).toBe("GB");
    expect(body.location.town.code).toBe("000");
  });

  test("a token that opens no session is answered as anonymous", async () => {
    const body = (await (await bearerRequest(t.app, "not-a-real-token", "/api/location/user-location")).json()) as Located;
    expect(body.signedIn).toBe(false);
    expect(body.blockId).toBeUndefined();
  });
});

describe("GET /api/location/user-location, anonymous", () => {
  test("no edge headers and no geolocation service: the default country's unassigned town", async () => {
    const response = await get("/api/location/user-location");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const body = (await response.json()) as Located;
    expect(body).toEqual({
      location: {
        country: { id: "GB", name: "United Kingdom", callingCode: "44" },
        region: { id: expect.any(String), code: "000", name: "Unassigned" },
        town: { id: expect.any(String), code: "000", name: "Unassigned" },
      },
      source: "default",
      signedIn: false,
    });
  });

  test("CF-IPCountry alone: that country's unassigned town, source edge", async () => {
    const body = (await (await get("/api/location/user-location", { "cf-ipcountry": "DE" })).json()) as Located;
    expect(body.source).toBe("edge");
    expect(body.location.country).toEqual({ id: "DE", name: "Germany", callingCode: "49" });
    expect(body.location.town.code).toBe("000");
  });

  test("country, region and city known here: that town", async () => {
    const body = (await (await get("/api/location/user-location", { "cf-ipcountry": "US", "cf-region": "California", "cf-ipcity": "San%20Francisco" })).json()) as Located;
    expect(body.source).toBe("edge");
    expect([body.location.country.id, body.location.region.name, body.location.town.name]).toEqual(["US", "California", "San Francisco"]);
    expect([body.location.region.code, body.location.town.code]).toEqual(["001", "002"]);
  });

  test("a city not known here: the country's unassigned town", async () => {
    const body = (await (await get("/api/location/user-location", { "cf-ipcountry": "GB", "cf-region": "England", "cf-ipcity": "Leeds" })).json()) as Located;
    expect(body.source).toBe("edge");
    expect([body.location.country.id, body.location.region.code, body.location.town.code]).toEqual(["GB", "000", "000"]);
  });

  test("an unknown, Tor or malformed edge country falls back to the default", async () => {
    for (const country of ["XX", "T1", "ZZ", "GBR", "%00"]) {
      const body = (await (await get("/api/location/user-location", { "cf-ipcountry": country })).json()) as Located;
      expect(body.source, country).toBe("default");
      expect(body.location.country.id).toBe("GB");
    }
  });
});

describe("GET /api/location/user-location with a geolocation service", () => {
  let geo: TestApp;
  let service: ReturnType<typeof Bun.serve>;
  const asked: string[] = [];
  beforeAll(async () => {
    service = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch(request) {
        const ip = decodeURIComponent(new URL(request.url).pathname.split("/").pop()!);
        asked.push(ip);
        if (ip === "198.51.100.7") return Response.json({ country_code: "NG", region: "Lagos", city: "Ikeja" });
        return new Response("not found", { status: 404 });
      },
    });
    geo = await createTestApp({ GEOLOCATION_URL: `http://127.0.0.1:${service.port}/json/{ip}` });
  });
  afterAll(() => {
    geo.close();
    service.stop(true);
  });

  test("the service's answer when the edge says nothing; the edge first when it does; the default when neither", async () => {
    const from = async (ip: string, headers: Record<string, string> = {}) => {
      const response = await geo.app.request("/api/location/user-location", { headers: { "x-forwarded-for": ip, ...headers } });
      return (await response.json()) as Located;
    };
    const located = await from("198.51.100.7");
    expect(located.source).toBe("geolocation");
    expect([located.location.country.id, located.location.region.name, located.location.town.name]).toEqual(["NG", "Lagos", "Ikeja"]);
    expect(asked).toContain("198.51.100.7");

    const edgeFirst = await from("198.51.100.7", { "cf-ipcountry": "IN" });
    expect([edgeFirst.source, edgeFirst.location.country.id]).toEqual(["edge", "IN"]);

    const neither = await from("198.51.100.8");
    expect([neither.source, neither.location.country.id]).toEqual(["default", "GB"]);
  });
});
