import { createTestApp, signedInBrowser } from "../src/test/app";
import { api, business, person } from "../src/test/people";
import { placesOf, visibleCalendars } from "../src/features/calendar/calendars";
import { occurrencesIn } from "../src/features/calendar/occurrences";
const t = await createTestApp({ RATE_LIMIT: "off" });
const ada = await person(t, "Ada Perf");
const acme = await business(t, ada, [], "Perf Ltd");
const list = async () => (await (await api(t, ada, "/api/calendars")).json()).calendars;
const cals: string[] = [(await list()).find((c: any) => c.contextType === "personal").id, (await list()).find((c: any) => c.contextId === acme).id];
for (const name of ["A", "B", "C"]) cals.push((await (await api(t, ada, "/api/calendars", { method: "POST", json: { name } })).json()).calendar.id);
await api(t, ada, "/api/calendar/settings", { method: "PUT", json: { timeZone: "Europe/Berlin" } });
const zones = ["America/New_York", "Europe/Berlin", "Asia/Tokyo", "UTC"];
const rules = ["FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=DAILY", "FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"];
for (let i = 0; i < 300; i++) {
  const day = String((i % 28) + 1).padStart(2, "0");
  const hour = String(8 + (i % 10)).padStart(2, "0");
  await api(t, ada, `/api/calendars/${cals[i % 5]}/events`, { method: "POST", json: { title: `E${i}`, start: `2027-03-${day}T${hour}:00`, end: `2027-03-${day}T${hour}:45`, timeZone: zones[i % 4], ...(i < 50 ? { rrule: rules[i % 4], start: `2026-11-${day}T${hour}:00`, end: `2026-11-${day}T${hour}:45` } : {}) } });
}
const time = async (label: string, f: () => Promise<unknown> | unknown, n = 100) => { for (let i = 0; i < 5; i++) await f(); const t0 = performance.now(); for (let i = 0; i < n; i++) await f(); console.log(label, ((performance.now() - t0) / n).toFixed(3), "ms"); };
const from = Date.parse("2027-03-01T00:00:00Z"), to = Date.parse("2027-04-01T00:00:00Z");
const places = await placesOf(t.deps, ada.id);
const vis = await visibleCalendars(t.deps, places);
const { calendarEvents } = await import("../src/schema");
const { expand } = await import("../src/features/calendar/recurrence");
const { seriesOf } = await import("../src/features/calendar/events");
const { and, inArray, lt, or, isNull, gt } = await import("drizzle-orm");
const ids = vis.map((v) => v.row.id);
const q = () => t.deps.db.select({ id: calendarEvents.id, calendarId: calendarEvents.calendarId, title: calendarEvents.title, location: calendarEvents.location, url: calendarEvents.url, color: calendarEvents.color, start: calendarEvents.start, end: calendarEvents.end, timeZone: calendarEvents.timeZone, allDay: calendarEvents.allDay, rrule: calendarEvents.rrule, exdates: calendarEvents.exdates, rdates: calendarEvents.rdates, overrides: calendarEvents.overrides, visibility: calendarEvents.visibility, transparency: calendarEvents.transparency, createdBy: calendarEvents.createdBy }).from(calendarEvents).where(and(inArray(calendarEvents.calendarId, ids), lt(calendarEvents.firstStartMs, to), or(isNull(calendarEvents.lastEndMs), gt(calendarEvents.lastEndMs, from))));
await time("query", q);
const rows = await q();
const rec = rows.filter((r) => r.rrule);
await time("expand recurring " + rec.length, () => { for (const r of rec) expand(seriesOf(r as any), { from, to }, { floatingZone: "Europe/Berlin", maxOccurrences: 2000 }); });
for (const rule of ["FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=DAILY", "FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"]) {
  const one = rec.find((r) => r.rrule === rule)!;
  await time("  " + rule, () => expand(seriesOf(one as any), { from, to }, { floatingZone: "Europe/Berlin", maxOccurrences: 2000 }), 200);
}
await time("occurrencesIn", () => occurrencesIn(t.deps, places, { from, to, zone: "Europe/Berlin" }, vis));
const b = await signedInBrowser(t.app, ada.email);
await time("month grid", async () => (await b.request("/calendar/grid?view=month&date=2027-03-01&scope=all", { headers: { "hx-request": "true" } })).text());
await time("week grid", async () => (await b.request("/calendar/grid?view=week&date=2027-03-08&scope=all", { headers: { "hx-request": "true" } })).text());
await time("region month", async () => (await b.request("/calendar?view=month&date=2027-03-01", { headers: { "hx-request": "true" } })).text());
await time("api month", async () => (await api(t, ada, "/api/calendar/events?from=2027-03-01&to=2027-04-01")).text());
t.close();
