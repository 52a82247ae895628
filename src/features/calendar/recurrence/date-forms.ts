// EXDATE, RDATE and RECURRENCE-ID values in whatever form they arrive, brought to the series' own wall clock:
//   a UTC instant     2026-03-08T14:00:00Z, 20260308T140000Z, 2026-03-08T09:00-05:00
//   a zoned time      TZID=America/New_York:20260308T090000, 2026-03-08T09:00[America/New_York]
//   a floating time   2026-03-08T09:00, 20260308T090000
//   a date            2026-03-08, 20260308, VALUE=DATE:20260308
import { placeWallClock, isTimeZone, wallClockAt } from "./zone";
import { startOfDay, wallFromFields, type Zone } from "./wall-clock";

export type DateForm =
  | { kind: "instant"; utcMs: number }
  | { kind: "zoned"; wall: number; zone: string }
  | { kind: "floating"; wall: number }
  | { kind: "date"; wall: number };

const TIME = /^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2})(?::?(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?(?:\[([^\]]+)\])?)?$/;

/** Parses one value in any of the forms above; null when it is none of them (or names an unknown zone). */
export function parseDateForm(text: string): DateForm | null {
  let value = text.trim();
  let zone: string | null = null;
  const param = /^(?:VALUE=DATE(?:-TIME)?|TZID=([^:;]+))[:;](.*)$/i.exec(value);
  if (param) {
    zone = param[1] ?? null;
    value = param[2]!.trim();
  }
  const m = TIME.exec(value);
  if (!m) return null;
  const wall = wallFromFields(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  if (wall === null) return null;
  if (m[4] === undefined) return zone === null ? { kind: "date", wall } : null;
  const suffix = m[7];
  zone = m[8] ?? zone;
  if (zone !== null && !isTimeZone(zone)) return null;
  if (suffix === "Z") return { kind: "instant", utcMs: wall };
  if (suffix) {
    const sign = suffix[0] === "-" ? -1 : 1;
    const digits = suffix.slice(1).replace(":", "");
    return { kind: "instant", utcMs: wall - sign * (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60_000 };
  }
  return zone === null ? { kind: "floating", wall } : { kind: "zoned", wall, zone };
}

/**
 * A parsed value as the series' wall-clock time: `{date}` for a date (matching a whole day), `{wall}` otherwise.
 * Instants are read in the series' zone (a floating series reads UTC digits, as RFC 5545 gives it no zone); a
 * zoned value is placed in its own zone first. An all-day series keeps only the date.
 */
export function toSeriesClock(form: DateForm, seriesZone: Zone, allDay: boolean): { date: number } | { wall: number } {
  let wall: number;
  if (form.kind === "date") return { date: form.wall };
  if (form.kind === "floating") wall = form.wall;
  else if (form.kind === "instant") wall = wallClockAt(form.utcMs, seriesZone);
  else wall = seriesZone === null ? form.wall : wallClockAt(placeWallClock(form.wall, form.zone), seriesZone);
  return allDay ? { date: startOfDay(wall) } : { wall };
}
