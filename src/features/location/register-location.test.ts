// Registration through /api/auth/register with a location: what was picked, else the edge, else the default.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, count, eq } from "drizzle-orm";
import { auditEvents, blockIds, users } from "../../schema";
import { bearerRequest, createTestApp, loginToken, strongPassword, type TestApp } from "../../test/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: "off" });
});
afterAll(() => t.close());

const BLOCK_ID = /^\d{1,4}-\d{3}-\d{3}-\d{6}$/;
type ApiError = { error: { code: string; message: string; details: { fieldErrors?: Record<string, string[]> } } };

let emails = 0;
function post(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.app.request("/api/auth/register", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.30", ...headers },
    body: JSON.stringify({ acceptTerms: true, email: `person${++emails}@example.com`, password: strongPassword, name: "Person", ...body }),
  });
}

async function registered(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await post(body, headers);
  expect(response.status).toBe(201);
  return ((await response.json()) as { user: { id: string; email: string; blockId: string } }).user;
}

async function userCount() {
  const [row] = await t.deps.db.select({ n: count() }).from(users);
  return row!.n;
}

/** The ids of a country's regions and towns, by name, from the public API. */
async function places(countryId: string) {
  const { regions } = (await (await t.app.request(`/api/location/regions/${countryId}`)).json()) as { regions: { id: string; name: string }[] };
  const result: Record<string, { id: string; towns: Record<string, string> }> = {};
  for (const region of regions) {
    const { towns } = (await (await t.app.request(`/api/location/towns/${region.id}`)).json()) as { towns: { id: string; name: string }[] };
    result[region.name] = { id: region.id, towns: Object.fromEntries(towns.map((town) => [town.name, town.id])) };
  }
  return result;
}

let gb: Awaited<ReturnType<typeof places>>;
let us: Awaited<ReturnType<typeof places>>;
let de: Awaited<ReturnType<typeof places>>;
beforeAll(async () => {
  [gb, us, de] = await Promise.all([places("GB"), places("US"), places("DE")]);
});

async function sourceOf(userId: string) {
  const [row] = await t.deps.db.select({ source: blockIds.source, value: blockIds.value }).from(blockIds).where(eq(blockIds.userId, userId));
  return row!;
}

describe("a picked location", () => {
  test("picking London gives 44-001-001-<serial>, in the response and in /api/auth/me, audited", async () => {
    const first = await registered({ countryId: "GB", regionId: gb.England!.id, townId: gb.England!.towns.London });
    const second = await registered({ townId: gb.England!.towns.London });
    expect(first.blockId).toMatch(BLOCK_ID);
    expect(first.blockId).toMatch(/^44-001-001-\d{6}$/);
    // Serials count up per prefix.
    const serial = (blockId: string) => Number(blockId.split("-")[3]);
    expect(serial(second.blockId)).toBe(serial(first.blockId) + 1);

    const token = await loginToken(t.app, first.email);
    const me = (await (await bearerRequest(t.app, token, "/api/auth/me")).json()) as { user: { blockId: string } };
    expect(me.user.blockId).toBe(first.blockId);

    expect(await sourceOf(first.id)).toEqual({ source: "picked", value: first.blockId });
    const [event] = await t.deps.db.select().from(auditEvents).where(and(eq(auditEvents.action, "block_id.issue"), eq(auditEvents.targetId, first.blockId)));
    expect(event?.details).toMatchObject({ userId: first.id, source: "picked", place: "London, England, United Kingdom" });
  });

  test("a country alone, or a region alone, holds the user in its unassigned region or town", async () => {
    expect((await registered({ countryId: "us" })).blockId).toMatch(/^1-000-000-\d{6}$/);
    expect((await registered({ regionId: gb.Scotland!.id })).blockId).toMatch(/^44-002-000-\d{6}$/);
    expect((await registered({ countryId: "DE", regionId: de.Bavaria!.id })).blockId).toMatch(/^49-001-000-\d{6}$/);
  });

  test("empty fields are not picked (what a form's untouched select sends)", async () => {
    const user = await registered({ countryId: "", regionId: "", townId: "" });
    expect(user.blockId).toMatch(/^44-000-000-\d{6}$/);
    expect((await sourceOf(user.id)).source).toBe("default");
  });

  test("what was picked wins over the edge's guess", async () => {
    const user = await registered({ townId: de.Berlin!.towns.Berlin }, { "cf-ipcountry": "US", "cf-region": "Texas", "cf-ipcity": "Austin" });
    expect(user.blockId).toMatch(/^49-002-001-\d{6}$/);
    expect((await sourceOf(user.id)).source).toBe("picked");
  });
});

