// The host pages over HTTP: the frame's attributes exactly, a CSP whose frame-src is the module's origin alone (and
// no other page's), the tab in the business's tab bar under its rules, the personal and household pages, and the
// states a module that cannot run shows instead of a frame — the suspended one re-fetched from the live region.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../../test/app";
import { addHouseholdMember, api, business, household, json, person, signedIn, type Person } from "../../test/people";
import { platformAdmin, poster } from "./modules.fixture";
import { SseReader } from "../../test/sse";

let t: TestApp;
let admin: Person;
let dev: Person;
let owner: Person;
let member: Person;
let outsider: Person;
let acme: string;
let home: string;
let moduleId: string;

const post = poster(() => t);

beforeAll(async () => {
  t = await createTestApp();
  admin = await platformAdmin(t);
  [dev, owner, member, outsider] = (await Promise.all(["Dana Dev", "Olive Owner", "Mo Member", "Otto Outsider"].map((n) => person(t, n)))) as [Person, Person, Person, Person];
  acme = await business(t, owner, [[member, "member"]], "Acme");
  home = await household(t, owner, "Home");
  await addHouseholdMember(t, home, member, "adult");
  await post(dev, "/api/developer");
  const made = await json(post(dev, "/api/developer/modules", { slug: "board", name: "Task Board", description: "Tasks on a board.", category: "productivity", contexts: ["business", "household", "personal"] }), 201);
  moduleId = made.module.id;
  await json(post(dev, `/api/developer/modules/${moduleId}/versions`, { version: "1.0.0", manifest: { entryUrl: "https://board.example.com/app?x=1", scopes: ["context.read"] } }), 201);
  await json(post(admin, `/api/admin/modules/${moduleId}/versions/1.0.0/approve`), 200);
});
afterAll(() => t.close());

const frameOf = (html: string) => /<iframe[^>]*data-module-frame[^>]*>/.exec(html)?.[0] ?? "";

