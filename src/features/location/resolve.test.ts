// Where a new account belongs (the edge's hint itself is read by src/http/edge-hint.ts): the town a hint
// names, the geolocation service (a real local HTTP server here), and DEFAULT_COUNTRY as the last word.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { blockIds, regions, towns, users } from "../../schema";
import { ConfigError, parseConfig } from "../../config";
import { createTestApp, strongPassword, type TestApp } from "../../test/app";
import { townForHint, unassignedTownOf } from "./places";
import { serviceHint } from "./resolve";

let t: TestApp;
let geo: ReturnType<typeof Bun.serve>;
/** What the stand-in geolocation service answers next, and the paths it was asked for. */
let answer: "ipapi" | "ip-api" | "country-only" | "unknown-country" | "error-body" | "hang" | "500" | "garbage" = "ipapi";
let asked: string[] = [];

beforeAll(async () => {
  geo = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      asked.push(new URL(request.url).pathname);
      switch (answer) {
        case "ipapi":
          return Response.json({ ip: "x", country_code: "DE", region: "Bavaria", city: "Munich" });
        case "ip-api":
          return Response.json({ status: "success", countryCode: "US", regionName: "california", city: "SAN FRANCISCO" });
        case "country-only":
          return Response.json({ country_code: "NG" });
        case "unknown-country":
          return Response.json({ country_code: "ZZ", region: "Bavaria", city: "Munich" });
        case "error-body":
          return Response.json({ error: true, reason: "RateLimited" });
        case "500":
          return new Response("upstream exploded", { status: 500 });
        case "garbage":
          return new Response("{ country_code: DE, not json", { headers: { "content-type": "application/json" } });
        case "hang":
          return new Promise<Response>(() => {});
      }
    },
  });
  t = await createTestApp({
    RATE_LIMIT: "off",
    GEOLOCATION_URL: `http://127.0.0.1:${geo.port}/json/{ip}`,
    GEOLOCATION_TIMEOUT_MS: "1000",
  });
});
afterAll(() => {
  t.close();
  geo.stop(true);
});
beforeEach(() => {
  answer = "ipapi";
  asked = [];
});

async function townId(country: string, region: string, town: string) {
  const [row] = await t.deps.db
    .select({ id: towns.id })
    .from(towns)
    .innerJoin(regions, eq(regions.id, towns.regionId))
    .where(and(eq(regions.countryId, country), eq(regions.name, region), eq(towns.name, town)));
  return row!.id;
}

let emails = 0;
/** Registers from `ip` with extra headers and body fields; returns the Block ID and its source. */
async function registerFrom(ip: string, headers: Record<string, string> = {}, location: Record<string, string> = {}) {
  const response = await t.app.request("/api/auth/register", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip, ...headers },
    body: JSON.stringify({ acceptTerms: true, email: `resolve-${++emails}@example.com`, password: strongPassword, name: "Resolver", ...location }),
  });
  const text = await response.text();
  expect(`${response.status} ${text}`).toStartWith("201 ");
  const { user } = JSON.parse(text) as { user: { id: string; blockId: string } };
  const [row] = await t.deps.db.select().from(blockIds).where(eq(blockIds.userId, user.id));
  const [stored] = await t.deps.db.select({ blockId: users.blockId }).from(users).where(eq(users.id, user.id));
  expect(stored!.blockId).toBe(user.blockId);
  return { blockId: user.blockId, source: row!.source, townId: row!.townId };
}

const prefixOf = (blockId: string) => blockId.slice(0, blockId.lastIndexOf("-"));