describe("a pick that does not fit is a 400 with the field's error, and no account", () => {
  test("places that do not nest", async () => {
    const before = await userCount();
    const mismatches: [Record<string, unknown>, string][] = [
      [{ regionId: gb.Scotland!.id, townId: gb.England!.towns.London }, "townId"],
      [{ countryId: "US", townId: gb.England!.towns.London }, "townId"],
      [{ countryId: "US", regionId: us.California!.id, townId: gb.England!.towns.Manchester }, "townId"],
      [{ countryId: "DE", regionId: gb.England!.id }, "regionId"],
    ];
    for (const [body, field] of mismatches) {
      const response = await post(body);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as ApiError;
      expect(error.code).toBe("validation_failed");
      expect(Object.keys(error.details.fieldErrors ?? {})).toEqual([field]);
      expect(error.details.fieldErrors![field]![0]).toMatch(/not in the chosen/);
    }
    expect(await userCount()).toBe(before);
  });

  test("malformed ids", async () => {
    const before = await userCount();
    const malformed: [Record<string, unknown>, string][] = [
      [{ countryId: "G1" }, "countryId"],
      [{ countryId: "GBR" }, "countryId"],
      [{ countryId: 44 }, "countryId"],
      [{ countryId: ["GB"] }, "countryId"],
      [{ regionId: "x" }, "regionId"],
      [{ regionId: "../" }, "regionId"],
      [{ regionId: { id: gb.England!.id } }, "regionId"],
      [{ townId: "a".repeat(10_000) }, "townId"],
      [{ townId: "%00" }, "townId"],
      [{ townId: "\u0000".repeat(20) }, "townId"],
      [{ townId: gb.England!.towns.London!.toUpperCase() }, "townId"],
    ];
    for (const [body, field] of malformed) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      const { error } = (await response.json()) as ApiError;
      expect(error.code).toBe("validation_failed");
      expect(Object.keys(error.details.fieldErrors ?? {})).toEqual([field]);
    }
    expect(await userCount()).toBe(before);
  });

  test("unknown ids of the right shape", async () => {
    const before = await userCount();
    const unknown: [Record<string, unknown>, string, string][] = [
      [{ countryId: "ZZ" }, "countryId", "Choose a country from the list."],
      [{ regionId: "a".repeat(26) }, "regionId", "Choose a region from the list."],
      [{ townId: "b".repeat(26) }, "townId", "Choose a town from the list."],
      // A region id where a town id belongs.
      [{ townId: gb.England!.id }, "townId", "Choose a town from the list."],
    ];
    for (const [body, field, message] of unknown) {
      const response = await post(body);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as ApiError;
      expect(error.details.fieldErrors).toEqual({ [field]: [message] });
    }
    expect(await userCount()).toBe(before);
  });
});

describe("nothing picked: the edge, else the default country", () => {
  test("CF-IPCountry, CF-Region and CF-IPCity naming a town known here: that town's Block ID", async () => {
    const user = await registered({}, { "cf-ipcountry": "US", "cf-region": "California", "cf-ipcity": "San Francisco" });
    expect(user.blockId).toMatch(/^1-001-002-\d{6}$/);
    expect((await sourceOf(user.id)).source).toBe("edge");
  });

  test("the city in the header percent-encoded, in another case: the same town", async () => {
    const user = await registered({}, { "cf-ipcountry": "gb", "cf-region": "england", "cf-ipcity": "MAN%43HESTER" });
    expect(user.blockId).toMatch(/^44-001-002-\d{6}$/);
  });

  test("the country alone: its unassigned region and town", async () => {
    const user = await registered({}, { "cf-ipcountry": "DE" });
    expect(user.blockId).toMatch(/^49-000-000-\d{6}$/);
    expect((await sourceOf(user.id)).source).toBe("edge");
  });

  test("an unknown edge country (XX) gives the default country", async () => {
    const user = await registered({}, { "cf-ipcountry": "XX", "cf-region": "California", "cf-ipcity": "San Francisco" });
    expect(user.blockId).toMatch(/^44-000-000-\d{6}$/);
    expect((await sourceOf(user.id)).source).toBe("default");
  });

  test("a country not in ISO's list from the edge gives the default country too", async () => {
    const user = await registered({}, { "cf-ipcountry": "ZZ" });
    expect(user.blockId).toMatch(/^44-000-000-\d{6}$/);
    expect((await sourceOf(user.id)).source).toBe("default");
  });
});
