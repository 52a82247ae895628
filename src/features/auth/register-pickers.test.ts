// The registration page's optional country / region / town pickers, as plain HTML forms (and htmx).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq } from "drizzle-orm";
import { blockIds, users } from "../../schema";
import { Browser, createTestApp, strongPassword, type TestApp } from "../../test/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: "off" });
});
afterAll(() => t.close());

const sameOrigin = { origin: "http://localhost" };
const htmx = { ...sameOrigin, "hx-request": "true" };

/** Region and town ids by name, from the public API. */
async function idsOf(countryId: string, regionName: string) {
  const { regions } = (await (await t.app.request(`/api/location/regions/${countryId}`)).json()) as { regions: { id: string; name: string }[] };
  const regionId = regions.find((r) => r.name === regionName)!.id;
  const { towns } = (await (await t.app.request(`/api/location/towns/${regionId}`)).json()) as { towns: { id: string; name: string }[] };
  return { regionId, towns: Object.fromEntries(towns.map((town) => [town.name, town.id])) };
}

async function userCount() {
  const [row] = await t.deps.db.select({ n: count() }).from(users);
  return row!.n;
}

/** The register form of a page or fragment: everything from `<form id="register-form"` to its end. */
function registerForm(html: string) {
  const start = html.indexOf('<form id="register-form"');
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf("</form>", start) + "</form>".length);
}

/** A picker's field (label, select, error) and what it offers. */
function picker(html: string, name: "countryId" | "regionId" | "townId") {
  const field = html.match(new RegExp(`<div class="field[^"]*"><label for="register-${name}">[\\s\\S]*?</select>(?:<p class="field-error"[^>]*>[^<]*</p>)?</div>`))?.[0];
  expect(field, name).toBeDefined();
  const select = field!.match(/<select[^>]*>/)![0];
  const options = [...field!.matchAll(/<option value="([^"]*)"( selected="")?>([^<]*)<\/option>/g)].map(([, value, selected, label]) => ({ value: value!, label: label!, selected: !!selected }));
  return {
    field: field!,
    disabled: /\sdisabled=""/.test(select),
    invalid: select.includes('aria-invalid="true"'),
    options: options.filter((o) => o.value !== ""),
    selected: options.find((o) => o.selected)?.value,
    error: field!.match(/<p class="field-error" id="register-[a-zA-Z]+-error">([^<]*)<\/p>/)?.[1],
  };
}

describe("the register page", () => {
  test("has the optional pickers inside the form: every country, region and town waiting for a choice", async () => {
    const html = await (await t.app.request("/register")).text();
    const form = registerForm(html);
    expect(form).toContain('<fieldset id="register-location" class="location-pickers"');
    expect(form).toContain("<legend>Where you are (optional)</legend>");
    expect(form).toMatch(/<p class="hint">We use it for your Block ID[^<]*network&#39;s country\.<\/p>/);
    const country = picker(form, "countryId");
    expect(country.options).toHaveLength(249);
    expect(country.options.find((o) => o.value === "GB")?.label).toBe("United Kingdom (+44)");
    expect(country.selected).toBeUndefined();
    expect(picker(form, "regionId")).toMatchObject({ disabled: true, options: [] });
    expect(picker(form, "townId")).toMatchObject({ disabled: true, options: [] });
    // Without JavaScript this button narrows the lists; Enter still creates the account (the hidden default button).
    expect(form).toContain('<button type="submit" name="narrow" value="1" formnovalidate="" class="button small no-js">Show regions and towns</button>');
    expect(form.indexOf('aria-hidden="true">Create account</button>')).toBeLessThan(form.indexOf('name="narrow"'));
    // With htmx, a change fetches the fieldset again, with its legend and hint.
    const refetch = form.match(/hx-get="(\/location\/pickers\?[^"]*)"/)![1]!.replaceAll("&amp;", "&");
    const fragment = await (await t.app.request(`${refetch}&countryId=GB`, { headers: { "hx-request": "true" } })).text();
    expect(fragment).toStartWith('<fieldset id="register-location"');
    expect(fragment).toContain("<legend>Where you are (optional)</legend>");
    expect(fragment).toContain('<p class="hint">We use it for your Block ID');
    expect(picker(fragment, "regionId").options.map((o) => o.label)).toContain("England (001)");
  });

  test("the htmx fragment of the page carries the pickers too", async () => {
    const html = await (await t.app.request("/register", { headers: { "hx-request": "true" } })).text();
    expect(html).toStartWith('<form id="register-form"');
    expect(picker(html, "countryId").options).toHaveLength(249);
  });
});

