// The user's own Block ID on /profile and POST /profile/location: the section, the move with and
// without htmx, narrowing without JavaScript, errors beside the pickers, the rate limit and CSRF.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, desc, eq } from "drizzle-orm";
import { auditEvents, blockIds, countries, regions, towns, users } from "../schema";
import { moveUser } from "../features/auth";
import { unassignedTownOf } from "../features/location";
import { Browser, createTestApp, signedInBrowser, strongPassword, type TestApp } from "../test/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const htmx = { "hx-request": "true" };
const DAY_MS = 86_400_000;
let registered = 0;

interface Town {
  countryId: string;
  regionId: string;
  townId: string;
  prefix: string;
}

/** A starter town by country and name, with its Block ID prefix. */
async function town(app: TestApp, countryId: string, name: string): Promise<Town> {
  const [row] = await app.deps.db
    .select({ regionId: regions.id, townId: towns.id, callingCode: countries.callingCode, regionCode: regions.code, townCode: towns.code })
    .from(towns)
    .innerJoin(regions, eq(regions.id, towns.regionId))
    .innerJoin(countries, eq(countries.id, regions.countryId))
    .where(and(eq(countries.id, countryId), eq(towns.name, name)));
  if (!row) throw new Error(`no starter town ${name} in ${countryId}`);
  return { countryId, regionId: row.regionId, townId: row.townId, prefix: `${row.callingCode}-${row.regionCode}-${row.townCode}-` };
}

const pick = (place: Town) => ({ countryId: place.countryId, regionId: place.regionId, townId: place.townId });

