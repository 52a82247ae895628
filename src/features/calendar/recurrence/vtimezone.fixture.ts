// Builds a VTIMEZONE for an IANA zone from the runtime's own zone data (Intl, through @date-fns/tz's tzOffset):
// every transition between two years found to the minute, each written as a one-off STANDARD/DAYLIGHT component.
// ical.js needs one to keep wall-clock time across DST; icaljs.test.ts uses it for the cross-check.
import { tzOffset } from "@date-fns/tz";

const MINUTE = 60_000;
const off = (zone: string, t: number) => Math.round(tzOffset(zone, new Date(t)));

function fmtOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, "0")}${String(m % 60).padStart(2, "0")}`;
}
const basic = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").slice(0, 15);

/** Transitions in [from, to): the first minute of each new offset, with the offsets before and after. */
export function transitions(zone: string, from: number, to: number): { at: number; before: number; after: number }[] {
  const out: { at: number; before: number; after: number }[] = [];
  const step = 6 * 60 * MINUTE; // zones change at most once in six hours
  for (let t = from; t < to; t += step) {
    const a = off(zone, t), b = off(zone, t + step);
    if (a === b) continue;
    let lo = t, hi = t + step; // offset(lo) = a, offset(hi) = b
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (off(zone, mid) === a) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi, before: a, after: b });
  }
  return out;
}

export function vtimezone(zone: string, fromYear: number, toYear: number): string {
  const from = Date.UTC(fromYear, 0, 1), to = Date.UTC(toYear, 0, 1);
  const list = transitions(zone, from, to);
  const first = off(zone, from);
  const standard = Math.min(first, ...list.map((t) => t.after));
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`, "BEGIN:STANDARD", "DTSTART:19700101T000000", `TZOFFSETFROM:${fmtOffset(first)}`, `TZOFFSETTO:${fmtOffset(first)}`, "END:STANDARD"];
  for (const t of list) {
    const kind = t.after === standard ? "STANDARD" : "DAYLIGHT";
    lines.push(`BEGIN:${kind}`, `DTSTART:${basic(t.at + t.before * MINUTE)}`, `TZOFFSETFROM:${fmtOffset(t.before)}`, `TZOFFSETTO:${fmtOffset(t.after)}`, `END:${kind}`);
  }
  lines.push("END:VTIMEZONE");
  return lines.join("\r\n");
}
