// The drawer's event form: what it shows for a new event, a series or one occurrence of it, and the API input
// (a new event, or the patch for the chosen scope) it stands for. Pure, so the rules are tested without pages.
import { z } from "zod";
import type { EventInput, EventPatch } from "./input";
import { DAY_MS, expand, formatLocalDate, formatLocalDateTime, parseLocalDate, parseLocalDateTime, placeWallClock, type Occurrence } from "./recurrence";
import { DEFAULT_FIELDS, fromRRule, recurrenceFields, toRRule, type RecurrenceFields } from "./recurrence-form";
import type { CalendarEventRow, OccurrenceData } from "./schema";

export const eventForm = recurrenceFields.extend({
  title: z.string().trim().max(200).default(""),
  calendarId: z.string().max(64).default(""),
  allDay: z.literal("on").optional(),
  startDate: z.string().max(10).default(""),
  startTime: z.string().max(5).default(""),
  endDate: z.string().max(10).default(""),
  endTime: z.string().max(5).default(""),
  timeZone: z.string().trim().max(64).default(""),
  location: z.string().trim().max(500).default(""),
  url: z.string().trim().max(2000).default(""),
  description: z.string().max(10_000).default(""),
  visibility: z.enum(["default", "private"]).default("default"),
  transparency: z.enum(["opaque", "transparent"]).default("opaque"),
  attendees: z
    .union([z.string().max(64), z.array(z.string().max(64)).max(200)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
  reminders: z
    .union([z.string().max(8), z.array(z.string().max(8)).max(20)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(Number).filter((n) => Number.isInteger(n) && n >= 0 && n <= 40320)),
  /** The form carried its reminder boxes (so none ticked means "no reminders", not "not sent"). */
  remindersShown: z.literal("1").optional(),
  guests: z.string().max(20_000).default(""),
  scope: z.enum(["this", "following", "all"]).optional(),
  occurrence: z.string().max(64).optional(),
});
export type EventFormInput = z.infer<typeof eventForm>;

/** What the form shows: strings in the fields' own shapes. */
export interface EventFormValues {
  title: string;
  calendarId: string;
  allDay: boolean;
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  timeZone: string;
  location: string;
  url: string;
  description: string;
  visibility: "default" | "private";
  transparency: "opaque" | "transparent";
  attendees: string[];
  /** Minutes before; the event's own, else its calendar's defaults. */
  reminders: number[];
  /** Guests by email, one per line. */
  guests: string;
  recurrence: RecurrenceFields;
}

/** The guests box as addresses: split on commas, semicolons and line breaks; a wrong one is a failure naming it. */
export function guestsOf(text: string): { guests: { email: string }[] } | { errors: Record<string, string[]> } {
  const emails = [...new Set(text.split(/[\s,;]+/).map((e) => e.trim().toLowerCase()).filter(Boolean))].sort();
  const bad = emails.find((e) => !z.email().safeParse(e).success);
  if (bad) return { errors: { guests: [`“${bad.slice(0, 80)}” is not an email address.`] } };
  if (emails.length > 100) return { errors: { guests: ["At most 100 guests by email."] } };
  return { guests: emails.map((email) => ({ email })) };
}

const split = (value: string, allDay: boolean): [string, string] => (allDay ? [value, ""] : [value.slice(0, 10), value.slice(11, 16)]);
const dayBefore = (date: string) => formatLocalDate(parseLocalDate(date)! - DAY_MS);
const dayAfter = (date: string) => formatLocalDate(parseLocalDate(date)! + DAY_MS);

/** A new event on a day (at an hour, or all day), an hour long unless said. */
export function newEventValues(calendarId: string, zone: string, date: string, time: string | null, reminders: number[] = [], minutes = 60): EventFormValues {
  const allDay = time === null;
  const startWall = parseLocalDateTime(`${date}T${time ?? "09:00"}`)!;
  const [endDate, endTime] = split(formatLocalDateTime(startWall + minutes * 60_000), false);
  return { title: "", calendarId, allDay, startDate: date, startTime: time ?? "09:00", endDate: allDay ? date : endDate, endTime: allDay ? "10:00" : endTime, timeZone: zone, location: "", url: "", description: "", visibility: "default", transparency: "opaque", attendees: [], reminders, guests: "", recurrence: DEFAULT_FIELDS };
}

/** One occurrence of a series by its recurrence id (as the grid links it), or null when it is not one. */
export function findOccurrence(row: CalendarEventRow, recurrenceId: string, zone: string): Occurrence<OccurrenceData> | null {
  const wall = row.allDay ? parseLocalDate(recurrenceId) : parseLocalDateTime(recurrenceId);
  if (wall === null) return null;
  const at = placeWallClock(wall, row.allDay ? zone : row.timeZone);
  try {
    const { occurrences } = expand({ start: row.start, end: row.end, zone: row.allDay ? null : row.timeZone, rrule: row.rrule, exdates: row.exdates, rdates: row.rdates, overrides: row.overrides }, { from: at - 3 * DAY_MS, to: at + 3 * DAY_MS }, { floatingZone: zone, maxOccurrences: 500 });
    return occurrences.find((o) => o.recurrenceId === recurrenceId) ?? null;
  } catch {
    return null;
  }
}

/** The form for a stored event, or for one occurrence of it (its own times and changed fields). */
export function eventValues(row: CalendarEventRow, attendees: string[], occurrence: Occurrence<OccurrenceData> | null, extra: { guests?: string[]; calendarReminders?: number[] } = {}): EventFormValues {
  const data = occurrence?.override?.data ?? {};
  const start = occurrence?.start ?? row.start;
  const end = occurrence?.end ?? row.end;
  const [startDate, startTime] = split(start, row.allDay);
  const [endDate, endTime] = split(row.allDay ? dayBefore(end) : end, row.allDay);
  return {
    title: data.title ?? row.title,
    calendarId: row.calendarId,
    allDay: row.allDay,
    startDate,
    startTime: startTime || "09:00",
    endDate,
    endTime: endTime || "10:00",
    timeZone: row.timeZone ?? "",
    location: data.location ?? row.location,
    url: data.url ?? row.url,
    description: data.description ?? row.description,
    visibility: data.visibility ?? row.visibility,
    transparency: data.transparency ?? row.transparency,
    attendees,
    reminders: row.reminders ?? extra.calendarReminders ?? [],
    guests: (extra.guests ?? []).join("\n"),
    recurrence: fromRRule(row.rrule, row.start, row.timeZone),
  };
}

type Failure = { errors: Record<string, string[]> };
const fail = (field: string, message: string): Failure => ({ errors: { [field]: [message] } });

function times(form: EventFormInput): { start: string; end: string } | Failure {
  const allDay = form.allDay === "on";
  if (!parseLocalDate(form.startDate)) return fail("startDate", "Choose the date it starts.");
  if (!parseLocalDate(form.endDate)) return fail("endDate", "Choose the date it ends.");
  if (allDay) {
    if (form.endDate < form.startDate) return fail("endDate", "The last day must not be before the first.");
    return { start: form.startDate, end: dayAfter(form.endDate) };
  }
  if (!/^\d{2}:\d{2}$/.test(form.startTime) || !parseLocalDateTime(`${form.startDate}T${form.startTime}`)) return fail("startTime", "Choose the time it starts.");
  if (!/^\d{2}:\d{2}$/.test(form.endTime) || !parseLocalDateTime(`${form.endDate}T${form.endTime}`)) return fail("endTime", "Choose the time it ends.");
  return { start: `${form.startDate}T${form.startTime}`, end: `${form.endDate}T${form.endTime}` };
}

/** The form as a new event for the API. */
export function createInput(form: EventFormInput): { input: EventInput } | Failure {
  const t = times(form);
  if ("errors" in t) return t;
  if (!form.title) return fail("title", "Give the event a title.");
  const allDay = form.allDay === "on";
  const rule = toRRule(form, t.start, allDay ? null : form.timeZone || null);
  if ("field" in rule) return fail(rule.field, rule.message);
  const guests = guestsOf(form.guests);
  if ("errors" in guests) return guests;
  return {
    input: {
      title: form.title,
      start: t.start,
      end: t.end,
      allDay,
      ...(allDay || !form.timeZone ? {} : { timeZone: form.timeZone }),
      rrule: rule.rrule,
      description: form.description,
      location: form.location,
      url: form.url,
      visibility: form.visibility,
      transparency: form.transparency,
      attendees: form.attendees,
      ...(form.remindersShown ? { reminders: form.reminders } : {}),
      ...(guests.guests.length ? { guests: guests.guests } : {}),
    },
  };
}

const shiftBy = (value: string, ms: number, allDay: boolean) => (allDay ? formatLocalDate(parseLocalDate(value)! + ms) : formatLocalDateTime(parseLocalDateTime(value)! + ms));
const wallOf = (value: string) => (value.includes("T") ? parseLocalDateTime(value)! : parseLocalDate(value)!);

/**
 * The form as the patch for its scope. For one occurrence only what differs from it is sent; for the series
 * ("all") a change of the occurrence's times moves the series by the same amount; the rule is sent only when the
 * editor's fields changed (so a split keeps its COUNT arithmetic).
 */
export function updateInput(form: EventFormInput, row: CalendarEventRow, shown: EventFormValues, occurrence: Occurrence<OccurrenceData> | null): { patch: EventPatch } | Failure {
  const t = times(form);
  if ("errors" in t) return t;
  if (!form.title) return fail("title", "Give the event a title.");
  const allDay = form.allDay === "on";
  const scope = row.rrule ? (form.scope ?? "this") : "all";
  const before = { start: occurrence?.start ?? row.start, end: occurrence?.end ?? row.end };
  const timesChanged = t.start !== before.start || t.end !== before.end || allDay !== row.allDay;
  const patch: EventPatch = {};
  const data: (keyof OccurrenceData & keyof EventFormValues)[] = ["title", "location", "url", "description", "visibility", "transparency"];
  for (const key of data) if (form[key] !== shown[key]) Object.assign(patch, { [key]: form[key] });
  if (scope === "this") {
    if (timesChanged) Object.assign(patch, { start: t.start, end: t.end });
    if (allDay !== row.allDay) return fail("allDay", "One occurrence cannot change between all-day and timed: change the whole series.");
    return { patch };
  }
  if (form.calendarId && form.calendarId !== row.calendarId) patch.calendarId = form.calendarId;
  if ([...form.attendees].sort().join() !== [...shown.attendees].sort().join()) patch.attendees = form.attendees;
  if (form.remindersShown && [...form.reminders].sort((a, b) => a - b).join() !== shown.reminders.join()) patch.reminders = form.reminders;
  const guests = guestsOf(form.guests);
  if ("errors" in guests) return guests;
  const guestsBefore = guestsOf(shown.guests);
  if (!("errors" in guestsBefore) && guests.guests.map((g) => g.email).join("\n") !== guestsBefore.guests.map((g) => g.email).join("\n")) patch.guests = guests.guests;
  if (!allDay && form.timeZone && form.timeZone !== (row.timeZone ?? "")) patch.timeZone = form.timeZone;
  if (allDay !== row.allDay) Object.assign(patch, { allDay, start: t.start, end: t.end });
  else if (timesChanged) {
    if (scope === "all" && occurrence) {
      // The occurrence moved by some amount: the series moves by the same, keeping the new length.
      const delta = wallOf(t.start) - wallOf(before.start);
      const start = shiftBy(row.start, delta, row.allDay);
      Object.assign(patch, { start, end: shiftBy(start, wallOf(t.end) - wallOf(t.start), row.allDay) });
    } else Object.assign(patch, { start: t.start, end: t.end });
  }
  const ruleStart = patch.start ?? (scope === "following" ? t.start : row.start);
  const rule = toRRule(form, ruleStart, allDay ? null : form.timeZone || row.timeZone);
  if ("field" in rule) return fail(rule.field, rule.message);
  const unchanged = toRRule(shown.recurrence, ruleStart, allDay ? null : form.timeZone || row.timeZone);
  if (!("field" in unchanged) && unchanged.rrule === rule.rrule && shown.recurrence.repeat === form.repeat) return { patch };
  patch.rrule = rule.rrule ?? "";
  return { patch };
}