describe("Show regions and towns (narrow=1) without JavaScript", () => {
  test("re-renders the page with the country's regions, keeps name and email, never the password, and makes no account", async () => {
    const before = await userCount();
    const browser = new Browser(t.app);
    const response = await browser.request("/register", {
      method: "POST",
      headers: sameOrigin,
      form: { acceptTerms: "on", name: "Nadia Narrow", email: "nadia@example.com", password: "my secret phrase", countryId: "GB", narrow: "1" },
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toStartWith("<!doctype html>");
    const form = registerForm(html);
    expect(form).toContain('value="Nadia Narrow"');
    expect(form).toContain('value="nadia@example.com"');
    expect(html).not.toContain("my secret phrase");
    expect(form).not.toContain('class="field-error"');
    expect(picker(form, "countryId").selected).toBe("GB");
    const region = picker(form, "regionId");
    expect(region.disabled).toBe(false);
    expect(region.options.map((o) => o.label)).toEqual(["England (001)", "Northern Ireland (004)", "Scotland (002)", "Wales (003)"]);
    expect(picker(form, "townId").disabled).toBe(true);
    expect(await userCount()).toBe(before);
    expect(browser.cookie("session")).toBeUndefined();
  });

  test("a chosen region narrows to its towns; a region left from another country is dropped", async () => {
    const england = await idsOf("GB", "England");
    const browser = new Browser(t.app);
    const towns = registerForm(await (await browser.request("/register", { method: "POST", headers: sameOrigin, form: { acceptTerms: "on", name: "N", email: "n@example.com", password: "", countryId: "GB", regionId: england.regionId, narrow: "1" } })).text());
    expect(picker(towns, "regionId").selected).toBe(england.regionId);
    expect(picker(towns, "townId").options.map((o) => o.label)).toEqual(["Birmingham (003)", "London (001)", "Manchester (002)"]);

    const changed = await browser.request("/register", { method: "POST", headers: sameOrigin, form: { acceptTerms: "on", name: "N", email: "n@example.com", password: "", countryId: "DE", regionId: england.regionId, townId: england.towns.London!, narrow: "1" } });
    expect(changed.status).toBe(200);
    const form = registerForm(await changed.text());
    expect(picker(form, "countryId").selected).toBe("DE");
    expect(picker(form, "regionId").selected).toBeUndefined();
    expect(picker(form, "regionId").options.map((o) => o.label)).toEqual(["Bavaria (001)", "Berlin (002)"]);
    expect(picker(form, "townId").disabled).toBe(true);
  });

  test("with htmx the same post answers the form fragment, 200, and makes no account", async () => {
    const before = await userCount();
    const response = await new Browser(t.app).request("/register", { method: "POST", headers: htmx, form: { acceptTerms: "on", name: "H", email: "h@example.com", password: strongPassword, countryId: "US", narrow: "1" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toStartWith('<form id="register-form"');
    expect(picker(html, "regionId").options.map((o) => o.label)).toContain("California (001)");
    expect(await userCount()).toBe(before);
  });
});

describe("creating the account with a picked place", () => {
  test("a picked town gives that town's Block ID and lands on /home, signed in", async () => {
    const england = await idsOf("GB", "England");
    const browser = new Browser(t.app);
    const response = await browser.request("/register", {
      method: "POST",
      headers: sameOrigin,
      form: { acceptTerms: "on", name: "Manny", email: "manny@example.com", password: strongPassword, countryId: "GB", regionId: england.regionId, townId: england.towns.Manchester! },
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/home");
    const me = (await (await browser.request("/api/auth/me")).json()) as { user: { id: string; blockId: string } };
    expect(me.user.blockId).toMatch(/^44-001-002-\d{6}$/);
    const [issued] = await t.deps.db.select().from(blockIds).where(eq(blockIds.userId, me.user.id));
    expect(issued).toMatchObject({ value: me.user.blockId, townId: england.towns.Manchester, source: "picked" });
  });

  test("nothing picked: the form still registers (the location is optional)", async () => {
    const browser = new Browser(t.app);
    const response = await browser.request("/register", { method: "POST", headers: sameOrigin, form: { acceptTerms: "on", name: "Opt", email: "opt@example.com", password: strongPassword, countryId: "", regionId: "", townId: "" } });
    expect(response.status).toBe(303);
    const me = (await (await browser.request("/api/auth/me")).json()) as { user: { blockId: string } };
    expect(me.user.blockId).toMatch(/^44-000-000-\d{6}$/);
  });
});

describe("a location that does not fit: the error beside its select, and no account", () => {
  test("an unknown town id is shown beside the town select, the country and region kept", async () => {
    const england = await idsOf("GB", "England");
    const before = await userCount();
    const response = await new Browser(t.app).request("/register", {
      method: "POST",
      headers: sameOrigin,
      form: { acceptTerms: "on", name: "Bad Town", email: "badtown@example.com", password: strongPassword, countryId: "GB", regionId: england.regionId, townId: "z".repeat(26) },
    });
    expect(response.status).toBe(422);
    const form = registerForm(await response.text());
    const town = picker(form, "townId");
    expect(town.error).toBe("Choose a town from the list.");
    expect(town.invalid).toBe(true);
    expect(town.field).toContain('aria-describedby="register-townId-error"');
    expect(picker(form, "countryId")).toMatchObject({ selected: "GB", error: undefined });
    expect(picker(form, "regionId")).toMatchObject({ selected: england.regionId, error: undefined });
    expect(form).toContain('value="Bad Town"');
    expect(await userCount()).toBe(before);
  });

  test("a town of another region, or a malformed id, is an error beside that select", async () => {
    const england = await idsOf("GB", "England");
    const scotland = await idsOf("GB", "Scotland");
    const before = await userCount();
    const cases: [Record<string, string>, "countryId" | "regionId" | "townId", string][] = [
      [{ countryId: "GB", regionId: scotland.regionId, townId: england.towns.London! }, "townId", "That town is not in the chosen region."],
      [{ countryId: "DE", regionId: england.regionId }, "regionId", "That region is not in the chosen country."],
      [{ townId: "x" }, "townId", "That is not a town id."],
      [{ regionId: "../../etc" }, "regionId", "That is not a region id."],
      [{ countryId: "G1" }, "countryId", "A country is its two-letter ISO code, like GB."],
      [{ countryId: "ZZ" }, "countryId", "Choose a country from the list."],
    ];
    for (const [picked, field, message] of cases) {
      const response = await new Browser(t.app).request("/register", { method: "POST", headers: htmx, form: { acceptTerms: "on", name: "Misfit", email: "misfit@example.com", password: strongPassword, ...picked } });
      expect(response.status, JSON.stringify(picked)).toBe(422);
      const html = await response.text();
      expect(html).toStartWith('<form id="register-form"');
      expect(picker(html, field).error).toBe(message);
    }
    expect(await userCount()).toBe(before);
  });

  test("another field's error keeps the picked place selected", async () => {
    const england = await idsOf("GB", "England");
    const response = await new Browser(t.app).request("/register", {
      method: "POST",
      headers: sameOrigin,
      form: { acceptTerms: "on", name: "Shorty", email: "shorty@example.com", password: "short", countryId: "GB", regionId: england.regionId, townId: england.towns.London! },
    });
    expect(response.status).toBe(422);
    const form = registerForm(await response.text());
    expect(form).toContain('id="register-password-error"');
    expect(picker(form, "countryId").selected).toBe("GB");
    expect(picker(form, "regionId").selected).toBe(england.regionId);
    expect(picker(form, "townId").selected).toBe(england.towns.London);
    expect(form).not.toContain('value="short"');
  });
});
