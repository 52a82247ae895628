// Sending reminders: the scheduled job (every 15 s on Bun, every minute from the Workers' Cron Trigger) finds the
// occurrences — moved ones at their new time — whose reminders are due since a quarter of an hour, and for each
// person to remind (the organizer, and the attendees who have not declined that occurrence) claims the reminder by
// inserting its row in calendar_reminders_sent; the instance whose insert lands sends it, as a notification (and by
// email at once, when the person chose "Email too" for reminders). So a reminder goes once, across restarts and
// however many instances run the job.
import { and, eq, gt, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { writeTransaction } from "../../../db/transaction";
import type { Deps } from "../../../deps";
import { publicLink } from "../../../config";
import { claimForImmediateEmail, notify } from "../../notifications";
import { seriesOf } from "../event-series";
import { DAY_MS, expand, formatLocalDateTime, MINUTE_MS, wallClockAt } from "../recurrence";
import { calendarAttendees, calendarEvents, calendarRemindersSent, calendars, calendarViewSettings, type CalendarEventRow } from "../schema";
import { statusFor } from "../rsvp/rsvp-rules";
import { fireAt, leadText, MAX_LEAD_MINUTES } from "./reminder-rules";

/** How late a reminder may still go (after a restart or a missed run); older ones are dropped as noise. */
export const LOOKBACK_MS = 15 * MINUTE_MS;
const SENT_KEPT_MS = 35 * DAY_MS;

interface Due {
  event: CalendarEventRow;
  userId: string;
  occurrence: string;
  minutes: number;
  title: string;
}

const hasAny = (column: typeof calendarEvents.reminders | typeof calendars.defaultReminders) => sql`(${column} is not null and ${column} != '[]')`;

/** The reminders due now, not yet sent, and each one's words. */
async function dueReminders(deps: Pick<Deps, "db">, now: number): Promise<Due[]> {
  const horizon = now + MAX_LEAD_MINUTES * MINUTE_MS + 2 * DAY_MS;
  const rows = await deps.db
    .select({ event: calendarEvents, calendar: calendars })
    .from(calendarEvents)
    .innerJoin(calendars, eq(calendars.id, calendarEvents.calendarId))
    .where(and(or(hasAny(calendarEvents.reminders), and(isNull(calendarEvents.reminders), hasAny(calendars.defaultReminders))), lt(calendarEvents.firstStartMs, horizon), or(isNull(calendarEvents.lastEndMs), gt(calendarEvents.lastEndMs, now - LOOKBACK_MS - DAY_MS))));
  if (rows.length === 0) return [];
  const eventIds = rows.map((r) => r.event.id);
  const attendees = await deps.db.select().from(calendarAttendees).where(inArray(calendarAttendees.eventId, eventIds));
  const invitedTo = new Map<string, typeof attendees>();
  for (const a of attendees) invitedTo.set(a.eventId, [...(invitedTo.get(a.eventId) ?? []), a]);
  const people = new Set([...rows.flatMap((r) => (r.event.createdBy ? [r.event.createdBy] : [])), ...attendees.map((a) => a.userId)]);
  const zones = new Map((await deps.db.select({ userId: calendarViewSettings.userId, timeZone: calendarViewSettings.timeZone }).from(calendarViewSettings).where(inArray(calendarViewSettings.userId, [...people]))).map((z) => [z.userId, z.timeZone]));
  const due: Due[] = [];
  for (const { event, calendar } of rows) {
    const leads = event.reminders ?? calendar.defaultReminders;
    const longest = Math.max(...leads);
    let occurrences;
    try {
      occurrences = expand(seriesOf(event), { from: now - LOOKBACK_MS, to: now + longest * MINUTE_MS + 2 * DAY_MS }, { floatingZone: calendar.timeZone, maxOccurrences: 500 }).occurrences;
    } catch {
      continue;
    }
    const invited = invitedTo.get(event.id) ?? [];
    const recipients = [...new Set([...(event.createdBy ? [event.createdBy] : []), ...invited.map((a) => a.userId)])];
    for (const o of occurrences) {
      for (const userId of recipients) {
        const answer = invited.find((a) => a.userId === userId);
        if (answer && statusFor(answer, o.recurrenceId) === "declined") continue;
        const zone = zones.get(userId) ?? calendar.timeZone;
        for (const minutes of leads) {
          const at = fireAt(o, minutes, zone);
          if (at > now || at <= now - LOOKBACK_MS) continue;
          const title = o.override?.data?.title ?? event.title;
          const when = o.allDay ? (minutes < 1440 ? "today" : minutes < 2880 ? "tomorrow" : `on ${o.start.slice(0, 10)}`) : `at ${formatLocalDateTime(wallClockAt(o.startUtcMs, zone)).slice(11, 16)}${minutes >= 1440 ? ` on ${formatLocalDateTime(wallClockAt(o.startUtcMs, zone)).slice(0, 10)}` : ""} (${zone})`;
          due.push({ event, userId, occurrence: `${o.recurrenceId}|${o.startUtcMs}`, minutes, title: `Reminder: “${title}” ${when} — ${leadText(minutes)}` });
        }
      }
    }
  }
  return due;
}

/** Sends what is due; returns how many this instance sent (the others' claims landed first). */
export async function sendDueReminders(deps: Deps): Promise<number> {
  const now = deps.now();
  let sent = 0;
  for (const reminder of await dueReminders(deps, now)) {
    const mail = await writeTransaction(deps.db, async (tx) => {
      const claimed = await tx.insert(calendarRemindersSent).values({ eventId: reminder.event.id, userId: reminder.userId, occurrence: reminder.occurrence, minutes: reminder.minutes, sentAt: now }).onConflictDoNothing();
      if (claimed.rowsAffected !== 1) return undefined;
      const id = await notify(tx, deps, reminder.userId, { kind: "calendar.reminder", title: reminder.title, url: `/calendar/events/${reminder.event.id}` });
      // "Email too": at once, not in the digest (which would send it late).
      return id ? claimForImmediateEmail(tx, now, id) : null;
    });
    if (mail === undefined) continue;
    sent++;
    if (mail) await deps.mailer.send({ to: mail, subject: reminder.title, text: `${reminder.title}\n\n${reminder.event.location ? `Where: ${reminder.event.location}\n` : ""}Open it: ${publicLink(deps.config, `/calendar/events/${reminder.event.id}`)}` }, {});
  }
  await writeTransaction(deps.db, (tx) => tx.delete(calendarRemindersSent).where(lt(calendarRemindersSent.sentAt, now - SENT_KEPT_MS)));
  return sent;
}