describe("the business tab", () => {
  test("a tab under the business's rules, framing the module's origin alone", async () => {
    const browser = await signedIn(t, member);
    expect((await browser.request(`/business/${acme}/workspace/m/${moduleId}`)).status).toBe(404);
    await json(post(owner, `/api/modules/${moduleId}/installs`, { context: `business:${acme}`, scopes: ["context.read"] }), 201);
    const page = await browser.request(`/business/${acme}/workspace/m/${moduleId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    // In the tab bar, as a whole-page link (its frame needs its own response's CSP; a swap would keep this page's).
    expect(html).toMatch(new RegExp(`<a href="/business/${acme}/workspace/m/${moduleId}" hx-boost="false"[^>]*>Task Board</a>`));
    expect(html).toContain(">Task Board<");
    const frame = frameOf(html);
    expect(frame).toContain('src="https://board.example.com/app?x=1"');
    expect(frame).toContain('sandbox="allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox"');
    expect(frame).not.toContain("allow-same-origin");
    expect(frame).toContain('referrerpolicy="no-referrer"');
    expect(frame).toContain('allow="clipboard-write"');
    expect(html).toContain("Loading Task Board…");
    expect(html).toContain("data-module-error");
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("frame-src https://board.example.com");
    expect(csp.match(/frame-src[^;]*/)![0]).toBe("frame-src https://board.example.com");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // Other pages frame nothing from elsewhere.
    expect((await browser.request(`/business/${acme}/workspace`)).headers.get("content-security-policy")).not.toContain("board.example.com");
    // Hidden from members by the business's admins: gone from the bar, refused at its address.
    await json(api(t, owner, `/api/businesses/${acme}/modules/m-${moduleId}`, { method: "PUT", json: { allowedRoles: ["owner", "admin"] } }), 200);
    const hidden = await browser.request(`/business/${acme}/workspace/m/${moduleId}`);
    expect(hidden.status).toBe(403);
    expect(await (await browser.request(`/business/${acme}/workspace`)).text()).not.toContain(`/workspace/m/${moduleId}`);
    await json(api(t, owner, `/api/businesses/${acme}/modules/m-${moduleId}`, { method: "PUT", json: { allowedRoles: [] } }), 200);
  });

  test("suspended: the live region shows why instead of the frame, and no frame-src is allowed", async () => {
    const browser = await signedIn(t, member);
    await json(post(admin, `/api/admin/modules/${moduleId}/suspend`, { reason: "Under review." }), 200);
    const region = await browser.request(`/modules/${moduleId}/host?context=${encodeURIComponent(`business:${acme}`)}`, { headers: { "hx-request": "true" } });
    const html = await region.text();
    expect(html).toContain("This module is suspended");
    expect(frameOf(html)).toBe("");
    expect(html).toContain(`hx-trigger="sse:module-${moduleId}, sse:billing"`);
    expect(region.headers.get("content-security-policy")).not.toContain("board.example.com");
    await json(post(admin, `/api/admin/modules/${moduleId}/unsuspend`), 200);
    // Running again: the live region has the page load anew (a frame swapped in would meet the old page's CSP).
    const back = await browser.request(`/modules/${moduleId}/host?context=${encodeURIComponent(`business:${acme}`)}`, { headers: { "hx-request": "true" } });
    expect(back.status).toBe(204);
    expect(back.headers.get("hx-refresh")).toBe("true");
    expect(frameOf(await (await browser.request(`/modules/${moduleId}/host?context=${encodeURIComponent(`business:${acme}`)}`)).text())).not.toBe("");
    // Someone outside the business learns nothing.
    const stranger = await signedIn(t, outsider);
    expect((await stranger.request(`/modules/${moduleId}/host?context=${encodeURIComponent(`business:${acme}`)}`)).status).toBe(404);
  });
});

describe("personal and household pages", () => {
  test("one's own space and a household's, each with its own install", async () => {
    const browser = await signedIn(t, member);
    expect(await (await browser.request(`/m/${moduleId}`)).text()).toContain("This module is not installed here");
    await json(post(member, `/api/modules/${moduleId}/installs`, { context: `personal:${member.id}`, scopes: ["context.read"] }), 201);
    const mine = await browser.request(`/m/${moduleId}`);
    const mineHtml = await mine.text();
    expect(frameOf(mineHtml)).toContain("board.example.com");
    // Where the bridge's navigate may send the page: one's own pages here, the household's pages there.
    expect(mineHtml).toContain('data-navigate-within="/home /calendar /m" data-home="/home" data-calendar="/calendar"');
    expect(mine.headers.get("content-security-policy")).toContain("frame-src https://board.example.com");
    expect(await (await browser.request(`/household/${home}/m/${moduleId}`)).text()).toContain("This module is not installed here");
    await json(post(owner, `/api/modules/${moduleId}/installs`, { context: `household:${home}`, scopes: ["context.read"] }), 201);
    const householdHtml = await (await browser.request(`/household/${home}/m/${moduleId}`)).text();
    expect(frameOf(householdHtml)).toContain("board.example.com");
    expect(householdHtml).toContain(`data-navigate-within="/household/${home}" data-home="/household/${home}" data-calendar="/household/${home}/calendar"`);
    expect((await (await signedIn(t, outsider)).request(`/household/${home}/m/${moduleId}`)).status).toBe(404);
    // Home lists them under their spaces: the personal space's navigation and the household's.
    const homePage = await (await browser.request("/home")).text();
    expect(homePage).toContain(`href="/m/${moduleId}"`);
    expect(homePage).toContain(`href="/household/${home}/m/${moduleId}"`);
    expect(await (await (await signedIn(t, outsider)).request("/home")).text()).not.toContain(`/m/${moduleId}`);
  });

  test("a suspension reaches the open pages of one's own space and of a household, and nobody else's", async () => {
    // Each in one space only, so the event can have come only through that space's channel.
    const [solo, housemate] = (await Promise.all(["Pia Personal", "Hana Household"].map((n) => person(t, n)))) as [Person, Person];
    await addHouseholdMember(t, home, housemate, "adult");
    await json(post(solo, `/api/modules/${moduleId}/installs`, { context: `personal:${solo.id}`, scopes: ["context.read"] }), 201);
    const streams = await Promise.all([solo, housemate, outsider].map(async (who) => new SseReader(await (await signedIn(t, who)).request("/events"))));
    await json(post(admin, `/api/admin/modules/${moduleId}/suspend`, { reason: "Under review." }), 200);
    const [soloStream, housemateStream, outsiderStream] = streams as [SseReader, SseReader, SseReader];
    await soloStream.until((m) => m.event === `module-${moduleId}`);
    await housemateStream.until((m) => m.event === `module-${moduleId}`);
    expect((await outsiderStream.drain(300)).map((m) => m.event)).not.toContain(`module-${moduleId}`);
    // What the region then shows in each: why, instead of the frame.
    for (const [who, context] of [[solo, `personal:${solo.id}`], [housemate, `household:${home}`]] as const) {
      const region = await (await signedIn(t, who)).request(`/modules/${moduleId}/host?context=${encodeURIComponent(context)}`, { headers: { "hx-request": "true" } });
      expect(await region.text()).toContain("This module is suspended");
    }
    await Promise.all(streams.map((s) => s.close()));
    await json(post(admin, `/api/admin/modules/${moduleId}/unsuspend`), 200);
  });
});