/** Registers through the API (with a location, or edge headers, or neither) and signs in a browser. */
async function member(app: TestApp, name: string, init: { location?: Record<string, string>; headers?: Record<string, string> } = {}) {
  const email = `${name.toLowerCase()}${++registered}@example.com`;
  const response = await app.app.request("/api/auth/register", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${registered}`, ...init.headers },
    body: JSON.stringify({ acceptTerms: true, email, password: strongPassword, name, ...init.location }),
  });
  expect(response.status).toBe(201);
  const user = ((await response.json()) as { user: { id: string; blockId: string } }).user;
  return { id: user.id, blockId: user.blockId, browser: await signedInBrowser(app.app, email) };
}

async function currentBlockId(app: TestApp, userId: string) {
  const [row] = await app.deps.db.select({ blockId: users.blockId }).from(users).where(eq(users.id, userId));
  return row!.blockId!;
}

async function blockIdRows(app: TestApp, userId: string) {
  return app.deps.db.select().from(blockIds).where(eq(blockIds.userId, userId)).orderBy(blockIds.issuedAt);
}

const move = (browser: Browser, form: Record<string, string>, headers: Record<string, string> = {}) =>
  browser.request("/profile/location", { method: "POST", form, headers });

describe("the profile's Block ID section", () => {
  test("shows the Block ID with its copy button, the place and where it came from", async () => {
    const london = await town(t, "GB", "London");
    const picked = await member(t, "Pia", { location: pick(london) });
    expect(picked.blockId).toStartWith(london.prefix);
    const html = await (await picked.browser.request("/profile")).text();
    expect(html).toContain('id="block-id-section"');
    expect(html).toContain(`<code class="block-id-value">${picked.blockId}</code>`);
    expect(html).toContain(`data-copy="${picked.blockId}"`);
    expect(html).toContain("London, England, United Kingdom");
    expect(html).toMatch(/Where it came from<\/dt><dd class="block-id-source">picked at sign-up</);
    expect(html).not.toContain("Unassigned");
    // The pickers start at the user's own country and region, with its towns to choose from.
    expect(html).toMatch(/<option value="GB" selected="">United Kingdom/);
    expect(html).toContain(`<option value="${london.townId}">London (001)</option>`);
    expect(html).not.toContain("Your earlier Block IDs");
  });

  test("names the edge, the default country and an admin as the source; an unassigned town asks the user to choose", async () => {
    const edge = await member(t, "Eddie", { headers: { "cf-ipcountry": "DE", "cf-region": "Bavaria", "cf-ipcity": "Munich" } });
    const edgePage = await (await edge.browser.request("/profile")).text();
    expect(edgePage).toContain("Munich, Bavaria, Germany");
    expect(edgePage).toContain("from your network (edge)");

    const nowhere = await member(t, "Dee");
    const defaultPage = await (await nowhere.browser.request("/profile")).text();
    expect(defaultPage).toContain("Unassigned, Unassigned, United Kingdom");
    expect(defaultPage).toContain("the default country");
    expect(defaultPage).toContain("Choose your town below to get a Block ID for it.");

    const lagos = await town(t, "NG", "Ikeja");
    await moveUser(t.deps, { userId: nowhere.id, townId: lagos.townId, source: "admin", actorUserId: edge.id }, { ipAddress: "", userAgent: "", requestId: "test" });
    const adminPage = await (await nowhere.browser.request("/profile")).text();
    expect(adminPage).toContain("Ikeja, Lagos, Nigeria");
    expect(adminPage).toContain("set by an admin");
    expect(adminPage).not.toContain("Choose your town below");
    // The old unassigned number is in the history.
    expect(adminPage).toContain(`<li data-block-id="${nowhere.blockId}">`);
  });
});

describe("POST /profile/location", () => {
  test("without JavaScript: 303 to the profile, a new Block ID in the town, the old one in the history, audited", async () => {
    const [london, edinburgh] = await Promise.all([town(t, "GB", "London"), town(t, "GB", "Edinburgh")]);
    const user = await member(t, "Moe", { location: pick(london) });
    const response = await move(user.browser, pick(edinburgh));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/profile?saved=location");

    const now = await currentBlockId(t, user.id);
    expect(now).toStartWith(edinburgh.prefix);
    const rows = await blockIdRows(t, user.id);
    expect(rows.map((r) => ({ value: r.value, townId: r.townId, source: r.source, retired: r.retiredAt !== null }))).toEqual([
      { value: user.blockId, townId: london.townId, source: "picked", retired: true },
      { value: now, townId: edinburgh.townId, source: "user", retired: false },
    ]);

    const page = await (await user.browser.request("/profile?saved=location")).text();
    expect(page).toContain(`Your new Block ID is ${now}; the old one ${user.blockId} is kept in your history.`);
    expect(page).toContain(`data-copy="${now}"`);
    expect(page).toContain("Edinburgh, Scotland, United Kingdom");
    expect(page).toContain("chosen by you");
    expect(page).toContain(`<li data-block-id="${user.blockId}">`);

    const [audit] = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "user.location_change"), eq(auditEvents.targetId, user.id)))
      .orderBy(desc(auditEvents.at));
    expect(audit?.actorUserId).toBe(user.id);
    expect(audit?.details).toMatchObject({ source: "user", before: { blockId: user.blockId, townId: london.townId }, after: { blockId: now, townId: edinburgh.townId } });
    const numbers = await t.deps.db.select({ action: auditEvents.action, target: auditEvents.targetId }).from(auditEvents).where(eq(auditEvents.actorUserId, user.id));
    expect(numbers).toEqual(expect.arrayContaining([{ action: "block_id.retire", target: user.blockId }, { action: "block_id.issue", target: now }]));
  });

  test("with htmx: the section alone, with the new Block ID and its copy button", async () => {
    const [berlin, munich] = await Promise.all([town(t, "DE", "Berlin"), town(t, "DE", "Munich")]);
    const user = await member(t, "Hana", { location: pick(berlin) });
    const response = await move(user.browser, pick(munich), htmx);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toStartWith('<section id="block-id-section"');
    expect(html).not.toContain("<header");
    const now = await currentBlockId(t, user.id);
    expect(now).toStartWith(munich.prefix);
    expect(html).toContain(`data-copy="${now}"`);
    expect(html).toContain(`Your new Block ID is ${now}; the old one ${user.blockId} is kept in your history.`);
    expect(html).toContain("Munich, Bavaria, Germany");
  });

  test("narrow=1 re-renders the profile with the pickers narrowed and moves nobody", async () => {
    const [london, losAngeles] = await Promise.all([town(t, "GB", "London"), town(t, "US", "Los Angeles")]);
    const user = await member(t, "Nell", { location: pick(london) });
    const byCountry = await move(user.browser, { countryId: "US", regionId: london.regionId, townId: "", narrow: "1" });
    expect(byCountry.status).toBe(200);
    const page = await byCountry.text();
    expect(page).toStartWith("<!doctype html>");
    expect(page).toContain("Your profile");
    expect(page).toContain(`<option value="${losAngeles.regionId}">California (001)</option>`);
    // England is not in the United States: dropped from the selection, not an error.
    expect(page).not.toContain("field-error");
    const byRegion = await (await move(user.browser, { countryId: "US", regionId: losAngeles.regionId, narrow: "1" })).text();
    expect(byRegion).toContain(`<option value="${losAngeles.townId}">Los Angeles (001)</option>`);
    // A town picked and narrow=1 still only narrows.
    expect((await move(user.browser, { ...pick(losAngeles), narrow: "1" })).status).toBe(200);
    expect(await currentBlockId(t, user.id)).toBe(user.blockId);
    expect(await blockIdRows(t, user.id)).toHaveLength(1);
  });

  test("bad, unknown, unassigned and other-country ids are 400s beside the field; nothing moves", async () => {
    const [london, california] = await Promise.all([town(t, "GB", "London"), town(t, "US", "Los Angeles")]);
    const gbUnassigned = await unassignedTownOf(t.deps.db, "GB");
    const user = await member(t, "Bea", { location: pick(london) });
    const cases: [Record<string, string>, string, string][] = [
      [{ countryId: "GB", townId: "../../etc/passwd" }, "townId", "That is not a town id."],
      [{ countryId: "GB", townId: "a".repeat(20) }, "townId", "Choose a town from the list."],
      [{ countryId: "GB", townId: gbUnassigned }, "townId", "Choose a town from the list."],
      [{ countryId: "GB", townId: california.townId }, "townId", "That town is not in the chosen country."],
      [{ countryId: "GB", regionId: london.regionId, townId: california.townId }, "townId", "That town is not in the chosen region."],
      [{ countryId: "GB", regionId: california.regionId, townId: california.townId }, "regionId", "That region is not in the chosen country."],
      [{ countryId: "ZZ", townId: london.townId }, "countryId", "Choose a country from the list."],
      [{ countryId: "Britain", townId: london.townId }, "countryId", "A country is its two-letter ISO code, like GB."],
      [{ countryId: "GB", regionId: london.regionId }, "townId", "Choose your town."],
      [{}, "townId", "Choose your town."],
    ];
    for (const [form, field, message] of cases) {
      const fragment = await move(user.browser, form, htmx);
      expect({ form, status: fragment.status }).toEqual({ form, status: 400 });
      const html = await fragment.text();
      expect(html).toStartWith('<section id="block-id-section"');
      expect({ form, error: html.match(new RegExp(`<p class="field-error" id="location-${field}-error">([^<]*)</p>`))?.[1] }).toEqual({ form, error: message });
      expect(html).toContain(`aria-describedby="location-${field}-error"`);
    }
    // Without htmx: the whole profile page, the error beside the town picker.
    const page = await move(user.browser, { countryId: "GB", townId: california.townId });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toStartWith("<!doctype html>");
    expect(html).toContain('id="location-townId-error"');
    expect(html).toContain("Sessions");
    expect(await currentBlockId(t, user.id)).toBe(user.blockId);
    expect(await blockIdRows(t, user.id)).toHaveLength(1);
  });

  test("the town the user is already in is a 400 beside the town", async () => {
    const london = await town(t, "GB", "London");
    const user = await member(t, "Sam", { location: pick(london) });
    const response = await move(user.browser, pick(london));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/id="location-townId-error">You are already in London; choose another town\.</);
    expect(await blockIdRows(t, user.id)).toHaveLength(1);
  });

  test("a cross-site post is refused (403) and moves nobody; a same-origin one moves", async () => {
    const [london, cardiff] = await Promise.all([town(t, "GB", "London"), town(t, "GB", "Cardiff")]);
    const user = await member(t, "Cy", { location: pick(london) });
    expect((await move(user.browser, pick(cardiff), { origin: "https://evil.example" })).status).toBe(403);
    expect((await move(user.browser, pick(cardiff), { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(await currentBlockId(t, user.id)).toBe(user.blockId);
    expect((await move(user.browser, pick(cardiff), { origin: "http://localhost", "sec-fetch-site": "same-origin" })).status).toBe(303);
    expect(await currentBlockId(t, user.id)).toStartWith(cardiff.prefix);
  });

  test("signed out, the post asks to sign in (401)", async () => {
    const london = await town(t, "GB", "London");
    expect((await move(new Browser(t.app), pick(london))).status).toBe(401);
  });
});

describe("the move limit", () => {
  // Sessions that outlive the 30 days the test clock moves on.
  const longSessions = { SESSION_IDLE_TIMEOUT_SECONDS: String(90 * 86_400), SESSION_MAX_AGE_SECONDS: String(90 * 86_400) };

  test("three moves in 30 days; the fourth is a 429 with Retry-After and a message beside the form; later it is allowed again", async () => {
    const limited = await createTestApp(longSessions);
    try {
      const names = ["London", "Manchester", "Birmingham", "Edinburgh", "Glasgow"];
      const places = await Promise.all(names.map((name) => town(limited, "GB", name)));
      const user = await member(limited, "Lim", { location: pick(places[0]!) });
      // A refused move does not count.
      expect((await move(user.browser, pick(places[0]!))).status).toBe(400);
      for (const place of places.slice(1, 4)) {
        limited.advance(DAY_MS);
        expect((await move(user.browser, pick(place))).status).toBe(303);
      }
      const refused = await move(user.browser, pick(places[4]!), htmx);
      expect(refused.status).toBe(429);
      // The first counted move was 2 days ago: it leaves the window in 28 days (less the test's own run time).
      const retryAfter = Number(refused.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(27 * 86_400);
      expect(retryAfter).toBeLessThanOrEqual(28 * 86_400);
      const html = await refused.text();
      expect(html).toStartWith('<section id="block-id-section"');
      expect(html).toContain("You have changed your town 3 times in the last 30 days. You can change it again in 28 days.");
      const page = await move(user.browser, pick(places[4]!));
      expect(page.status).toBe(429);
      expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(27 * 86_400);
      expect(await page.text()).toContain('role="alert">You have changed your town 3 times');
      expect(await currentBlockId(limited, user.id)).toStartWith(places[3]!.prefix);
      expect(await blockIdRows(limited, user.id)).toHaveLength(4);
      // Narrowing is not a move: still allowed.
      expect((await move(user.browser, { countryId: "US", narrow: "1" })).status).toBe(200);

      limited.advance(28 * DAY_MS + 1000);
      expect((await move(user.browser, pick(places[4]!))).status).toBe(303);
      expect(await currentBlockId(limited, user.id)).toStartWith(places[4]!.prefix);
    } finally {
      limited.close();
    }
  });

  test("moves sent at once cannot slip under the limit together: exactly three go through", async () => {
    const limited = await createTestApp();
    try {
      const names = ["Manchester", "Birmingham", "Edinburgh", "Glasgow", "Cardiff", "Belfast"];
      const places = await Promise.all(names.map((name) => town(limited, "GB", name)));
      const user = await member(limited, "Racer", { location: pick(await town(limited, "GB", "London")) });
      const answers = await Promise.all(places.map((place) => move(user.browser, pick(place))));
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([303, 303, 303, 429, 429, 429]);
      expect(await blockIdRows(limited, user.id)).toHaveLength(4);
    } finally {
      limited.close();
    }
  });

  test("RATE_LIMIT=off lifts it", async () => {
    const open = await createTestApp({ RATE_LIMIT: "off" });
    try {
      const names = ["London", "Manchester", "Birmingham", "Edinburgh", "Glasgow", "Cardiff"];
      const places = await Promise.all(names.map((name) => town(open, "GB", name)));
      const user = await member(open, "Free", { location: pick(places[0]!) });
      for (const place of places.slice(1)) expect((await move(user.browser, pick(place))).status).toBe(303);
      expect(await blockIdRows(open, user.id)).toHaveLength(6);
    } finally {
      open.close();
    }
  });
});
