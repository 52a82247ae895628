// Recurrence expansion: 1,000 zoned recurring events (varied rules, 10 zones) over one year, expanded by our engine
// (src/features/calendar/recurrence: floating expansion, then placement in the zone) and by rrule.js's own `tzid`
// expansion of the same rules, in the same run. Prints both and the ratio; no server needed.
//
//   TZ=UTC node_modules/.bin/bun bench/recurrence.ts            # 5 rounds, best round of each reported
//   BENCH_ROUNDS=10 TZ=UTC node_modules/.bin/bun bench/recurrence.ts
//
// rrule.js is given the rule without UNTIL/COUNT changes, DTSTART as its "floating UTC" date and `tzid`, and asked
// for `between(from, to, true)`; it is timed only, its instants are not checked (they are wrong off UTC, see
// docs/calendar.md). Our figure includes placing every start and end and formatting the occurrence strings.
import { RRule } from "rrule";
import { expand, type Series } from "../src/features/calendar/recurrence";

const ZONES = ["America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Australia/Sydney", "Pacific/Auckland", "Australia/Lord_Howe", "Asia/Tokyo", "Asia/Kolkata", "America/Sao_Paulo"];
const RULES = [
  "FREQ=DAILY",
  "FREQ=DAILY;INTERVAL=2",
  "FREQ=WEEKLY;BYDAY=MO,WE,FR",
  "FREQ=WEEKLY;BYDAY=TU",
  "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
  "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
  "FREQ=MONTHLY;BYMONTHDAY=15",
  "FREQ=MONTHLY;BYDAY=-1FR",
  "FREQ=MONTHLY;BYDAY=2TU;COUNT=10",
  "FREQ=YEARLY",
  "FREQ=DAILY;COUNT=30",
  "FREQ=WEEKLY;BYDAY=SA,SU;UNTIL=20261031T000000Z",
];
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2027, 0, 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

// A small deterministic generator, so every run expands the same events.
let seed = 12345;
const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
const pad = (n: number) => String(n).padStart(2, "0");

const events = Array.from({ length: 1000 }, () => {
  const month = 1 + rand(12), day = 1 + rand(28), hour = 7 + rand(12), minute = [0, 15, 30, 45][rand(4)]!;
  const year = rand(4) === 0 ? 2025 : 2026;
  return { rule: RULES[rand(RULES.length)]!, zone: ZONES[rand(ZONES.length)]!, year, month, day, hour, minute };
});

const ours: Series[] = events.map((e) => ({
  start: `${e.year}-${pad(e.month)}-${pad(e.day)}T${pad(e.hour)}:${pad(e.minute)}`,
  end: `${e.year}-${pad(e.month)}-${pad(e.day)}T${pad(e.hour + 1)}:${pad(e.minute)}`,
  zone: e.zone,
  rrule: e.rule,
}));
const theirs = events.map((e) => new RRule({ ...RRule.parseString(e.rule), dtstart: new Date(Date.UTC(e.year, e.month - 1, e.day, e.hour, e.minute)), tzid: e.zone }, true)); // noCache: rrule would otherwise answer repeated between() calls from its cache

function runOurs(): number {
  let n = 0;
  for (const s of ours) n += expand(s, { from: FROM, to: TO }).occurrences.length;
  return n;
}
function runTheirs(): number {
  let n = 0;
  for (const r of theirs) n += r.between(new Date(FROM), new Date(TO), true).length;
  return n;
}
function best(run: () => number): { ms: number; count: number } {
  let ms = Number.POSITIVE_INFINITY, count = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    count = run();
    ms = Math.min(ms, performance.now() - t);
  }
  return { ms, count };
}

runOurs(); // warm-up (JIT, zone offset caches), not counted
runTheirs();
const a = best(runOurs);
const b = best(runTheirs);
console.log(`events: ${events.length} over ${ZONES.length} zones, window 2026-01-01..2027-01-01, best of ${ROUNDS} rounds, process TZ=${process.env.TZ ?? "(unset)"}`);
console.log(`ours (floating expansion + placement): ${a.ms.toFixed(1)} ms, ${a.count} occurrences`);
console.log(`rrule.js tzid expansion:               ${b.ms.toFixed(1)} ms, ${b.count} occurrences`);
console.log(`ratio: ${(b.ms / a.ms).toFixed(1)}x`);