describe("townForHint", () => {
  test("matches the region and town by name, whatever the case and surrounding spaces", async () => {
    const munich = await townId("DE", "Bavaria", "Munich");
    expect(await townForHint(t.deps.db, { country: "DE", region: "Bavaria", city: "Munich" })).toBe(munich);
    expect(await townForHint(t.deps.db, { country: "de", region: "BAVARIA", city: "munich" })).toBe(munich);
    expect(await townForHint(t.deps.db, { country: "DE", region: " bavaria ", city: " Munich  " })).toBe(munich);
    expect(await townForHint(t.deps.db, { country: "US", region: "New York", city: "New York" })).toBe(await townId("US", "New York", "New York"));
  });

  test("names beyond ASCII match in any case and Unicode form (SQLite's NOCASE would not)", async () => {
    const now = Date.now();
    await t.deps.db.insert(regions).values({ id: "brregionsaopaulo0001", countryId: "BR", code: "035", name: "São Paulo", createdAt: now, updatedAt: now });
    await t.deps.db.insert(towns).values({ id: "brtownsaopaulo000001", regionId: "brregionsaopaulo0001", code: "001", name: "São Paulo", createdAt: now, updatedAt: now });
    expect(await townForHint(t.deps.db, { country: "BR", region: "SÃO PAULO", city: "são paulo" })).toBe("brtownsaopaulo000001");
    // The same letters decomposed (NFD), as some sources send them.
    expect(await townForHint(t.deps.db, { country: "BR", region: "Sa\u0303o Paulo", city: "SA\u0303O PAULO" })).toBe("brtownsaopaulo000001");
    expect(await townForHint(t.deps.db, { country: "BR", region: "Sao Paulo", city: "Sao Paulo" })).toBe(await unassignedTownOf(t.deps.db, "BR"));
  });

  test("an unknown town, a town of another region or country, or a missing name falls back to the country's unassigned town", async () => {
    const germany = await unassignedTownOf(t.deps.db, "DE");
    const britain = await unassignedTownOf(t.deps.db, "GB");
    expect(await townForHint(t.deps.db, { country: "DE", region: "Bavaria", city: "Atlantis" })).toBe(germany);
    expect(await townForHint(t.deps.db, { country: "DE", region: "Berlin", city: "Munich" })).toBe(germany);
    expect(await townForHint(t.deps.db, { country: "DE", region: "Bavaria" })).toBe(germany);
    expect(await townForHint(t.deps.db, { country: "DE", city: "Munich" })).toBe(germany);
    expect(await townForHint(t.deps.db, { country: "DE" })).toBe(germany);
    expect(await townForHint(t.deps.db, { country: "GB", region: "Bavaria", city: "Munich" })).toBe(britain);
    // "Unassigned" is not a town anyone is in by name; it is the fallback anyway.
    expect(await townForHint(t.deps.db, { country: "DE", region: "Unassigned", city: "Unassigned" })).toBe(germany);
  });

  test("a country not known here gives null", async () => {
    expect(await townForHint(t.deps.db, { country: "ZZ", region: "Bavaria", city: "Munich" })).toBeNull();
    expect(await townForHint(t.deps.db, { country: "XK" })).toBeNull();
  });
});

describe("registration with an edge hint", () => {
  test("CF-IPCountry with region and city headers puts the account in that town (source edge); the service is not asked", async () => {
    const result = await registerFrom("198.51.100.20", { "cf-ipcountry": "IN", "cf-region": "karnataka", "cf-ipcity": "Bengaluru" });
    expect(prefixOf(result.blockId)).toBe("91-002-001");
    expect(result.source).toBe("edge");
    expect(asked).toEqual([]);
  });

  test("an edge country with an unknown city is that country's unassigned town", async () => {
    const result = await registerFrom("198.51.100.21", { "cf-ipcountry": "NG", "cf-region": "Kano", "cf-ipcity": "Kano" });
    expect(prefixOf(result.blockId)).toBe("234-000-000");
    expect(result.source).toBe("edge");
  });

  test("what the user picked wins over the edge", async () => {
    const london = await townId("GB", "England", "London");
    const result = await registerFrom("198.51.100.22", { "cf-ipcountry": "DE", "cf-region": "Bavaria", "cf-ipcity": "Munich" }, { townId: london });
    expect(prefixOf(result.blockId)).toBe("44-001-001");
    expect(result.source).toBe("picked");
    expect(asked).toEqual([]);
  });

  test("XX from the edge is no hint: the service is asked next", async () => {
    const result = await registerFrom("198.51.100.23", { "cf-ipcountry": "XX" });
    expect(asked).toEqual(["/json/198.51.100.23"]);
    expect(prefixOf(result.blockId)).toBe("49-001-001");
    expect(result.source).toBe("geolocation");
  });
});

