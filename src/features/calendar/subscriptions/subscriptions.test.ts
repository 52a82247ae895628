// Subscriptions against a real feed server on 127.0.0.1 (allowed by OUTSIDE_FETCH_PRIVATE=on for this app only):
// the first read makes a read-only calendar; reads come when the feed's interval says, with If-None-Match (a 304
// changes nothing), mirror the feed when it changes, back off on 500s and recover; a refresh is claimed once; and
// with the default setting, loopback — written as an address, as a name, or reached by a redirect — is refused.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { calendarEvents, calendarSubscriptions } from "../../../schema";
import { createTestApp, type TestApp } from "../../../test/app";
import { api, business, json, person, signedIn, type Person } from "../../../test/people";
import { isPublicAddress, outsideFetcher, OutsideFetchError, outsideUrl, type Hop } from "../../../lib/outside-fetch";
import { bunHop } from "../../../runtime/bun-outside-fetch";
import { refreshDueSubscriptions, refreshSubscription, retryDelay } from "./subscriptions";

const MINUTE = 60_000;

/** A feed server whose answers the tests set, recording what each request asked. */
function feedServer() {
  const state = { status: 200, body: "", etag: '"v1"', hits: [] as Array<{ path: string; ifNoneMatch: string | null; userAgent: string | null }>, hang: false };
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (request) => {
      const url = new URL(request.url);
      state.hits.push({ path: url.pathname, ifNoneMatch: request.headers.get("if-none-match"), userAgent: request.headers.get("user-agent") });
      const hop = /^\/hop(\d+)$/.exec(url.pathname);
      if (hop) return new Response(null, { status: 302, headers: { location: +hop[1]! > 1 ? `/hop${+hop[1]! - 1}` : "/feed.ics" } });
      if (url.pathname === "/huge.ics") return new Response(new Uint8Array(11 * 1024 * 1024));
      // A feed that gives only Last-Modified (no ETag), as many static hosts do.
      if (url.pathname === "/dated.ics") {
        const stamp = "Wed, 01 Dec 2027 10:00:00 GMT";
        if (request.headers.get("if-modified-since") === stamp) return new Response(null, { status: 304 });
        return new Response(state.body, { headers: { "content-type": "text/calendar", "last-modified": stamp } });
      }
      if (url.pathname === "/slow.ics") return new Promise<Response>(() => {});
      if (state.status !== 200) return new Response("broken", { status: state.status });
      if (request.headers.get("if-none-match") === state.etag) return new Response(null, { status: 304, headers: { etag: state.etag } });
      return new Response(state.body, { headers: { "content-type": "text/calendar", etag: state.etag } });
    },
  });
  return { state, server, base: `127.0.0.1:${server.port}` };
}

const feed = (refresh: string, ...events: Array<[uid: string, title: string, start: string]>) =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", "X-WR-CALNAME:School timetable", "X-WR-TIMEZONE:Europe/Berlin", `REFRESH-INTERVAL;VALUE=DURATION:${refresh}`, ...events.flatMap(([uid, title, start]) => ["BEGIN:VEVENT", `UID:${uid}`, `DTSTART;TZID=Europe/Berlin:${start}`, "DURATION:PT45M", `SUMMARY:${title}`, "END:VEVENT"]), "END:VCALENDAR", ""].join("\r\n");

let t: TestApp;
let ada: Person;
let bob: Person;
let acme: string;
let local: ReturnType<typeof feedServer>;

beforeAll(async () => {
  t = await createTestApp({ OUTSIDE_FETCH_PRIVATE: "on" });
  [ada, bob] = (await Promise.all(["Ada Lovelace", "Bob Stone"].map((name) => person(t, name)))) as [Person, Person];
  acme = await business(t, ada, [[bob, "member"]], "Acme");
  local = feedServer();
});
afterAll(() => {
  local.server.stop(true);
  t.close();
});

const subscriptionRow = async (calendarId: string) => (await t.deps.db.select().from(calendarSubscriptions).where(eq(calendarSubscriptions.calendarId, calendarId)))[0]!;
const titles = async (calendarId: string) => (await t.deps.db.select({ title: calendarEvents.title }).from(calendarEvents).where(eq(calendarEvents.calendarId, calendarId))).map((r) => r.title).sort();

