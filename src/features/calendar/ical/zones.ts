// The zone a TZID of an imported file means, as an IANA name our engine places times in. In order: an IANA name
// itself; a Windows name (Outlook, Exchange: "W. Europe Standard Time") through CLDR's table (windows-iana); an
// IANA name at the end of a longer id ("/mozilla.org/20050126_1/America/New_York"); otherwise the file's own
// VTIMEZONE, matched to the IANA zone whose offsets agree with it day by day over two years (Outlook's display
// names such as "(UTC+01:00) Amsterdam, Berlin, …" land here). A zone that matches nothing is read with ical.js from
// its VTIMEZONE as exact instants, and an unknown id without one in the calendar's zone; both are reported.
import ICAL from "ical.js";
import { findIana } from "windows-iana";
import { DAY_MS, HOUR_MS, isTimeZone, placeWallClock } from "../recurrence";

export type ResolvedZone =
  /** Times are wall-clock in an IANA zone. */
  | { kind: "iana"; zone: string; note?: string }
  /** No IANA zone matches the file's VTIMEZONE: times become instants through it. */
  | { kind: "custom"; timezone: ICAL.Timezone; note: string };

const SAMPLE_DAYS = 2 * 366;

/** A zone's UTC offset (ms) at local wall time `wall`. */
const ianaOffset = (zone: string, wall: number) => wall - placeWallClock(wall, zone);

function customOffset(timezone: ICAL.Timezone, wall: number): number {
  const d = new Date(wall);
  const time = ICAL.Time.fromData({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: 0, second: 0 });
  return timezone.utcOffset(time) * 1000;
}

/** Noon on each sampled day of this year and the next (two years cover a zone's yearly rule both ways). */
function sampleWalls(now: number, step: number): number[] {
  const start = Date.UTC(new Date(now).getUTCFullYear(), 0, 1) + 12 * HOUR_MS;
  const walls: number[] = [];
  for (let day = 0; day < SAMPLE_DAYS; day += step) walls.push(start + day * DAY_MS);
  return walls;
}

let candidates: string[] | null = null;
function ianaZones(): string[] {
  candidates ??= Intl.supportedValuesOf("timeZone").filter(isTimeZone);
  return candidates;
}

/** The IANA zone whose offsets equal the VTIMEZONE's at noon every day of two years; among several, one whose city the id names. */
export function matchVtimezone(tzid: string, timezone: ICAL.Timezone, now: number): string | null {
  const coarse = sampleWalls(now, 30);
  const fine = sampleWalls(now, 1);
  const wanted = new Map(fine.map((w) => [w, customOffset(timezone, w)]));
  const agrees = (zone: string, walls: number[]) => walls.every((w) => ianaOffset(zone, w) === wanted.get(w));
  const matches = ianaZones().filter((zone) => agrees(zone, coarse) && agrees(zone, fine));
  if (matches.length === 0) return null;
  const words = tzid.toLowerCase();
  return matches.find((zone) => words.includes(zone.split("/").pop()!.replace(/_/g, " ").toLowerCase())) ?? matches[0]!;
}

/** An IANA name a TZID stands for without its VTIMEZONE: itself, a Windows name, or an IANA name at its end. */
export function knownZone(tzid: string): string | null {
  const id = tzid.trim().replace(/^"|"$/g, "");
  if (isTimeZone(id)) return id;
  // CLDR lists the zone first, then its aliases; the canonical name is the one the runtime lists.
  const windows = findIana(id);
  const canonical = windows.find((zone) => ianaZones().includes(zone)) ?? windows.find(isTimeZone);
  if (canonical) return canonical;
  const parts = id.split("/");
  for (const take of [3, 2]) {
    if (parts.length <= take) continue;
    const tail = parts.slice(-take).join("/");
    if (tail.includes("/") && isTimeZone(tail)) return tail;
  }
  return null;
}

/** Resolves each TZID of one file once. */
export class ZoneResolver {
  private readonly resolved = new Map<string, ResolvedZone>();

  constructor(
    private readonly vtimezones: ReadonlyMap<string, ICAL.Component>,
    /** Where a TZID that is neither known nor described by the file is read (the calendar's zone). */
    private readonly fallback: string,
    private readonly now: number,
  ) {}

  resolve(tzid: string): ResolvedZone {
    let zone = this.resolved.get(tzid);
    if (!zone) {
      zone = this.work(tzid);
      this.resolved.set(tzid, zone);
    }
    return zone;
  }

  private work(tzid: string): ResolvedZone {
    const known = knownZone(tzid);
    if (known) return { kind: "iana", zone: known };
    const component = this.vtimezones.get(tzid);
    if (!component) return { kind: "iana", zone: this.fallback, note: `The time zone "${tzid}" is not described in the file: its times were read in ${this.fallback}.` };
    const timezone = ICAL.Timezone.fromData({ component, tzid });
    const matched = matchVtimezone(tzid, timezone, this.now);
    if (matched) return { kind: "iana", zone: matched };
    return { kind: "custom", timezone, note: `The time zone "${tzid}" matches no zone we know: its events keep their exact times, but repeating ones may shift by an hour across daylight-saving changes.` };
  }
}