describe("registration with the geolocation service", () => {
  test("an ipapi-style answer (country_code, region, city) is DE-001-001; the URL carries the client's address", async () => {
    const result = await registerFrom("198.51.100.7");
    expect(asked).toEqual(["/json/198.51.100.7"]);
    expect(prefixOf(result.blockId)).toBe("49-001-001");
    expect(result.source).toBe("geolocation");
  });

  test("an ip-api-style answer (countryCode, regionName) is understood too, names in any case", async () => {
    answer = "ip-api";
    const result = await registerFrom("198.51.100.8");
    expect(prefixOf(result.blockId)).toBe("1-001-002");
    expect(result.source).toBe("geolocation");
  });

  test("a country alone is that country's unassigned town", async () => {
    answer = "country-only";
    const result = await registerFrom("198.51.100.9");
    expect(prefixOf(result.blockId)).toBe("234-000-000");
    expect(result.source).toBe("geolocation");
  });

  for (const [kind, why] of [
    ["hang", "never answers (GEOLOCATION_TIMEOUT_MS passes)"],
    ["500", "answers 500"],
    ["garbage", "answers something that is not JSON"],
    ["error-body", "answers JSON without a country"],
    ["unknown-country", "names a country not known here"],
  ] as const) {
    test(`a service that ${why}: the sign-up still succeeds, at DEFAULT_COUNTRY (source default)`, async () => {
      answer = kind;
      const result = await registerFrom("198.51.100.10");
      expect(asked).toEqual(["/json/198.51.100.10"]);
      expect(prefixOf(result.blockId)).toBe("44-000-000");
      expect(result.source).toBe("default");
      expect(result.townId).toBe(await unassignedTownOf(t.deps.db, "GB"));
    });
  }

  test("serviceHint escapes the address into the URL (IPv6)", async () => {
    const hint = await serviceHint(t.deps, "2001:db8::1");
    expect(asked).toEqual(["/json/2001%3Adb8%3A%3A1"]);
    expect(hint).toEqual({ country: "DE", region: "Bavaria", city: "Munich" });
  });

  test("serviceHint asks nobody without GEOLOCATION_URL or without an address", async () => {
    let calls = 0;
    const fetch = (() => {
      calls++;
      throw new Error("must not be called");
    }) as unknown as typeof globalThis.fetch;
    const config = parseConfig({ NODE_ENV: "test" });
    expect(await serviceHint({ config, fetch, log: () => {} }, "198.51.100.1")).toBeNull();
    expect(await serviceHint({ config: t.deps.config, fetch, log: () => {} }, "")).toBeNull();
    expect(calls).toBe(0);
  });

  test("a failure is logged as a warning, not thrown", async () => {
    answer = "500";
    const logged: Record<string, unknown>[] = [];
    const hint = await serviceHint({ config: t.deps.config, fetch: globalThis.fetch, log: (entry) => logged.push(entry) }, "198.51.100.11");
    expect(hint).toBeNull();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: "warn" });
    expect(String(logged[0]!.error)).toContain("500");
  });
});

describe("DEFAULT_COUNTRY", () => {
  test("an unknown code stops start-up with a ConfigError naming DEFAULT_COUNTRY", () => {
    for (const value of ["ZZ", "GBR", "44", "XK"]) {
      expect(() => parseConfig({ DEFAULT_COUNTRY: value })).toThrow(ConfigError);
      expect(() => parseConfig({ DEFAULT_COUNTRY: value })).toThrow(/DEFAULT_COUNTRY/);
    }
  });

  test("lower case and spaces are accepted; unset is GB", () => {
    expect(parseConfig({ DEFAULT_COUNTRY: "de" }).DEFAULT_COUNTRY).toBe("DE");
    expect(parseConfig({ DEFAULT_COUNTRY: " ng " }).DEFAULT_COUNTRY).toBe("NG");
    expect(parseConfig({}).DEFAULT_COUNTRY).toBe("GB");
  });

  test("a sign-up with no pick, no edge and no service lands in DEFAULT_COUNTRY's unassigned town", async () => {
    const german = await createTestApp({ RATE_LIMIT: "off", DEFAULT_COUNTRY: "de" });
    try {
      const response = await german.app.request("/api/auth/register", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.30" },
        body: JSON.stringify({ acceptTerms: true, email: "default@example.com", password: strongPassword, name: "Default" }),
      });
      expect(response.status).toBe(201);
      const { user } = (await response.json()) as { user: { id: string; blockId: string } };
      expect(user.blockId).toBe("49-000-000-000001");
      const [row] = await german.deps.db.select().from(blockIds).where(eq(blockIds.userId, user.id));
      expect(row!.source).toBe("default");
    } finally {
      german.close();
    }
  });
});
