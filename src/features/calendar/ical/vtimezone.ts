// VTIMEZONE components built from the runtime's own zone data (the IANA rules through Intl, as placement uses):
// every transition over the years the events need, found to the minute and written as a one-off STANDARD or
// DAYLIGHT observance, so a reader without the IANA database (ical.js, older Outlook) places each wall-clock time
// exactly where we do. Readers that know the zone by name (Google, Apple) use their own rules, which agree.
import { MINUTE_MS, offsetAt } from "../recurrence";
import { line, utcStamp } from "./lines";

const SIX_HOURS = 6 * 60 * MINUTE_MS; // zones change at most once in six hours

function offsetText(ms: number): string {
  const minutes = Math.round(ms / MINUTE_MS);
  const sign = minutes < 0 ? "-" : "+";
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, "0")}${String(m % 60).padStart(2, "0")}`;
}

interface Transition {
  /** The first instant of the new offset. */
  at: number;
  before: number;
  after: number;
}

/** Transitions in [from, to). */
export function transitions(zone: string, from: number, to: number): Transition[] {
  const out: Transition[] = [];
  for (let t = from; t < to; t += SIX_HOURS) {
    const a = offsetAt(zone, t);
    const b = offsetAt(zone, t + SIX_HOURS);
    if (a === b) continue;
    let lo = t;
    let hi = t + SIX_HOURS; // offset(lo) = a, offset(hi) = b
    while (hi - lo > MINUTE_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
      if (offsetAt(zone, mid) === a) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi, before: a, after: b });
  }
  return out;
}

const built = new Map<string, string>();

/** The VTIMEZONE of `zone` covering the years [fromYear, toYear] (CRLF lines). Cached: feeds ask for the same spans. */
export function vtimezone(zone: string, fromYear: number, toYear: number): string {
  const key = `${zone}|${fromYear}|${toYear}`;
  let text = built.get(key);
  if (text !== undefined) return text;
  const from = Date.UTC(fromYear, 0, 1);
  const to = Date.UTC(toYear + 1, 0, 1);
  const list = transitions(zone, from, to);
  const first = offsetAt(zone, from);
  // The observance in force at the start of the span, then one per change: its DTSTART is the local time the
  // change happens at, read with the offset before it (RFC 5545 §3.6.5).
  const standard = Math.min(first, ...list.map((t) => t.after));
  text = line("BEGIN", "VTIMEZONE") + line("TZID", zone);
  const observance = (kind: string, at: number, before: number, after: number) =>
    line("BEGIN", kind) + line("DTSTART", utcStamp(at + before).slice(0, 15)) + line("TZOFFSETFROM", offsetText(before)) + line("TZOFFSETTO", offsetText(after)) + line("END", kind);
  text += observance(first === standard ? "STANDARD" : "DAYLIGHT", from, first, first);
  for (const t of list) text += observance(t.after === standard ? "STANDARD" : "DAYLIGHT", t.at, t.before, t.after);
  text += line("END", "VTIMEZONE");
  if (built.size > 500) built.clear();
  built.set(key, text);
  return text;
}
