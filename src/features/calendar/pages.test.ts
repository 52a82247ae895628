// The calendar's pages over real HTTP: the four views as full pages and as htmx fragments, the drawer's forms
// (create, errors beside the fields, edit one occurrence or this and following, delete), the move a drag sends,
// a business's tab and a household's calendar (a child gets no way to write), and the colours' stylesheet.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type Browser, type TestApp } from "../../test/app";
import { addHouseholdMember, api, business, household, person, signedIn, type Person } from "../../test/people";

let t: TestApp;
let ada: Person;
let bob: Person;
let kid: Person;
let acme: string;
let home: string;
let browser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  [ada, bob, kid] = (await Promise.all(["Ada Lovelace", "Bob Stone", "Kid Lovelace"].map((name) => person(t, name)))) as [Person, Person, Person];
  acme = await business(t, ada, [[bob, "member"]], "Acme");
  home = await household(t, ada, "Lovelace home");
  await addHouseholdMember(t, home, kid, "child");
  browser = await signedIn(t, ada);
  expect((await api(t, ada, "/api/calendar/settings", { method: "PUT", json: { timeZone: "Europe/London" } })).status).toBe(200);
});
afterAll(() => t.close());

const htmx = { "hx-request": "true" };
const form = (fields: [string, string][]) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
const eventFields = (over: Record<string, string> = {}): [string, string][] =>
  Object.entries({ title: "Standup", startDate: "2026-03-02", startTime: "09:00", endDate: "2026-03-02", endTime: "09:30", timeZone: "Europe/London", repeat: "none", back: "/calendar?view=week&date=2026-03-02", ...over });
const calendars = async (who: Person) => (await (await api(t, who, "/api/calendars")).json()).calendars as { id: string; contextType: string; isPrimary: boolean; contextId: string }[];

describe("the views", () => {
  test("the month page lists every calendar and draws six weeks; an htmx request gets the region alone", async () => {
    const page = await browser.request("/calendar?view=month&date=2026-03-10");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<!doctype html>");
    expect(html).toContain("March 2026");
    expect(html.match(/role="gridcell"/g)?.length).toBe(42);
    for (const name of ["Personal", "Acme", "Lovelace home"]) expect(html).toContain(name);
    const fragment = await (await browser.request("/calendar?view=month&date=2026-03-10", { headers: htmx })).text();
    expect(fragment.startsWith('<div id="calendar-view"')).toBe(true);
    expect(fragment).not.toContain("<html");
  });

  test("a bad view or date falls back to this month; links keep view and date in the address", async () => {
    const html = await (await browser.request("/calendar?view=nonsense&date=2026-02-30")).text();
    expect(html).toContain('role="grid"');
    const week = await (await browser.request("/calendar?view=week&date=2026-03-04")).text();
    expect(week).toContain('href="/calendar?view=week&amp;date=2026-02-23"');
    expect(week).toContain('href="/calendar?view=week&amp;date=2026-03-09"');
    expect(week).toContain('href="/calendar?view=day&amp;date=2026-03-04"');
  });
});

