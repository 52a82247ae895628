// Presence over real HTTP on a real database: streams counted across tabs, a killed instance's
// connections running out, activity and away, do not disturb, who may see whom, the status form and
// JSON, and the dots on member pages and the page stream. The pure rules are in rules.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { presenceConnections, userStatus } from "../../schema";
import { createTestApp, type TestApp } from "../../test/app";
import { api, business, household, addHouseholdMember, person, signedIn, type Person } from "../../test/people";
import { jsonEvents, SseReader, type SseMessage } from "../../test/sse";
import { channel } from "../realtime";
import type { EventRow } from "../realtime";
import { presenceTick, presenceOf, sweepPresence } from "./index";
import { presencePageEvents } from "./page-events";
import { CLOSE_GRACE_MS } from "./rules";

let t: TestApp;
let ada: Person;
let bob: Person;
let eve: Person;
let acme: string;

beforeAll(async () => {
  t = await createTestApp();
  ada = await person(t, "Ada");
  bob = await person(t, "Bob");
  eve = await person(t, "Eve");
  acme = await business(t, ada, [[bob, "member"]], "Acme");
});
afterAll(() => t.close());

async function stream(who: Person) {
  const response = await t.app.request("/api/events", { headers: { authorization: `Bearer ${who.token}` } });
  expect(response.status).toBe(200);
  const reader = new SseReader(response);
  await reader.next(100); // let the stream start (its opening is what presence counts)
  return reader;
}

/** Waits (briefly polling) until `check` holds: presence work after a stream opens or closes runs beside the stream. */
async function eventually(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await Bun.sleep(10);
  }
  throw new Error(`never: ${what}`);
}

const connections = (who: Pick<Person, "id">) => t.deps.db.select().from(presenceConnections).where(eq(presenceConnections.userId, who.id));
const openConnections = async (who: Person) => (await connections(who)).filter((row) => row.closedAt === null).length;

type Announced = { userId: string; status: string; text: string };
/** The presence.changed events about `who` in what a stream delivered, as their payloads. */
const aboutUser = (messages: SseMessage[], who: Pick<Person, "id">) =>
  jsonEvents(messages)
    .filter((event) => event.type === "presence.changed" && event.payload.userId === who.id)
    .map((event) => event.payload as Announced);
const untilPresence = (reader: SseReader, who: Pick<Person, "id">, status: string) =>
  reader.until((m) => m.data.includes('"presence.changed"') && m.data.includes(`"userId":"${who.id}"`) && m.data.includes(`"status":"${status}"`));

describe("streams across tabs", () => {
  test("closing one of two tabs keeps a user online; closing the last announces offline to co-members", async () => {
    await api(t, bob, "/api/presence/status"); // a request: recent activity
    const watcher = await stream(ada);
    const tab1 = await stream(bob);
    const online = aboutUser(await untilPresence(watcher, bob, "online"), bob).at(-1)!;
    expect(online).toEqual({ userId: bob.id, status: "online", text: "" });
    const tab2 = await stream(bob);
    await eventually(async () => (await openConnections(bob)) === 2, "two open connections");

    await tab1.close();
    await eventually(async () => (await openConnections(bob)) === 1, "one closed");
    t.advance(CLOSE_GRACE_MS + 1000);
    await sweepPresence(t.deps);
    expect((await presenceOf(t.deps, [bob.id])).get(bob.id)!.status).toBe("online");
    expect(aboutUser(await watcher.drain(300), bob)).toEqual([]);

    await tab2.close();
    await eventually(async () => (await openConnections(bob)) === 0, "both closed");
    // Within the grace (a reload, a reconnect) nothing changes.
    await sweepPresence(t.deps);
    expect((await presenceOf(t.deps, [bob.id])).get(bob.id)!.status).toBe("online");
    t.advance(CLOSE_GRACE_MS + 1000);
    await sweepPresence(t.deps);
    const offline = aboutUser(await untilPresence(watcher, bob, "offline"), bob);
    expect(offline).toEqual([{ userId: bob.id, status: "offline", text: "" }]);
    expect(await connections(bob)).toEqual([]);
    // Announced once, on the business channel ada reads (and bob's own).
    expect(aboutUser(await watcher.drain(300), bob)).toEqual([]);
    await watcher.close();
  });

  test("a killed instance's connections run out after the TTL and its users are announced offline; live ones are refreshed", async () => {
    const kim = await person(t, "Kim");
    await business(t, kim, [[ada, "member"]], "Kim's");
    const watcher = await stream(ada);
    const now = t.deps.now();
    // Kim was online through another instance, which then died without a word.
    await t.deps.db.update(userStatus).set({ lastActiveAt: now, announced: "online" }).where(eq(userStatus.userId, kim.id));
    await t.deps.db.insert(presenceConnections).values({ id: "dead-conn", userId: kim.id, instanceId: "dead-instance", openedAt: now, expiresAt: now + 60_000 });
    expect((await presenceOf(t.deps, [kim.id])).get(kim.id)!.status).toBe("online");

    t.advance(30_000);
    await presenceTick(t.deps); // this instance's refresh does not keep another's rows alive
    expect((await presenceOf(t.deps, [kim.id])).get(kim.id)!.status).toBe("online");
    expect(aboutUser(await watcher.drain(200), kim)).toEqual([]);

    t.advance(31_000);
    await presenceTick(t.deps);
    expect(aboutUser(await untilPresence(watcher, kim, "offline"), kim)).toEqual([{ userId: kim.id, status: "offline", text: "" }]);
    expect(await connections(kim)).toEqual([]);
    // Ada's own stream lives on this instance: its row was refreshed, not swept.
    expect((await connections(ada)).filter((row) => row.closedAt === null).length).toBe(1);
    expect((await connections(ada))[0]!.expiresAt).toBeGreaterThan(t.deps.now());
    await watcher.close();
  });
});

