// The Block ID admin portal pages: the searchable list (full page, htmx fragment, cursor links,
// errors beside the box), a user's page with history and audit events, the move form with and
// without htmx, and one number's page. The API is in block-ids-api.test.ts; the shared
// setup in block-ids.fixture.ts.
import { beforeAll, describe, expect, test } from "bun:test";
import { newId } from "../../lib/crypto";
import { htmx } from "./admin.fixture";
import { sameOrigin, useBlockIdsApp } from "./block-ids.fixture";

const f = useBlockIdsApp();

describe("the portal pages", () => {
  // The list's paging needs more than two pages of matches.
  beforeAll(async () => {
    await f.seedPagers();
  });

  test("the list: search box, numbers with a copy button, places, source and a link to each user", async () => {
    const user = await f.seedUser({ name: "Listed Person", email: "listed@example.com", town: "manchester" });
    const response = await f.admin.request("/admin-portal/block-ids?q=listed");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toStartWith("<!doctype html>");
    expect(html).toContain('<a href="/admin-portal/block-ids" aria-current="page">Block IDs</a>');
    expect(html).toContain('id="block-id-search"');
    expect(html).toContain(`<code class="block-id-value">${user.blockId}</code>`);
    expect(html).toContain(`data-copy="${user.blockId}"`);
    expect(html).toContain(`<a href="/admin-portal/block-ids/users/${user.id}">Listed Person</a>`);
    expect(html).toContain("Manchester");
    expect(html).toContain("England");
    expect(html).toContain("United Kingdom");
    expect(html).toContain("Picked at sign-up");

    const fragment = await f.admin.request("/admin-portal/block-ids?q=44-001-002", { headers: htmx });
    const part = await fragment.text();
    expect(part).not.toContain("<header");
    expect(part).toContain('id="block-id-results"');
    expect(part).toContain('hx-swap-oob="true"');
    expect(part).toContain(user.blockId);
    expect(part).not.toContain("Edinburgh");
  });

  test("the list pages by cursor links, and bad input is a 400 with the error beside the box", async () => {
    const first = await (await f.admin.request("/admin-portal/block-ids?q=pager&limit=10", { headers: htmx })).text();
    const next = first.match(/href="([^"]+)" rel="next"/)![1]!.replaceAll("&amp;", "&");
    expect(next).toStartWith("/admin-portal/block-ids?q=pager&limit=10&cursor=");
    const second = await (await f.admin.request(next, { headers: htmx })).text();
    const ids = (html: string) => [...html.matchAll(/data-user="([^"]+)"/g)].map((m) => m[1]);
    expect(ids(first)).toHaveLength(10);
    expect(ids(second)).toHaveLength(10);
    expect(ids(first).filter((id) => ids(second).includes(id))).toEqual([]);
    expect(second).toContain('href="/admin-portal/block-ids?q=pager&amp;limit=10" rel="prev"');

    const long = await f.admin.request(`/admin-portal/block-ids?q=${"a".repeat(10_000)}`);
    expect(long.status).toBe(400);
    const html = await long.text();
    expect(html).toContain('id="block-id-search-q-error"');
    expect(html).toContain("Search with at most 200 characters.");
    const cursor = await f.admin.request("/admin-portal/block-ids?cursor=%27", { headers: htmx });
    expect(cursor.status).toBe(400);
    expect(await cursor.text()).toContain('class="form-message error"');
  });

  test("a user's page: the current number, the history with retired times, the move form and the audit events", async () => {
    const user = await f.registerIn("paged@example.com", "Paige Turner", "london");
    await f.move(user.id, { ...f.place.edinburgh });
    const current = await f.currentBlockId(user.id);
    const response = await f.admin.request(`/admin-portal/block-ids/users/${user.id}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<h1>Paige Turner</h1>");
    expect(html).toContain(`data-current-block-id="${current}"`);
    expect(html).toContain(`data-history="${current}"`);
    expect(html).toContain(`data-history="${user.blockId}"`);
    expect(html.indexOf(`data-history="${current}"`)).toBeLessThan(html.indexOf(`data-history="${user.blockId}"`));
    expect(html).toContain(`href="/admin-portal/block-ids/${user.blockId}"`);
    expect(html).toContain('<span class="badge">Current</span>');
    expect(html).toMatch(new RegExp(`data-history="${user.blockId}"[\\s\\S]*?<time datetime="[^"]+">[\\s\\S]*?<time datetime="[^"]+">`));
    expect(html).toContain(`<form id="move" class="form" method="post" action="/admin-portal/block-ids/users/${user.id}/location"`);
    expect(html).toContain('id="move-location"');
    expect(html).toContain("<code>user.location_change</code>");
    expect(html).toContain("<code>auth.register</code>");

    expect((await f.admin.request(`/admin-portal/block-ids/users/${newId()}`)).status).toBe(404);
    expect((await f.admin.request("/admin-portal/block-ids/users/bad%20id")).status).toBe(400);
    expect((await f.admin.request(`/admin-portal/block-ids/users/${user.id}?cursor=junk`)).status).toBe(400);
  });

  test("the move form without JavaScript: narrowing, errors beside the pickers, then a 303 with the notice", async () => {
    const user = await f.registerIn("nojs@example.com", "No Script", "london");
    const action = `/admin-portal/block-ids/users/${user.id}/location`;

    const narrowed = await f.admin.request(action, { method: "POST", headers: sameOrigin, form: { countryId: "GB", regionId: f.place.manchester!.regionId, townId: "", narrow: "1" } });
    expect(narrowed.status).toBe(200);
    const page = await narrowed.text();
    expect(page).toStartWith("<!doctype html>");
    expect(page).toContain(`<option value="${f.place.manchester!.townId}">Manchester (002)</option>`);
    expect(page).toContain(`<option value="${f.place.manchester!.regionId}" selected="">England (001)</option>`);
    expect(await f.currentBlockId(user.id)).toBe(user.blockId);

    const wrong = await f.admin.request(action, { method: "POST", headers: sameOrigin, form: { countryId: "US", regionId: "", townId: f.place.london!.townId } });
    expect(wrong.status).toBe(400);
    const errorPage = await wrong.text();
    expect(errorPage).toStartWith("<!doctype html>");
    expect(errorPage).toContain('id="move-townId-error"');
    expect(errorPage).toContain("That town is not in the chosen country.");
    expect(errorPage).toContain('aria-describedby="move-townId-error"');

    const empty = await f.admin.request(action, { method: "POST", headers: sameOrigin, form: { countryId: "", regionId: "", townId: "" } });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('id="move-countryId-error"');
    const bad = await f.admin.request(action, { method: "POST", headers: sameOrigin, form: { countryId: "GB", townId: "<script>" } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="move-townId-error"');
    expect(await f.currentBlockId(user.id)).toBe(user.blockId);

    const expected = await f.serialAfter("44-001-002");
    const moved = await f.admin.request(action, { method: "POST", headers: sameOrigin, form: { ...f.place.manchester } });
    expect(moved.status).toBe(303);
    expect(moved.headers.get("location")).toBe(`/admin-portal/block-ids/users/${user.id}?moved=1`);
    expect(await f.currentBlockId(user.id)).toBe(expected);
    const after = await (await f.admin.request(moved.headers.get("location")!)).text();
    expect(after).toContain('data-notice="moved"');
    expect(after).toContain(`<code>${user.blockId}</code> → <code>${expected}</code>`);
    expect(after).toContain(`data-current-block-id="${expected}"`);
  });

  test("the move form with htmx: the panel comes back with the new number, or with the error", async () => {
    const user = await f.registerIn("htmx@example.com", "Hyper Text", "london");
    const action = `/admin-portal/block-ids/users/${user.id}/location`;

    const same = await f.admin.request(action, { method: "POST", headers: { ...sameOrigin, ...htmx }, form: { ...f.place.london } });
    expect(same.status).toBe(400);
    const error = await same.text();
    expect(error).toStartWith('<div id="block-id-user"');
    expect(error).toContain('id="move-townId-error"');
    expect(error).toContain("This is already the user&#39;s town.");

    const expected = await f.serialAfter("44-002-001");
    const moved = await f.admin.request(action, { method: "POST", headers: { ...sameOrigin, ...htmx }, form: { ...f.place.edinburgh } });
    expect(moved.status).toBe(200);
    const panel = await moved.text();
    expect(panel).toStartWith('<div id="block-id-user"');
    expect(panel).not.toContain("<header");
    expect(panel).toContain(`<code>${user.blockId}</code> → <code>${expected}</code>`);
    expect(panel).toContain(`data-current-block-id="${expected}"`);
    expect(panel).toContain(`data-history="${user.blockId}"`);
    expect(panel).toContain('hx-post="' + action + '"');
    expect(await f.currentBlockId(user.id)).toBe(expected);
  });

  test("one number's page: retired or current, its holder and its events", async () => {
    const user = await f.registerIn("number@example.com", "Num Ber", "london");
    const next = ((await (await f.move(user.id, { ...f.place.houston })).json()) as any).current.blockId as string;

    const retired = await f.admin.request(`/admin-portal/block-ids/${user.blockId}`);
    expect(retired.status).toBe(200);
    const html = await retired.text();
    expect(html).toContain(`<h1>Block ID ${user.blockId}</h1>`);
    expect(html).toContain('data-status="retired"');
    expect(html).toContain(`<a href="/admin-portal/block-ids/users/${user.id}">Num Ber</a>`);
    expect(html).toContain("<code>block_id.retire</code>");
    expect(html).toContain("<code>user.location_change</code>");

    const current = await (await f.admin.request(`/admin-portal/block-ids/${next}`)).text();
    expect(current).toContain('data-status="current"');
    expect(current).toContain("Houston, Texas, United States");

    expect((await f.admin.request("/admin-portal/block-ids/44-999-999-999999")).status).toBe(404);
    expect((await f.admin.request("/admin-portal/block-ids/not-a-number")).status).toBe(400);
    expect((await f.admin.request(`/admin-portal/block-ids/${next}?limit=0`)).status).toBe(400);
  });
});
