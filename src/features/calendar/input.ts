// What the calendar's JSON API and forms accept. Times are checked for shape here and for meaning (a real zone,
// end after start, a rule that parses) by the recurrence engine, whose errors name the field too.
import { z } from "zod";
import { MEMBER_ACCESS, SHARE_ACCESS, TRANSPARENCIES, VISIBILITIES, WEEKDAY_KEYS, type WeekdayKey, type WorkingHours } from "./schema";

const id = z.string().min(1).max(64);
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "A colour is written #rrggbb.");
const zone = z.string().min(1).max(64);
const url = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => v === "" || /^https?:\/\/[^\s]+$/i.test(v), "A link starts with https:// (or http://).");

/** Minutes before an occurrence, up to four weeks; at most five. */
const reminderList = z.array(z.number().int().min(0).max(40320, "At most four weeks before.")).max(5, "At most five reminders.").transform((list) => [...new Set(list)].sort((a, b) => a - b));

export const calendarInput = z.object({
  contextType: z.enum(["personal", "business", "household"]).default("personal"),
  contextId: id.optional(),
  name: z.string().trim().min(1, "Give the calendar a name.").max(100),
  description: z.string().trim().max(2000).optional(),
  color: color.optional(),
  timeZone: zone.optional(),
  memberAccess: z.enum(MEMBER_ACCESS).optional(),
  defaultReminders: reminderList.optional(),
});

export const calendarPatch = calendarInput.omit({ contextType: true, contextId: true }).partial();

export const shareInput = z.object({ access: z.enum(SHARE_ACCESS) });

export const viewSettingsInput = z.object({
  timeZone: zone.nullable().optional(),
  hiddenCalendarIds: z.array(id).max(500).optional(),
});

const dateList = z.array(z.string().max(64)).max(1000, "At most 1,000 dates.");

const eventFields = {
  title: z.string().trim().min(1, "Give the event a title.").max(200),
  description: z.string().max(10_000),
  location: z.string().trim().max(500),
  url,
  color: color.nullable(),
  start: z.string().min(1, "Say when it starts.").max(40),
  end: z.string().min(1, "Say when it ends.").max(40),
  timeZone: zone,
  allDay: z.boolean(),
  rrule: z.string().max(2000).nullable(),
  exdates: dateList,
  rdates: dateList,
  attendees: z.array(id).max(200, "At most 200 attendees."),
  reminders: reminderList.nullable(),
  guests: z.array(z.object({ email: z.email("Give an email address.").max(254), name: z.string().trim().max(100).optional() })).max(100, "At most 100 guests by email."),
  visibility: z.enum(VISIBILITIES),
  transparency: z.enum(TRANSPARENCIES),
};

export const eventInput = z.object({
  ...eventFields,
  description: eventFields.description.optional(),
  location: eventFields.location.optional(),
  url: eventFields.url.optional(),
  color: eventFields.color.optional(),
  timeZone: eventFields.timeZone.optional(),
  allDay: eventFields.allDay.default(false),
  rrule: eventFields.rrule.optional(),
  exdates: eventFields.exdates.optional(),
  rdates: eventFields.rdates.optional(),
  attendees: eventFields.attendees.optional(),
  guests: eventFields.guests.optional(),
  reminders: eventFields.reminders.optional(),
  visibility: eventFields.visibility.optional(),
  transparency: eventFields.transparency.optional(),
});
export type EventInput = z.infer<typeof eventInput>;

export const eventPatch = z.object({ ...eventFields, calendarId: id }).partial();
export type EventPatch = z.infer<typeof eventPatch>;

export const scopeQuery = z.object({
  scope: z.enum(["this", "following", "all"]).default("all"),
  occurrence: z.string().max(64).optional(),
});
export type Scope = z.infer<typeof scopeQuery>;

export const windowQuery = z.object({
  from: z.string().min(1).max(40),
  to: z.string().min(1).max(40),
  calendarIds: z.string().max(5000).optional(),
  timeZone: zone.optional(),
});

/** POST /api/calendar/subscriptions and the settings page's subscribe form. */
export const subscriptionInput = z.object({
  url: z.string().trim().min(1, "Give the feed's address.").max(2000),
  name: z.string().trim().max(100).optional(),
  contextId: z.string().trim().min(1).max(64).default("personal"),
  color: color.optional(),
});

export const rsvpInput = z.object({
  status: z.enum(["accepted", "declined", "tentative"], { error: "Answer accepted, declined or tentative." }),
  occurrence: z.string().max(64).optional(),
  comment: z.string().trim().max(500).optional(),
});

export const approvalInput = z.object({ eventId: id, userId: id, approve: z.boolean() });

export const commentInput = z.object({ body: z.string().trim().min(1, "Write something first.").max(2000, "At most 2,000 characters.") });

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "Use a time such as 09:00 (24:00 for the end of the day).");
export const workingPeriod = z.tuple([clock, clock]).refine(([start, end]) => start < end, "A period must end after it starts.");
const workingDay = z.array(workingPeriod).max(4, "At most four periods a day.");
export const workingHoursInput = z.object({
  timeZone: z.string().max(64).nullable().default(null),
  hours: z.object(Object.fromEntries(WEEKDAY_KEYS.map((key) => [key, workingDay.default([])])) as Record<WeekdayKey, z.ZodDefault<typeof workingDay>>),
});

/** A day's periods may not overlap: the errors, keyed `hours.<day>` (empty when none). */
export function overlapErrors(hours: WorkingHours): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const key of WEEKDAY_KEYS) {
    const sorted = [...hours[key]].sort(([a], [b]) => a.localeCompare(b));
    for (let i = 1; i < sorted.length; i++) if (sorted[i]![0] < sorted[i - 1]![1]) errors[`hours.${key}`] = ["The periods of a day may not overlap."];
  }
  return errors;
}