describe("the drawer without JavaScript", () => {
  test("create an event with the form; the week grid shows it at its time in the viewer's zone", async () => {
    const created = await browser.request("/calendar/events", form(eventFields()));
    expect(created.status).toBe(303);
    expect(created.headers.get("location")).toBe("/calendar?view=week&date=2026-03-02");
    const week = await (await browser.request("/calendar?view=week&date=2026-03-02")).text();
    expect(week).toMatch(/class="cal-ev color-[0-9a-f]{6} t-108 h-6 lanes-1 lane-0"[^>]*>\s*<span class="cal-chip-time">09:00<\/span> <span class="cal-chip-title">Standup<\/span>/);
  });

  test("errors are shown beside their fields and nothing is saved", async () => {
    const before = await (await browser.request("/calendar?view=week&date=2026-03-16")).text();
    const bad = await browser.request("/calendar/events", form(eventFields({ title: "Broken", startDate: "2026-03-16", endDate: "2026-03-16", endTime: "08:00" })));
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toMatch(/id="ev-endDate-error">[^<]*end must be after start/);
    expect(html).toContain('value="Broken"');
    const zone = await (await browser.request("/calendar/events", form(eventFields({ title: "Broken", timeZone: "Mars/Base" })))).text();
    expect(zone).toMatch(/id="ev-timeZone-error">[^<]*Mars\/Base/);
    const rule = await (await browser.request("/calendar/events", form(eventFields({ title: "Broken", repeat: "custom", rrule: "FREQ=WEEKLY;BYDAY=XX" })))).text();
    expect(rule).toMatch(/id="ev-rrule-error">[^<]*BYDAY/);
    expect(await (await browser.request("/calendar?view=week&date=2026-03-16")).text()).toBe(before);
  });

  test("a weekly series: edit one occurrence, then this and following, then delete one; the month grid after each", async () => {
    const made = await browser.request("/calendar/events", form([...eventFields({ title: "Swim", startDate: "2026-04-06", endDate: "2026-04-06", startTime: "18:00", endTime: "19:00", repeat: "weekly", ends: "after", count: "4" }), ["days", "MO"]]));
    expect(made.status).toBe(303);
    const month = async () => [...(await (await browser.request("/calendar?view=month&date=2026-04-01")).text()).matchAll(/data-date="(2026-0[45]-\d\d)"[\s\S]*?(?=data-date=|$)/g)].flatMap((m) => [...m[0].matchAll(/cal-chip-title">([^<]+)</g)].map((t) => `${m[1]} ${t[1]}`)).filter((s) => / Sw|Dive/.test(s));
    expect(await month()).toEqual(["2026-04-06 Swim", "2026-04-13 Swim", "2026-04-20 Swim", "2026-04-27 Swim"]);
    const link = /href="(\/calendar\/events\/[^"]+occurrence=2026-04-13T18%3A00[^"]*)"/.exec(await (await browser.request("/calendar?view=month&date=2026-04-01")).text())![1]!.replaceAll("&amp;", "&");
    const drawer = await (await browser.request(link)).text();
    expect(drawer).toContain("This and following events");
    const eventPath = link.split("?")[0]!;
    expect((await browser.request(`${eventPath}?occurrence=2026-04-13T18:00`, form([...eventFields({ title: "Swim (pool closed)", startDate: "2026-04-13", endDate: "2026-04-13", startTime: "18:00", endTime: "19:00", repeat: "weekly", ends: "after", count: "4", scope: "this" }), ["days", "MO"]]))).status).toBe(303);
    expect(await month()).toEqual(["2026-04-06 Swim", "2026-04-13 Swim (pool closed)", "2026-04-20 Swim", "2026-04-27 Swim"]);
    expect((await browser.request(`${eventPath}?occurrence=2026-04-20T18:00`, form([...eventFields({ title: "Dive", startDate: "2026-04-20", endDate: "2026-04-20", startTime: "18:00", endTime: "19:00", repeat: "weekly", ends: "after", count: "4", scope: "following" }), ["days", "MO"]]))).status).toBe(303);
    expect(await month()).toEqual(["2026-04-06 Swim", "2026-04-13 Swim (pool closed)", "2026-04-20 Dive", "2026-04-27 Dive"]);
    expect((await browser.request(`${eventPath}/delete`, form([["occurrence", "2026-04-06T18:00"], ["scope", "this"], ["back", "/calendar"]]))).status).toBe(303);
    expect(await month()).toEqual(["2026-04-13 Swim (pool closed)", "2026-04-20 Dive", "2026-04-27 Dive"]);
  });
});

describe("with htmx", () => {
  test("a save answers in the drawer and tells the grid to reload; the grid route gives the grid alone", async () => {
    const saved = await browser.request("/calendar/events", { ...form(eventFields({ title: "Lunch", startDate: "2026-05-04", endDate: "2026-05-04", startTime: "12:00", endTime: "13:00" })), headers: { ...htmx, "content-type": "application/x-www-form-urlencoded" } });
    expect(saved.status).toBe(200);
    expect(saved.headers.get("hx-trigger")).toBe("calendar-changed");
    expect(await saved.text()).toContain("added");
    const grid = await (await browser.request("/calendar/grid?view=week&date=2026-05-04&scope=all", { headers: htmx })).text();
    expect(grid).toContain("Lunch");
    expect(grid).not.toContain('id="calendar-view"');
  });

  test("the grid's links are boosted: aimed at the drawer they get the drawer alone; a plain boosted load the page", async () => {
    const html = await (await browser.request("/calendar/grid?view=week&date=2026-05-04&scope=all", { headers: htmx })).text();
    expect(html).toContain('<div class="cal-links" hx-target="#calendar-drawer" hx-swap="innerHTML" hx-push-url="false">');
    const link = /<a class="cal-ev [^"]*" href="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
    const boosted = { "hx-request": "true", "hx-boosted": "true" };
    const inDrawer = await (await browser.request(link, { headers: { ...boosted, "hx-target": "calendar-drawer" } })).text();
    expect(inDrawer.startsWith('<div class="cal-drawer-body">')).toBe(true);
    expect(await (await browser.request(link, { headers: boosted })).text()).toContain("<html");
  });

  test("a drag onto a repeating event asks which occurrences; a plain one moves at once", async () => {
    const personal = (await calendars(ada)).find((c) => c.contextType === "personal")!.id;
    const one = await (await api(t, ada, `/api/calendars/${personal}/events`, { method: "POST", json: { title: "Dentist", start: "2026-05-05T10:00", end: "2026-05-05T11:00", timeZone: "Europe/London" } })).json();
    const moved = await browser.request(`/calendar/events/${one.event.id}/move`, { ...form([["minutes", String(24 * 60 + 30)], ["back", "/calendar"]]), headers: { ...htmx, "content-type": "application/x-www-form-urlencoded" } });
    expect(moved.headers.get("hx-trigger")).toBe("calendar-changed");
    expect((await (await api(t, ada, `/api/events/${one.event.id}`)).json()).event).toMatchObject({ start: "2026-05-06T10:30", end: "2026-05-06T11:30" });
    const series = await (await api(t, ada, `/api/calendars/${personal}/events`, { method: "POST", json: { title: "Gym", start: "2026-05-04T07:00", end: "2026-05-04T08:00", timeZone: "Europe/London", rrule: "FREQ=DAILY;COUNT=5" } })).json();
    const ask = await (await browser.request(`/calendar/events/${series.event.id}/move`, { ...form([["minutes", "60"], ["occurrence", "2026-05-05T07:00"], ["back", "/calendar"]]), headers: { ...htmx, "content-type": "application/x-www-form-urlencoded" } })).text();
    expect(ask).toContain("This event repeats");
    await browser.request(`/calendar/events/${series.event.id}/move`, form([["minutes", "60"], ["occurrence", "2026-05-05T07:00"], ["scope", "this"], ["back", "/calendar"]]));
    const { occurrences } = await (await api(t, ada, `/api/calendar/events?from=2026-05-04&to=2026-05-07&calendarIds=${personal}`)).json();
    expect(occurrences.filter((o: any) => o.title === "Gym").map((o: any) => o.start)).toEqual(["2026-05-04T07:00", "2026-05-05T08:00", "2026-05-06T07:00"]);
    const resize = await browser.request(`/calendar/events/${one.event.id}/move`, form([["minutes", "0"], ["endMinutes", "30"], ["back", "/calendar"]]));
    expect(resize.status).toBe(303);
    expect((await (await api(t, ada, `/api/events/${one.event.id}`)).json()).event).toMatchObject({ start: "2026-05-06T10:30", end: "2026-05-06T12:00" });
  });
});

describe("contexts", () => {
  test("a business's calendar tab shows its calendars only", async () => {
    const html = await (await browser.request(`/business/${acme}/workspace/calendar?view=month&date=2026-03-01`)).text();
    expect(html).toContain('name="cal"');
    const listed = [...html.matchAll(/name="cal" value="([^"]+)"/g)].map((m) => m[1]);
    const acmeCalendars = (await calendars(ada)).filter((c) => c.contextType === "business").map((c) => c.id);
    expect(listed).toEqual(acmeCalendars);
  });

  test("a child sees the household calendar but no way to write to it; a post anyway is refused", async () => {
    const child = await signedIn(t, kid);
    const html = await (await child.request(`/household/${home}/calendar`)).text();
    expect(html).toContain("Lovelace home");
    expect(html).not.toContain("New event");
    const householdCal = (await calendars(kid)).find((c) => c.contextType === "household")!.id;
    const refused = await child.request("/calendar/events", form(eventFields({ title: "Party", calendarId: householdCal })));
    expect(refused.status).toBe(403);
    const drawer = await (await child.request("/calendar/events/new?date=2026-03-02")).text();
    expect(drawer).not.toContain(`value="${householdCal}"`);
    expect((await (await child.request(`/household/${home}/calendar`)).text())).not.toContain("Party");
    // Nor through the drawer's other forms or the drag's move: the event stays as Ada made it.
    const { event } = await (await api(t, ada, `/api/calendars/${householdCal}/events`, { method: "POST", json: { title: "Dinner", start: "2026-03-03T18:00", end: "2026-03-03T19:00", timeZone: "UTC" } })).json();
    const drawerHtml = await (await child.request(`/calendar/events/${event.id}`)).text();
    expect(drawerHtml).toContain("Dinner");
    expect(drawerHtml.slice(drawerHtml.indexOf("<main"))).not.toContain("<form");
    expect((await child.request(`/calendar/events/${event.id}`, form(eventFields({ title: "Pizza", startDate: "2026-03-03", endDate: "2026-03-03", startTime: "18:00", endTime: "19:00", timeZone: "UTC" })))).status).toBe(403);
    expect((await child.request(`/calendar/events/${event.id}/move`, form([["minutes", "60"]]))).status).toBe(403);
    expect((await child.request(`/calendar/events/${event.id}/delete`, form([]))).status).toBe(403);
    expect((await (await api(t, ada, `/api/events/${event.id}`)).json()).event).toMatchObject({ title: "Dinner", start: "2026-03-03T18:00" });
  });

  test("someone else's household calendar is a 404", async () => {
    const bobs = await signedIn(t, bob);
    expect((await bobs.request(`/household/${home}/calendar`)).status).toBe(404);
  });
});

test("settings: zone, add a calendar, share it with a colleague and take it back, rename, delete", async () => {
  const zone = await browser.request("/calendar/settings/zone", form([["timeZone", "Nowhere/Special"]]));
  expect(zone.status).toBe(400);
  expect(await zone.text()).toContain("is not a time zone we know");
  expect((await browser.request("/calendar/calendars", form([["name", "Projects"], ["context", `business:${acme}`], ["color", "#7c3aed"], ["timeZone", "Europe/Paris"]]))).status).toBe(303);
  const made = (await calendars(ada)).find((c) => (c as any).name === "Projects")!;
  expect(made).toMatchObject({ contextType: "business", contextId: acme });
  const page = await (await browser.request("/calendar/settings")).text();
  expect(page).toContain(`action="/calendar/calendars/${made.id}/shares"`);
  expect(page).toContain(`<option value="${bob.id}">Bob Stone</option>`);
  expect((await browser.request(`/calendar/calendars/${made.id}`, form([["memberAccess", "none"]]))).status).toBe(303);
  expect((await calendars(bob)).some((c) => c.id === made.id)).toBe(false);
  expect((await browser.request(`/calendar/calendars/${made.id}/shares`, form([["userId", bob.id], ["access", "read"]]))).status).toBe(303);
  expect((await calendars(bob)).some((c) => c.id === made.id)).toBe(true);
  const outsider = await browser.request(`/calendar/calendars/${made.id}/shares`, form([["userId", kid.id], ["access", "read"]]));
  expect(outsider.status).toBe(400);
  expect(await outsider.text()).toContain("shared with its members only");
  expect((await browser.request(`/calendar/calendars/${made.id}/shares/${bob.id}/delete`, form([]))).status).toBe(303);
  expect((await calendars(bob)).some((c) => c.id === made.id)).toBe(false);
  expect((await browser.request(`/calendar/calendars/${made.id}`, form([["name", "Projects 2027"]]))).status).toBe(303);
  expect((await calendars(ada)).some((c) => (c as any).name === "Projects 2027")).toBe(true);
  expect((await browser.request(`/calendar/calendars/${made.id}/delete`, form([]))).status).toBe(303);
  expect((await calendars(ada)).some((c) => c.id === made.id)).toBe(false);
  // Bob cannot change or share a calendar he does not manage.
  const bobs = await signedIn(t, bob);
  const acmeCal = (await calendars(bob)).find((c) => c.contextType === "business")!.id;
  expect((await bobs.request(`/calendar/calendars/${acmeCal}`, form([["name", "Mine"]]))).status).toBe(403);
  expect((await bobs.request(`/calendar/calendars/${acmeCal}/shares`, form([["userId", ada.id], ["access", "write"]]))).status).toBe(403);
});

test("an attacker: another person's ids answer 404 on every page route, and crafted return addresses stay on this site", async () => {
  const personal = (await calendars(ada)).find((c) => c.contextType === "personal")!.id;
  const { event } = await (await api(t, ada, `/api/calendars/${personal}/events`, { method: "POST", json: { title: "Secret", start: "2026-07-01T10:00", end: "2026-07-01T11:00", timeZone: "UTC" } })).json();
  const bobs = await signedIn(t, bob);
  expect((await bobs.request(`/calendar/events/${event.id}`)).status).toBe(404);
  expect((await bobs.request(`/calendar/events/${event.id}`, form(eventFields({ title: "Mine" })))).status).toBe(404);
  expect((await bobs.request(`/calendar/events/${event.id}/delete`, form([["back", "/calendar"]]))).status).toBe(404);
  expect((await bobs.request(`/calendar/events/${event.id}/move`, form([["minutes", "60"]]))).status).toBe(404);
  expect((await bobs.request(`/calendar/calendars/${personal}`, form([["name", "Mine"]]))).status).toBe(404);
  expect((await bobs.request(`/calendar/calendars/${personal}/delete`, form([]))).status).toBe(404);
  expect((await bobs.request(`/calendar/calendars/${personal}/shares`, form([["userId", bob.id], ["access", "write"]]))).status).toBe(404);
  expect((await bobs.request("/calendar/events", form(eventFields({ title: "Into Ada's", calendarId: personal })))).status).toBe(404);
  expect((await (await api(t, ada, `/api/events/${event.id}`)).json()).event.title).toBe("Secret");
  for (const back of ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]) {
    const made = await browser.request("/calendar/events", form(eventFields({ title: "Redirect", back })));
    expect(made.status).toBe(303);
    const location = made.headers.get("location")!;
    expect(location.startsWith("/")).toBe(true);
    expect(location.startsWith("//")).toBe(false);
    expect(location).not.toContain("evil");
  }
});

test("the colours' stylesheet holds only colours", async () => {
  const css = await (await browser.request("/calendar/colors.css?p=2563eb.zz}body{x.059669")).text();
  expect(css).toBe(".color-2563eb{--event-color:#2563eb}\n.color-059669{--event-color:#059669}");
});

describe("kept views", () => {
  test("a kept grid is drawn again after every change that alters it: an event, a zone, a module rule, a membership", async () => {
    const [cara, dan] = (await Promise.all(["Cara Keeper", "Dan Viewer"].map((name) => person(t, name)))) as [Person, Person];
    const shop = await business(t, cara, [[dan, "member"]], "Kept Shop");
    const shopCal = (await calendars(cara)).find((c) => c.contextId === shop)!.id;
    const viewer = await signedIn(t, dan);
    const grid = async (scope = "all") => {
      const response = await viewer.request(`/calendar/grid?view=month&date=2026-08-01&scope=${scope}`, { headers: htmx });
      return { status: response.status, html: await response.text() };
    };
    const before = await grid();
    expect(before.html).not.toContain("Stocktake");
    expect((await grid()).html).toBe(before.html); // kept: the same HTML again
    expect((await api(t, cara, `/api/calendars/${shopCal}/events`, { method: "POST", json: { title: "Stocktake", start: "2026-08-10T09:00", end: "2026-08-10T10:00", timeZone: "UTC" } })).status).toBe(201);
    expect((await grid()).html).toMatch(/09:00<\/span><span class="cal-chip-title">Stocktake/);
    // Dan's zone: the same event at its New York time.
    expect((await viewer.request("/calendar/settings/zone", form([["timeZone", "America/New_York"]]))).status).toBe(303);
    expect((await grid()).html).toMatch(/05:00<\/span><span class="cal-chip-title">Stocktake/);
    // The business hides its calendar module from members: gone from Dan's overlay, and its own grid refused.
    expect((await api(t, cara, `/api/businesses/${shop}/modules/calendar`, { method: "PUT", json: { allowedRoles: ["owner", "admin", "manager"] } })).status).toBe(200);
    expect((await grid()).html).not.toContain("Stocktake");
    expect((await grid(`business:${shop}`)).status).toBe(404);
    expect((await api(t, cara, `/api/businesses/${shop}/modules/calendar`, { method: "PUT", json: { allowedRoles: [] } })).status).toBe(200);
    expect((await grid()).html).toContain("Stocktake");
    // Dan leaves the business: its calendar goes from his grid at once.
    expect((await api(t, cara, `/api/businesses/${shop}/members/${dan.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await grid()).html).not.toContain("Stocktake");
    const api1 = await (await api(t, dan, "/api/calendar/events?from=2026-08-01&to=2026-09-01")).json();
    expect(api1.occurrences).toEqual([]);
  });
});

test("a new event goes to the primary calendar of the context chosen in the header, or of the tab it is made from", async () => {
  const eli = await person(t, "Eli Switcher");
  const shop = await business(t, eli, [], "Switch Shop");
  const home2 = await household(t, eli, "Switch home");
  const cals = await calendars(eli);
  const selected = (html: string) => /<select id="ev-calendarId" name="calendarId">[\s\S]*?<option value="([^"]+)" selected/.exec(html)?.[1];
  const eliBrowser = await signedIn(t, eli);
  expect((await eliBrowser.request("/contexts/switch", form([["context", `business:${shop}`]]))).status).toBe(303);
  expect(selected(await (await eliBrowser.request("/calendar/events/new?date=2026-06-01")).text())).toBe(cals.find((c) => c.contextId === shop)!.id);
  const fromHousehold = await (await eliBrowser.request(`/calendar/events/new?date=2026-06-01&back=${encodeURIComponent(`/household/${home2}/calendar`)}`)).text();
  expect(selected(fromHousehold)).toBe(cals.find((c) => c.contextId === home2)!.id);
  expect((await eliBrowser.request("/contexts/switch", form([["context", "personal"]]))).status).toBe(303);
  expect(selected(await (await eliBrowser.request("/calendar/events/new?date=2026-06-01")).text())).toBe(cals.find((c) => c.contextType === "personal")!.id);
});
