// An iCalendar file read into plain events (ical.js parses; this file only converts). The text is cut at its
// top-level components first, so a 5 MB file is parsed a few hundred events at a time with the event loop free in
// between, and one broken event is skipped (with the reason) instead of failing the file. Times keep their clock:
// a date, a wall-clock time in an IANA zone (see zones.ts), UTC, or floating.
import ICAL from "ical.js";
import { sha256Hex } from "../../../lib/crypto";
import { DAY_MS, isTimeZone, wallFromFields } from "../recurrence";
import { ZoneResolver, type ResolvedZone } from "./zones";

/** A time as the file gives it: a date, or a wall-clock time in `zone` ("UTC", an IANA zone, or null: floating). */
export type Clock = { date: number } | { wall: number; zone: string | null };

export interface EventFields {
  title: string;
  description: string;
  location: string;
  url: string;
  visibility: "default" | "private";
  transparency: "opaque" | "transparent";
}

/** One VEVENT: a series (recurrenceId null) or one changed occurrence of the series with its UID. */
export interface ParsedEvent {
  uid: string;
  recurrenceId: Clock | null;
  cancelled: boolean;
  start: Clock;
  end: Clock;
  rrule: string | null;
  exdates: Clock[];
  rdates: Clock[];
  fields: EventFields;
}

export interface Skipped {
  uid: string | null;
  title: string | null;
  reason: string;
}

export interface ParsedFile {
  /** X-WR-CALNAME or NAME. */
  name: string | null;
  /** X-WR-TIMEZONE, when it is an IANA zone. */
  timeZone: string | null;
  /** REFRESH-INTERVAL, else X-PUBLISHED-TTL, in ms. */
  refreshMs: number | null;
  events: ParsedEvent[];
  skipped: Skipped[];
  /** Things the reader should know that skipped nothing (a zone read as another). */
  notes: string[];
  /** VEVENTs in the file. */
  total: number;
}

export class IcsError extends Error {}

/** Files with more events are refused whole: a calendar holds 20,000 at most anyway. */
export const MAX_FILE_EVENTS = 20_000;
const BATCH = 250;
const LIMITS = { title: 200, description: 10_000, location: 500, url: 2000 };

interface Block {
  type: string;
  lines: string[];
}

/** The file's VCALENDAR properties and its top-level components, as lines (folded continuations kept with their line). */
export function splitComponents(text: string): { header: string[]; blocks: Block[] } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const header: string[] = [];
  const blocks: Block[] = [];
  let depth = 0;
  let current: Block | null = null;
  let sawCalendar = false;
  for (const raw of lines) {
    if (raw === "") continue;
    const folded = raw[0] === " " || raw[0] === "\t";
    const begin = folded ? null : /^BEGIN:(.+)$/i.exec(raw);
    const end = folded ? null : /^END:(.+)$/i.exec(raw);
    if (begin && begin[1]!.trim().toUpperCase() === "VCALENDAR" && depth === 0) {
      depth = 1;
      sawCalendar = true;
      continue;
    }
    if (depth === 0) {
      if (!sawCalendar && !folded) throw new IcsError("This is not an iCalendar file: it must start with BEGIN:VCALENDAR.");
      continue;
    }
    if (depth === 1) {
      if (end && end[1]!.trim().toUpperCase() === "VCALENDAR") {
        depth = 0;
        continue;
      }
      if (begin) {
        current = { type: begin[1]!.trim().toUpperCase(), lines: [raw] };
        blocks.push(current);
        depth = 2;
      } else header.push(raw);
      continue;
    }
    current!.lines.push(raw);
    if (begin) depth++;
    else if (end) depth--;
  }
  if (!sawCalendar) throw new IcsError("This is not an iCalendar file: it must start with BEGIN:VCALENDAR.");
  if (depth !== 0) throw new IcsError("The file ends in the middle of a component (a BEGIN without its END): it may have been cut off.");
  return { header, blocks };
}

/**
 * The file's bytes as text, unfolded before decoding: folding counts octets, so a writer may fold inside a UTF-8
 * character, which decodes whole only once the fold is gone. A byte that is not UTF-8 becomes U+FFFD.
 */
export function decodeIcs(bytes: Uint8Array): string {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 13 && bytes[i + 1] === 10 && (bytes[i + 2] === 32 || bytes[i + 2] === 9)) i += 2;
    else if (b === 10 && (bytes[i + 1] === 32 || bytes[i + 1] === 9)) i += 1;
    else out[n++] = b;
  }
  return new TextDecoder("utf-8").decode(out.subarray(0, n));
}

const wrap = (lines: readonly string[]) => `BEGIN:VCALENDAR\r\n${lines.join("\r\n")}\r\nEND:VCALENDAR`;

function parseComponents(lines: readonly string[]): ICAL.Component[] {
  return new ICAL.Component(ICAL.parse(wrap(lines)) as unknown as unknown[]).getAllSubcomponents();
}