describe("a subscription's life", () => {
  test("subscribe, read-only events, 304 while unchanged, the feed mirrored when it changes, back-off on errors", async () => {
    local.state.body = feed("PT30M", ["m1", "Maths", "20261207T080000"], ["e1", "English", "20261207T090000"]);
    const made = await json(api(t, ada, "/api/calendar/subscriptions", { method: "POST", json: { url: `http://${local.base}/feed.ics`, contextId: acme } }), 201);
    expect(made.calendar).toMatchObject({ name: "School timetable", subscribed: true, contextType: "business", timeZone: "Europe/Berlin" });
    expect(made.subscription).toMatchObject({ url: `http://${local.base}/feed.ics`, refreshMinutes: 30, lastError: null });
    expect(made.import).toMatchObject({ created: 2 });
    const calendarId = made.calendar.id as string;
    expect(await titles(calendarId)).toEqual(["English", "Maths"]);
    expect(local.state.hits.at(-1)!.userAgent).toContain("BlockOnBlock");

    // Read-only for everyone, its manager included.
    const [event] = await t.deps.db.select().from(calendarEvents).where(eq(calendarEvents.calendarId, calendarId));
    expect((await json(api(t, ada, `/api/calendars/${calendarId}/events`, { method: "POST", json: { title: "Mine", start: "2026-12-08T10:00", end: "2026-12-08T11:00" } }), 403)).error.code).toBe("read_only");
    expect((await json(api(t, ada, `/api/events/${event!.id}`, { method: "PATCH", json: { title: "Changed" } }), 403)).error.code).toBe("read_only");
    expect((await json(api(t, ada, `/api/events/${event!.id}`, { method: "DELETE" }), 403)).error.code).toBe("read_only");
    expect((await json(api(t, ada, `/api/events/${event!.id}`), 200)).event.canEdit).toBe(false);

    // Not due yet: nothing is read.
    const hits = local.state.hits.length;
    expect(await refreshDueSubscriptions(t.deps)).toBe(0);
    expect(local.state.hits.length).toBe(hits);

    // Due: read with the last ETag, answered 304, nothing changes but the time of the last read.
    t.advance(31 * MINUTE);
    expect(await refreshDueSubscriptions(t.deps)).toBe(1);
    expect(local.state.hits.at(-1)).toMatchObject({ path: "/feed.ics", ifNoneMatch: '"v1"' });
    expect((await subscriptionRow(calendarId)).lastRefreshedAt).toBeGreaterThan(made.subscription.lastRefreshedAt ? Date.parse(made.subscription.lastRefreshedAt) : 0);

    // The feed changes (and asks to be read every 5 minutes, which is held to 15): English goes, Physics comes.
    local.state.body = feed("PT5M", ["m1", "Maths (room 12)", "20261207T080000"], ["p1", "Physics", "20261207T100000"]);
    local.state.etag = '"v2"';
    t.advance(31 * MINUTE);
    expect(await refreshDueSubscriptions(t.deps)).toBe(1);
    expect(await titles(calendarId)).toEqual(["Maths (room 12)", "Physics"]);
    let row = await subscriptionRow(calendarId);
    expect([row.refreshMs, row.etag, row.failures]).toEqual([15 * MINUTE, '"v2"', 0]);

    // Errors back off: 15 min, 30 min, 1 h …; the events stay; the error is shown; a good read clears it.
    local.state.status = 500;
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      t.advance(row.nextRefreshAt - t.deps.now());
      expect(await refreshDueSubscriptions(t.deps)).toBe(1);
      row = await subscriptionRow(calendarId);
      delays.push(Math.round((row.nextRefreshAt - t.deps.now()) / MINUTE));
    }
    expect(delays).toEqual([15, 30, 60]);
    expect([row.failures, row.lastError]).toEqual([3, "The feed answered 500."]);
    expect(await titles(calendarId)).toEqual(["Maths (room 12)", "Physics"]);
    const shown = (await json(api(t, ada, "/api/calendar/subscriptions"), 200)).subscriptions;
    expect(shown).toEqual([expect.objectContaining({ calendarId, lastError: "The feed answered 500.", failures: 3 })]);
    // A member of the business sees the calendar, but not its address (it may hold a secret).
    expect((await json(api(t, bob, "/api/calendar/subscriptions"), 200)).subscriptions).toEqual([]);
    expect((await json(api(t, bob, `/api/calendars/${calendarId}`), 200)).calendar.subscribed).toBe(true);
    expect((await json(api(t, bob, `/api/calendar/subscriptions/${calendarId}/refresh`, { method: "POST" }), 403)).error.code).toBe("forbidden");

    local.state.status = 200;
    const now = await json(api(t, ada, `/api/calendar/subscriptions/${calendarId}/refresh`, { method: "POST" }), 200);
    expect(now.refresh.status).toBe("unchanged");
    expect(now.subscription).toMatchObject({ lastError: null, failures: 0 });
  });

  test("a feed with only Last-Modified is asked If-Modified-Since, and its 304 changes nothing", async () => {
    local.state.status = 200;
    local.state.body = feed("PT1H", ["d1", "Dated", "20261210T080000"]);
    const made = await json(api(t, ada, "/api/calendar/subscriptions", { method: "POST", json: { url: `http://${local.base}/dated.ics`, contextId: "personal" } }), 201);
    expect((await subscriptionRow(made.calendar.id)).lastModified).toBe("Wed, 01 Dec 2027 10:00:00 GMT");
    local.state.body = feed("PT1H", ["d2", "Would be new", "20261211T080000"]);
    const outcome = await refreshSubscription(t.deps, made.calendar.id, { force: true });
    expect(outcome.status).toBe("unchanged");
    expect(await titles(made.calendar.id)).toEqual(["Dated"]);
  });

  test("two refreshes at once read the feed once (the claim is in the database)", async () => {
    local.state.status = 200;
    local.state.body = feed("PT1H", ["x1", "Once", "20261208T080000"]);
    local.state.etag = '"once"';
    const made = await json(api(t, ada, "/api/calendar/subscriptions", { method: "POST", json: { url: `http://${local.base}/feed.ics`, name: "Claimed", contextId: "personal" } }), 201);
    const before = local.state.hits.length;
    const outcomes = await Promise.all([refreshSubscription(t.deps, made.calendar.id, { force: true }), refreshSubscription(t.deps, made.calendar.id, { force: true })]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["busy", "unchanged"]);
    expect(local.state.hits.length).toBe(before + 1);
  });

  test("up to three redirects are followed; a fourth, a huge answer or a wrong address is a 400 on url, with nothing made", async () => {
    local.state.status = 200;
    local.state.body = feed("PT1H", ["r1", "Redirected", "20261209T080000"]);
    local.state.etag = '"r"';
    const made = await json(api(t, ada, "/api/calendar/subscriptions", { method: "POST", json: { url: `http://${local.base}/hop3`, contextId: "personal" } }), 201);
    expect(made.import.created).toBe(1);
    const calendarsBefore = (await json(api(t, ada, "/api/calendars"), 200)).calendars.length;
    const refused = async (url: string) => (await json(api(t, ada, "/api/calendar/subscriptions", { method: "POST", json: { url, contextId: "personal" } }), 400)).error.details.fieldErrors.url[0] as string;
    expect(await refused(`http://${local.base}/hop4`)).toContain("redirected more than 3 times");
    expect(await refused(`http://${local.base}/huge.ics`)).toContain("larger than 10 MB");
    expect(await refused("ftp://example.com/feed.ics")).toContain("Only http://, https:// and webcal://");
    expect(await refused(`http://user:secret@${local.base}/feed.ics`)).toContain("no user name or password");
    local.state.body = "<html>not a calendar</html>";
    expect(await refused(`http://${local.base}/feed.ics?other`)).toContain("does not give a calendar");
    expect((await json(api(t, ada, "/api/calendars"), 200)).calendars.length).toBe(calendarsBefore);
  });

  test("a feed that does not answer in time fails with a clear message", async () => {
    const fetcher = outsideFetcher(bunHop, true);
    const error = await fetcher({ url: `http://${local.base}/slow.ics`, timeoutMs: 200, maxBytes: 1024 }).catch((e) => e);
    expect(error).toBeInstanceOf(OutsideFetchError);
    expect(error.message).toBe("No answer within 0.2 seconds.");
  });
});

