// Gives the benchmark's user a busy month: 300 events across 5 calendars (their personal and business primary
// calendars and three more), 50 of them recurring (weekly, daily, monthly and fortnightly rules in four zones,
// started months before), the rest single events in March 2027, some all-day; and a viewer zone off UTC. All
// through the running server's JSON API. Prints the calendar ids, comma-separated.
//
//   bun bench/seed-calendar.ts <app-url> <bearer-token> <business-id>
import { apiClient } from "./client";
const [appUrl, token, businessId] = process.argv.slice(2);
if (!appUrl || !token || !businessId) {
  console.error("usage: bun bench/seed-calendar.ts <app-url> <bearer-token> <business-id>");
  process.exit(2);
}

const call = apiClient(appUrl, token);

const listed = (await call("GET", "/api/calendars")).calendars as { id: string; contextType: string; contextId: string; isPrimary: boolean }[];
const calendars = [listed.find((c) => c.contextType === "personal" && c.isPrimary)!.id, listed.find((c) => c.contextId === businessId && c.isPrimary)!.id];
for (const [name, color, contextType] of [["Team", "#7c3aed", "business"], ["Family", "#db2777", "personal"], ["Gym", "#0891b2", "personal"]] as const) {
  calendars.push((await call("POST", "/api/calendars", { name, color, contextType, ...(contextType === "business" ? { contextId: businessId } : {}) })).calendar.id);
}
await call("PUT", "/api/calendar/settings", { timeZone: "Europe/Berlin" });

const zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London"];
const rules = ["FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=DAILY", "FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=60"];
const pad = (n: number) => String(n).padStart(2, "0");
const bodies = Array.from({ length: 300 }, (_, i) => {
  const day = pad((i % 28) + 1);
  const hour = pad(7 + (i % 11));
  const minute = pad([0, 15, 30, 45][i % 4]!);
  if (i < 50) return { title: `Series ${i + 1}`, start: `2026-11-${day}T${hour}:${minute}`, end: `2026-11-${day}T${hour}:${minute === "45" ? "59" : "55"}`, timeZone: zones[i % 4], rrule: rules[i % rules.length] };
  if (i % 25 === 0) return { title: `Trip ${i + 1}`, start: `2027-03-${day}`, end: `2027-03-${pad(Math.min(28, (i % 28) + 3))}`, allDay: true };
  return { title: `Event ${i + 1}`, start: `2027-03-${day}T${hour}:${minute}`, end: `2027-03-${day}T${pad(Number(hour) + 1)}:${minute}`, timeZone: zones[i % 4], location: i % 7 === 0 ? "https://meet.google.com/abc-defg-hij" : "Room 4" };
});
let next = 0;
await Promise.all(
  Array.from({ length: 4 }, async () => {
    while (next < bodies.length) {
      const i = next++;
      await call("POST", `/api/calendars/${calendars[i % calendars.length]}/events`, bodies[i]);
    }
  }),
);
console.log(calendars.join(","));