describe("activity and chosen status", () => {
  test("without requests a user turns away (announced by the sweep); the next request brings them back online", async () => {
    const cal = await person(t, "Cal");
    await business(t, ada, [[cal, "member"]], "Cal's team");
    await api(t, cal, "/api/presence/status");
    const watcher = await stream(ada);
    const tab = await stream(cal);
    await untilPresence(watcher, cal, "online");
    t.advance(t.deps.config.PRESENCE_AWAY_MINUTES * 60_000 + 1000);
    await presenceTick(t.deps);
    await untilPresence(watcher, cal, "away");
    await api(t, cal, "/api/presence/status");
    await untilPresence(watcher, cal, "online");
    await Promise.all([tab.close(), watcher.close()]);
  });

  test("activity is written at most once a minute", async () => {
    const dee = await person(t, "Dee");
    const lastActive = async () => (await t.deps.db.select().from(userStatus).where(eq(userStatus.userId, dee.id)))[0]?.lastActiveAt;
    await api(t, dee, "/api/presence/status");
    const first = await lastActive();
    expect(first).toBeGreaterThan(0);
    t.advance(30_000);
    await api(t, dee, "/api/presence/status");
    expect(await lastActive()).toBe(first!);
    t.advance(31_000);
    await api(t, dee, "/api/presence/status");
    expect(await lastActive()).toBeGreaterThan(first!);
  });

  test("do not disturb with an end in the past is online; with a future end it holds until then, and its end is announced", async () => {
    const fay = await person(t, "Fay");
    await business(t, ada, [[fay, "member"]], "Fay's team");
    const watcher = await stream(ada);
    const tab = await stream(fay);
    await api(t, fay, "/api/presence/status");
    await untilPresence(watcher, fay, "online");

    const past = await api(t, fay, "/api/presence/status", { method: "PUT", json: { status: "dnd", dndUntil: t.deps.now() - 1000 } });
    expect(past.status).toBe(200);
    expect(((await past.json()) as { presence: unknown }).presence).toEqual({ status: "online", text: "", mode: "auto", dndUntil: null });

    const until = new Date(t.deps.now() + 30 * 60_000).toISOString();
    const dnd = await api(t, fay, "/api/presence/status", { method: "PUT", json: { status: "dnd", dndUntil: until, text: "  Focus time  " } });
    expect(((await dnd.json()) as { presence: unknown }).presence).toEqual({ status: "dnd", text: "Focus time", mode: "dnd", dndUntil: until });
    expect(aboutUser(await untilPresence(watcher, fay, "dnd"), fay).at(-1)).toEqual({ userId: fay.id, status: "dnd", text: "Focus time" });

    t.advance(31 * 60_000);
    await api(t, fay, "/api/presence"); // still active (and this request is activity)
    await presenceTick(t.deps);
    expect(aboutUser(await untilPresence(watcher, fay, "online"), fay).at(-1)).toEqual({ userId: fay.id, status: "online", text: "Focus time" });
    await Promise.all([tab.close(), watcher.close()]);
  });

  test("bad status input is a 400 with the field named, never a 500", async () => {
    for (const json of [
      { status: "auto", text: "x".repeat(101) },
      { status: "auto", text: "two\nlines" },
      { status: "busy" },
      { status: "dnd", dndUntil: "tomorrow" },
      { status: "auto", extra: 1 },
    ]) {
      const response = await api(t, bob, "/api/presence/status", { method: "PUT", json });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
    }
    const long = await api(t, bob, "/api/presence/status", { method: "PUT", json: { status: "auto", text: "x".repeat(101) } });
    expect(Object.keys(((await long.json()) as { error: { details: { fieldErrors: object } } }).error.details.fieldErrors)).toEqual(["text"]);
    // 100 characters after trimming is fine.
    expect((await api(t, bob, "/api/presence/status", { method: "PUT", json: { status: "auto", text: ` ${"x".repeat(100)} ` } })).status).toBe(200);
    expect((await api(t, bob, "/api/presence/status", { method: "PUT", json: { status: "auto", text: "" } })).status).toBe(200);
  });
});