describe("the settings page", () => {
  test("subscribe with the form; a bad address is shown beside the field with what was typed; the calendar shows its reads and Refresh now", async () => {
    local.state.status = 200;
    local.state.body = feed("PT2H", ["h1", "Holiday", "20261224T000000"]);
    local.state.etag = '"page"';
    const browser = await signedIn(t, ada);
    const bad = await browser.request("/calendar/subscriptions", { method: "POST", form: { url: "ftp://example.com/x.ics", name: "Holidays", contextId: "personal" } });
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(badPage).toContain('<p class="field-error" id="sub-url-error">Only http://, https:// and webcal:// addresses can be read.</p>');
    expect(badPage).toContain('value="ftp://example.com/x.ics"');

    const made = await browser.request("/calendar/subscriptions", { method: "POST", form: { url: `http://${local.base}/feed.ics?page`, name: "Holidays", contextId: "personal" } });
    expect(made.status).toBe(303);
    expect(made.headers.get("location")).toBe("/calendar/settings?saved=subscribed");
    let page = await (await browser.request("/calendar/settings?saved=subscribed")).text();
    expect(page).toContain("Subscribed: the calendar is added and will follow its feed.");
    expect(page).toContain(`<code>http://${local.base}/feed.ics?page</code>, read every 2 h`);
    const calendarId = /action="\/calendar\/calendars\/([^/"]+)\/refresh"/.exec(page)![1]!;
    expect(page).not.toContain(`action="/calendar/calendars/${calendarId}/import"`);

    local.state.status = 503;
    const refreshed = await browser.request(`/calendar/calendars/${calendarId}/refresh`, { method: "POST" });
    expect(refreshed.headers.get("location")).toBe("/calendar/settings?saved=refresh-failed");
    page = await (await browser.request("/calendar/settings?saved=refresh-failed")).text();
    expect(page).toContain("The last read failed: The feed answered 503.");
    local.state.status = 200;
  });
});