function durationMs(value: unknown): number | null {
  if (value instanceof ICAL.Duration) return value.toSeconds() * 1000;
  return null;
}

export interface ParseOptions {
  /** Where times in an unknown zone without a VTIMEZONE are read. */
  fallbackZone: string;
  now: number;
  /** Called after each batch of events; the import publishes progress and lets other work run. */
  onBatch?: (done: number, total: number) => Promise<void>;
}

/** Reads an iCalendar text. Throws IcsError when it is not one at all; a broken event is skipped with its reason. */
export async function parseIcs(text: string, options: ParseOptions): Promise<ParsedFile> {
  const { header, blocks } = splitComponents(text);
  const eventBlocks = blocks.filter((b) => b.type === "VEVENT");
  if (eventBlocks.length > MAX_FILE_EVENTS) throw new IcsError(`The file has ${eventBlocks.length.toLocaleString("en")} events; at most ${MAX_FILE_EVENTS.toLocaleString("en")} can be imported at once.`);
  let calendar: ICAL.Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(wrap([...header, ...blocks.filter((b) => b.type === "VTIMEZONE").flatMap((b) => b.lines)])) as unknown as unknown[]);
  } catch (error) {
    throw new IcsError(`The calendar's header or time zones could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const vtimezones = new Map<string, ICAL.Component>();
  for (const tz of calendar.getAllSubcomponents("vtimezone")) {
    const tzid = tz.getFirstPropertyValue("tzid");
    if (typeof tzid === "string") vtimezones.set(tzid, tz);
  }
  const zones = new ZoneResolver(vtimezones, options.fallbackZone, options.now);
  const notes = new Set<string>();
  const file: ParsedFile = { name: headerText(calendar, "x-wr-calname") ?? headerText(calendar, "name"), timeZone: zoneOf(headerText(calendar, "x-wr-timezone")), refreshMs: refreshOf(calendar), events: [], skipped: [], notes: [], total: eventBlocks.length };

  for (let i = 0; i < eventBlocks.length; i += BATCH) {
    const batch = eventBlocks.slice(i, i + BATCH);
    let components: Array<ICAL.Component | { error: string; lines: string[] }>;
    try {
      components = parseComponents(batch.flatMap((b) => b.lines));
    } catch {
      // One broken event spoils its batch's parse: read them one by one to keep the others.
      components = batch.map((b) => {
        try {
          return parseComponents(b.lines)[0]!;
        } catch (error) {
          return { error: error instanceof Error ? error.message : String(error), lines: b.lines };
        }
      });
    }
    for (const component of components) {
      if ("error" in component) file.skipped.push({ uid: rawValue(component.lines, "UID"), title: rawValue(component.lines, "SUMMARY"), reason: `It could not be read: ${component.error}` });
      else {
        const read = readEvent(component, zones, notes);
        if ("reason" in read) file.skipped.push(read);
        else file.events.push(read);
      }
    }
    await options.onBatch?.(Math.min(i + BATCH, eventBlocks.length), eventBlocks.length);
  }
  file.notes = [...notes];
  return file;
}

function headerText(calendar: ICAL.Component, name: string): string | null {
  const value = calendar.getFirstPropertyValue(name);
  return typeof value === "string" && value.trim() ? value.trim().slice(0, 100) : null;
}

const zoneOf = (name: string | null) => (name && isTimeZone(name) ? name : null);

function refreshOf(calendar: ICAL.Component): number | null {
  for (const name of ["refresh-interval", "x-published-ttl"]) {
    try {
      const property = calendar.getFirstProperty(name);
      if (!property) continue;
      const value = property.getFirstValue();
      const ms = value instanceof ICAL.Duration ? durationMs(value) : typeof value === "string" ? durationMs(ICAL.Duration.fromString(value.trim())) : null;
      if (ms !== null && ms > 0) return ms;
    } catch {
      // A malformed interval is as good as none.
    }
  }
  return null;
}

/** A property's text straight from the lines (for reporting an event ical.js could not read). */
function rawValue(lines: readonly string[], name: string): string | null {
  const found = lines.find((l) => l.toUpperCase().startsWith(`${name}:`) || l.toUpperCase().startsWith(`${name};`));
  return found ? found.slice(found.indexOf(":") + 1).slice(0, 200) : null;
}

function textOf(component: ICAL.Component, name: string, max: number): string {
  const value = component.getFirstPropertyValue(name);
  return typeof value === "string" ? value.trim().slice(0, max) : "";
}

const RAW_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?/;

/** The property's `index`th value as written: ical.js quietly rolls 2026-13-45 over into 2027, which we refuse. */
function writtenWall(property: ICAL.Property, index: number): number | null {
  const raw = (property.jCal as unknown[])[3 + index];
  const m = RAW_TIME.exec(String(Array.isArray(raw) ? raw[0] : raw));
  return m ? wallFromFields(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) : null;
}

function clockOf(property: ICAL.Property, value: unknown, index: number, zones: ZoneResolver, notes: Set<string>): Clock {
  const time = value instanceof ICAL.Period ? value.start : value;
  if (!(time instanceof ICAL.Time)) throw new Error(`${property.name.toUpperCase()} is not a date or a time.`);
  const wall = writtenWall(property, index);
  if (wall === null) throw new Error(`${property.name.toUpperCase()} is not a real date or time.`);
  if (time.isDate) return { date: wall };
  if (time.zone === ICAL.Timezone.utcTimezone) return { wall, zone: "UTC" };
  const tzid = property.getParameter("tzid");
  if (typeof tzid !== "string" || tzid === "") return { wall, zone: null };
  const zone: ResolvedZone = zones.resolve(tzid);
  if (zone.note) notes.add(zone.note);
  if (zone.kind === "iana") return { wall, zone: zone.zone };
  const local = ICAL.Time.fromData({ year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second }, zone.timezone);
  return { wall: local.toUnixTime() * 1000, zone: "UTC" };
}

function clocksOf(component: ICAL.Component, name: string, zones: ZoneResolver, notes: Set<string>): Clock[] {
  return component.getAllProperties(name).flatMap((property) => property.getValues().map((value, index) => clockOf(property, value, index, zones, notes)));
}

/** A stable UID for an event that has none, so importing the file again finds it. */
function derivedUid(component: ICAL.Component): string {
  return `${sha256Hex(`${component.getFirstProperty("dtstart")?.toICALString() ?? ""}|${textOf(component, "summary", 200)}`).slice(0, 32)}@import.blockonblock`;
}

function readEvent(component: ICAL.Component, zones: ZoneResolver, notes: Set<string>): ParsedEvent | Skipped {
  const uidValue = component.getFirstPropertyValue("uid");
  const title = textOf(component, "summary", LIMITS.title);
  const uid = typeof uidValue === "string" && uidValue.trim() ? uidValue.trim().slice(0, 500) : null;
  const skip = (reason: string): Skipped => ({ uid, title: title || null, reason });
  try {
    const startProperty = component.getFirstProperty("dtstart");
    if (!startProperty) return skip("It has no start (DTSTART).");
    const start = clockOf(startProperty, startProperty.getFirstValue(), 0, zones, notes);
    const endProperty = component.getFirstProperty("dtend");
    let end: Clock;
    if (endProperty) end = clockOf(endProperty, endProperty.getFirstValue(), 0, zones, notes);
    else {
      const duration = durationMs(component.getFirstPropertyValue("duration"));
      if ("date" in start) end = { date: start.date + Math.max(DAY_MS, Math.round((duration ?? DAY_MS) / DAY_MS) * DAY_MS) };
      else end = { wall: start.wall + Math.max(0, duration ?? 0), zone: start.zone };
    }
    const rules = component.getAllProperties("rrule");
    if (rules.length > 1) notes.add("Some events had more than one RRULE: the first of each was kept.");
    if (component.getFirstProperty("exrule")) notes.add("EXRULE (dropped from iCalendar in 2009) was ignored.");
    const recurrenceProperty = component.getFirstProperty("recurrence-id");
    const url = textOf(component, "url", LIMITS.url);
    const klass = textOf(component, "class", 20).toUpperCase();
    const transp = textOf(component, "transp", 20).toUpperCase();
    const description = textOf(component, "description", LIMITS.description + 1);
    if (description.length > LIMITS.description) notes.add(`Descriptions longer than ${LIMITS.description.toLocaleString("en")} characters were shortened.`);
    return {
      uid: uid ?? derivedUid(component),
      recurrenceId: recurrenceProperty ? clockOf(recurrenceProperty, recurrenceProperty.getFirstValue(), 0, zones, notes) : null,
      cancelled: textOf(component, "status", 20).toUpperCase() === "CANCELLED",
      start,
      end,
      rrule: rules[0] ? rules[0].toICALString().replace(/^RRULE[^:]*:/i, "") : null,
      exdates: clocksOf(component, "exdate", zones, notes),
      rdates: clocksOf(component, "rdate", zones, notes),
      fields: {
        title: title || "(No title)",
        description: description.slice(0, LIMITS.description),
        location: textOf(component, "location", LIMITS.location),
        url: /^https?:\/\/\S+$/i.test(url) ? url : "",
        visibility: klass === "PRIVATE" || klass === "CONFIDENTIAL" ? "private" : "default",
        transparency: transp === "TRANSPARENT" ? "transparent" : transp === "OPAQUE" ? "opaque" : "date" in start ? "transparent" : "opaque",
      },
    };
  } catch (error) {
    return skip(`It could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}