describe("who may see whom", () => {
  test("/api/presence answers for the caller and those sharing a business or household; strangers and unknown ids are left out", async () => {
    const gus = await person(t, "Gus");
    const home = await household(t, eve, "Eve's home");
    await addHouseholdMember(t, home, gus, "adult");
    const response = await api(t, gus, `/api/presence?userIds=${[eve.id, ada.id, gus.id, "nobody", eve.id].join(",")}`);
    expect(response.status).toBe(200);
    const { presence } = (await response.json()) as { presence: { userId: string; status: string; text: string }[] };
    expect(presence.map((p) => p.userId).sort()).toEqual([eve.id, gus.id].sort());
    expect(Object.keys(presence[0]!).sort()).toEqual(["status", "text", "userId"]);

    const asAda = (await (await api(t, ada, `/api/presence?userIds=${[bob.id, eve.id, gus.id].join(",")}`)).json()) as { presence: { userId: string }[] };
    expect(asAda.presence.map((p) => p.userId)).toEqual([bob.id]);
  });

  test("the query is checked: no ids, malformed ids or too many are a 400; no session is a 401", async () => {
    for (const query of ["", "?userIds=", "?userIds=a%20b", `?userIds=${Array.from({ length: 101 }, (_, i) => `u${i}`).join(",")}`]) {
      expect((await api(t, ada, `/api/presence${query}`)).status).toBe(400);
    }
    expect((await t.app.request(`/api/presence?userIds=${bob.id}`)).status).toBe(401);
    expect((await t.app.request("/api/presence/status", { method: "PUT", headers: { "content-type": "application/json" }, body: '{"status":"away"}' })).status).toBe(401);
  });
});