describe("private addresses, with the default setting", () => {
  let strict: TestApp;
  let cy: Person;
  beforeAll(async () => {
    strict = await createTestApp();
    cy = await person(strict, "Cy Strict");
  });
  afterAll(() => strict.close());

  test("loopback, private, link-local and metadata addresses are refused, as addresses and as names", async () => {
    const refused = async (url: string) => (await json(api(strict, cy, "/api/calendar/subscriptions", { method: "POST", json: { url, contextId: "personal" } }), 400)).error.details.fieldErrors.url[0] as string;
    for (const url of [`http://${local.base}/feed.ics`, "http://10.0.0.8/feed.ics", "http://169.254.169.254/latest/meta-data", "http://[::1]/feed.ics", "http://[::ffff:127.0.0.1]/feed.ics", "http://0.0.0.0/feed.ics", `http://localhost:${local.server.port}/feed.ics`]) {
      expect(await refused(url)).toContain("private network");
    }
    expect(local.state.hits.filter((h) => h.path === "/feed.ics" && h.userAgent?.includes("BlockOnBlock")).length).toBeGreaterThan(0);
  });

  test("a public address that redirects to loopback is refused at the redirect, after DNS", async () => {
    const hits = local.state.hits.length;
    // The first hop stands in for a public server; every later hop is the real one, resolving and checking names.
    const publicThenReal: Hop = (url, request, allowPrivate) =>
      url.hostname === "feeds.example.com" ? Promise.resolve({ status: 302, headers: new Headers({ location: `http://localhost:${local.server.port}/feed.ics` }), body: new Uint8Array() }) : bunHop(url, request, allowPrivate);
    const error = await outsideFetcher(publicThenReal, false)({ url: "https://feeds.example.com/cal.ics", timeoutMs: 2000, maxBytes: 1024 }).catch((e) => e);
    expect(error).toBeInstanceOf(OutsideFetchError);
    expect(error.message).toContain("private network");
    expect(local.state.hits.length).toBe(hits);
  });

  test("webcal:// and webcals:// are read over https://", () => {
    expect(outsideUrl("webcal://calendar.example.org/basic.ics").href).toBe("https://calendar.example.org/basic.ics");
    expect(outsideUrl("WEBCALS://calendar.example.org/basic.ics").href).toBe("https://calendar.example.org/basic.ics");
  });

  test("only public unicast addresses pass", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "255.255.255.255", "224.0.0.1", "not an ip"]) expect([address, isPublicAddress(address)]).toEqual([address, false]);
    for (const address of ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"]) expect([address, isPublicAddress(address)]).toEqual([address, true]);
  });

  test("the back-off doubles from 15 minutes, never below the feed's interval, at most a day", () => {
    expect([1, 2, 3, 4, 8, 20].map((n) => retryDelay(n, 15 * MINUTE) / MINUTE)).toEqual([15, 30, 60, 120, 1440, 1440]);
    expect(retryDelay(1, 6 * 60 * MINUTE) / MINUTE).toBe(360);
  });
});
