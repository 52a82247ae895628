// Run by process-zones.test.ts in child processes with different TZ values: prints the process's own zone and a
// fixed set of expansions (UTC instants), which must be the same whatever TZ is.
import { expand } from "./expand";
import { splitSeries } from "./edits";
import type { Series } from "./series";

const window = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2027, 0, 1) };
export const SERIES: Series[] = [
  { start: "2026-01-05T09:00", end: "2026-01-05T10:00", zone: "America/New_York", rrule: "FREQ=WEEKLY;BYDAY=MO,TH", exdates: ["2026-03-09T13:00:00Z"] },
  { start: "2026-03-07T02:30", end: "2026-03-07T03:00", zone: "America/New_York", rrule: "FREQ=DAILY;COUNT=40" },
  { start: "2026-10-01T16:15", end: "2026-10-01T17:00", zone: "Australia/Sydney", rrule: "FREQ=DAILY;UNTIL=20261010T000000Z" },
  { start: "2026-04-01T02:30", end: "2026-04-01T03:30", zone: "Pacific/Auckland", rrule: "FREQ=DAILY;INTERVAL=2;COUNT=60" },
  { start: "2026-01-31T01:45", end: "2026-01-31T02:15", zone: "Australia/Lord_Howe", rrule: "FREQ=MONTHLY;BYDAY=-1SA" },
  { start: "2026-02-28T23:30", end: "2026-03-01T00:30", zone: "Europe/London", rrule: "FREQ=MONTHLY;BYMONTHDAY=-1", overrides: [{ recurrenceId: "2026-10-31T23:30", start: "2026-10-25T01:30", end: "2026-10-25T02:30" }] },
  { start: "2026-03-08", end: "2026-03-09", zone: null, rrule: "FREQ=WEEKLY;BYDAY=SU" },
  { start: "2026-06-01T12:00", end: "2026-06-01T13:00", zone: null, rrule: "FREQ=YEARLY;BYMONTH=6,12;BYDAY=1MO" },
  { start: "2026-01-01T08:00", end: "2026-01-01T08:30", zone: "America/Los_Angeles", rrule: "FREQ=HOURLY;INTERVAL=7;BYHOUR=8,15,22;COUNT=200" },
];

export function run() {
  const expansions = SERIES.map((s) => expand(s, window, { floatingZone: "Asia/Kolkata" }).occurrences.map((o) => [o.recurrenceId, o.startUtcMs, o.endUtcMs]));
  const split = splitSeries(SERIES[0]!, "2026-06-01T09:00");
  return { expansions, split };
}

if (import.meta.main) {
  console.log(JSON.stringify({ processZone: Intl.DateTimeFormat().resolvedOptions().timeZone, offsetMinutes: new Date(2026, 0, 1).getTimezoneOffset(), result: run() }));
}