describe("pages", () => {
  test("the page renderer sends presence-<userId> with the re-rendered dot, text escaped, and nothing for a damaged payload", async () => {
    const render = presencePageEvents["presence.changed"]!;
    const row = (payload: Record<string, unknown>): EventRow => ({ id: 1, channel: channel.business(acme), type: "presence.changed", payload, at: 0 });
    const [message, ...rest] = await render(t.deps, row({ userId: bob.id, status: "dnd", text: "<b>Lunch</b> & co" }), ada.id);
    expect(rest).toEqual([]);
    expect(message!.event).toBe(`presence-${bob.id}`);
    expect(message!.data).toBe(
      `<span class="presence presence-dnd" sse-swap="presence-${bob.id}" hx-swap="outerHTML" role="img" aria-label="Do not disturb: &lt;b&gt;Lunch&lt;/b&gt; &amp; co" title="Do not disturb: &lt;b&gt;Lunch&lt;/b&gt; &amp; co"></span>`,
    );
    expect(await render(t.deps, row({ userId: bob.id, status: "busy" }), ada.id)).toEqual([]);
    expect(await render(t.deps, row({ userId: "<x>", status: "online" }), ada.id)).toEqual([]);
  });

  test("a co-member's page stream carries the dot when someone's presence changes", async () => {
    const browser = await signedIn(t, ada);
    const response = await browser.request("/events");
    expect(response.status).toBe(200);
    const page = new SseReader(response);
    await page.next(100);
    const hal = await person(t, "Hal");
    await business(t, ada, [[hal, "member"]], "Hal's team");
    const tab = await stream(hal);
    await api(t, hal, "/api/presence/status", { method: "PUT", json: { status: "away", text: "Back at 3" } });
    // (Opening the stream was announced first: away, as Hal had made no request yet.)
    const [dot] = (await page.until((m) => m.event === `presence-${hal.id}` && m.data.includes("Back at 3"))).slice(-1);
    expect(dot!.data).toContain('class="presence presence-away"');
    expect(dot!.data).toContain('aria-label="Away: Back at 3"');
    await Promise.all([page.close(), tab.close()]);
  });

  test("the members tab and the household page show each member's dot", async () => {
    const watcherTab = await stream(bob);
    await api(t, bob, "/api/presence/status", { method: "PUT", json: { status: "auto", text: "Here" } });
    const browser = await signedIn(t, ada);
    const members = await (await browser.request(`/business/${acme}/workspace/members`)).text();
    expect(members).toContain(`<span class="presence presence-online" sse-swap="presence-${bob.id}" hx-swap="outerHTML" role="img" aria-label="Online: Here"`);
    expect(members).toMatch(new RegExp(`presence-(online|away)" sse-swap="presence-${ada.id}"`));
    // After a change, the kept panel is not served stale.
    await watcherTab.close();
    await eventually(async () => (await openConnections(bob)) === 0, "bob's tab closed");
    t.advance(CLOSE_GRACE_MS + 1000);
    await sweepPresence(t.deps);
    const after = await (await browser.request(`/business/${acme}/workspace/members`)).text();
    expect(after).toContain(`<span class="presence presence-offline" sse-swap="presence-${bob.id}"`);

    const ivy = await person(t, "Ivy");
    const home = await household(t, ivy, "Ivy's");
    await addHouseholdMember(t, home, ada, "adult");
    const page = await (await browser.request(`/household/${home}`)).text();
    expect(page).toContain(`sse-swap="presence-${ivy.id}"`);
    expect(page).toContain(`sse-swap="presence-${ada.id}"`);
  });

  test("the header links to /presence and loads the menu; the form works without JavaScript and with htmx", async () => {
    const jo = await person(t, "Jo");
    const browser = await signedIn(t, jo);
    const tab = await stream(jo);
    const home = await (await browser.request("/home")).text();
    expect(home).toContain('<a class="status-link" href="/presence" hx-get="/presence/menu" hx-trigger="load" hx-swap="outerHTML">Status</a>');

    const menu = await browser.request("/presence/menu", { headers: { "hx-request": "true", "hx-current-url": "http://localhost/home?x=1" } });
    const menuHtml = await menu.text();
    expect(menuHtml).toStartWith('<details class="status-menu" id="status-menu"');
    expect(menuHtml).toContain('name="back" value="/home?x=1"');

    // Without JavaScript: a plain post, then back where it came from.
    const plain = await browser.request("/presence/status", { method: "POST", form: { status: "dnd", dndFor: "60", text: "Deep work", back: "/home?x=1", from: "menu" } });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe("/home?x=1");
    const own = (await (await api(t, jo, "/api/presence/status")).json()) as { presence: { mode: string; text: string; dndUntil: string } };
    expect(own.presence.mode).toBe("dnd");
    expect(own.presence.text).toBe("Deep work");
    expect(Date.parse(own.presence.dndUntil) - t.deps.now()).toBeGreaterThan(59 * 60_000);
    // "keep" keeps the end already set.
    await browser.request("/presence/status", { method: "POST", form: { status: "dnd", dndFor: "keep", text: "Deeper", back: "/presence" } });
    expect(((await (await api(t, jo, "/api/presence/status")).json()) as typeof own).presence.dndUntil).toBe(own.presence.dndUntil);

    // Another site as the target: back to /presence instead.
    const foreign = await browser.request("/presence/status", { method: "POST", form: { status: "auto", back: "//evil.example/x" } });
    expect(foreign.headers.get("location")).toBe("/presence?saved=1");
    const page = await (await browser.request("/presence?saved=1")).text();
    expect(page).toContain("Your status is saved.");

    // htmx from the menu: the menu again, with the new status.
    const viaHtmx = await browser.request("/presence/status", { method: "POST", headers: { "hx-request": "true" }, form: { status: "away", text: "Out", back: "/home", from: "menu" } });
    expect(viaHtmx.status).toBe(200);
    const fragment = await viaHtmx.text();
    expect(fragment).toStartWith('<details class="status-menu" id="status-menu"');
    expect(fragment).toContain("presence-away");

    // Too long: the form again with the error beside the field, in place.
    const bad = await browser.request("/presence/status", { method: "POST", headers: { "hx-request": "true" }, form: { status: "auto", text: "x".repeat(101), from: "menu" } });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain("Use at most 100 characters.");
    expect(badHtml).toContain("<details class=\"status-menu\" id=\"status-menu\" open");
    await tab.close();
  });

  test("the status pages need a session", async () => {
    for (const path of ["/presence", "/presence/menu"]) {
      const response = await t.app.request(path);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toStartWith("/login");
    }
    expect((await t.app.request("/presence/status", { method: "POST", body: new URLSearchParams({ status: "away" }) })).status).not.toBe(200);
  });
});
