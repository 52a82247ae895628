// The calendar's personal data: a person's own calendars (with their events), the events they made in others'
// calendars, where they are invited, who they shared with and their view settings. Events they made in a
// business's or household's calendar stay with that calendar (its other people rely on them); the maker becomes null.
import { eq, inArray, or } from "drizzle-orm";
import { users } from "../auth";
import type { PersonalDataSource } from "../privacy";
import { calendarAttendees, calendarComments, calendarEvents, calendarFeeds, calendarGuests, calendarRemindersSent, calendars, calendarShares, calendarSubscriptions, calendarViewSettings, calendarWorkingHours } from "./schema";

const iso = (at: number) => new Date(at).toISOString();

export const calendarPersonalData: PersonalDataSource = {
  feature: "calendar",
  tables: [
    { table: calendars, columns: ["owner_id", "created_by"], erasure: "cascade", note: "personal calendars go with their events; who made a business's or household's calendar becomes null" },
    { table: calendarShares, columns: ["user_id", "shared_by"], erasure: "cascade", note: "shares given to the person go; who gave a share becomes null" },
    { table: calendarViewSettings, columns: ["user_id"], erasure: "cascade" },
    { table: calendarEvents, columns: ["created_by"], erasure: "anonymize", note: "events in shared calendars stay for the context; who made them becomes null (personal calendars' events go with the calendar)" },
    { table: calendarAttendees, columns: ["user_id"], erasure: "cascade" },
    { table: calendarFeeds, columns: ["user_id"], erasure: "cascade", note: "subscription addresses stop working" },
    { table: calendarWorkingHours, columns: ["user_id"], erasure: "cascade" },
    { table: calendarGuests, columns: ["email"], erasure: "delete", note: "invitations by email to the person's address (as a guest without an account) go" },
    { table: calendarRemindersSent, columns: ["user_id"], erasure: "cascade", note: "which reminders were sent to the person (kept 35 days) go" },
    { table: calendarComments, columns: ["user_id"], erasure: "delete", note: "what the person wrote on events goes" },
    { table: calendarSubscriptions, columns: ["created_by"], erasure: "anonymize", note: "a subscription of a business's or household's calendar stays for the context; who added it becomes null (a personal one goes with the calendar)" },
  ],
  async exportFor(db, userId) {
    const [me] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
    const [own, settings, shares, invited, feeds, hours, subscriptions, comments, asGuest] = await Promise.all([
      db.select().from(calendars).where(eq(calendars.ownerId, userId)),
      db.select().from(calendarViewSettings).where(eq(calendarViewSettings.userId, userId)),
      db.select().from(calendarShares).where(or(eq(calendarShares.userId, userId), eq(calendarShares.sharedBy, userId))),
      db.select({ eventId: calendarAttendees.eventId, status: calendarAttendees.status, comment: calendarAttendees.comment, occurrenceAnswers: calendarAttendees.occurrenceAnswers }).from(calendarAttendees).where(eq(calendarAttendees.userId, userId)),
      db.select({ calendarId: calendarFeeds.calendarId, createdAt: calendarFeeds.createdAt, lastUsedAt: calendarFeeds.lastUsedAt }).from(calendarFeeds).where(eq(calendarFeeds.userId, userId)),
      db.select().from(calendarWorkingHours).where(eq(calendarWorkingHours.userId, userId)),
      db.select({ calendarId: calendarSubscriptions.calendarId, url: calendarSubscriptions.url, createdAt: calendarSubscriptions.createdAt }).from(calendarSubscriptions).where(eq(calendarSubscriptions.createdBy, userId)),
      db.select().from(calendarComments).where(eq(calendarComments.userId, userId)),
      me ? db.select().from(calendarGuests).where(eq(calendarGuests.email, me.email.toLowerCase())) : Promise.resolve([]),
    ]);
    const ownIds = own.map((c) => c.id);
    const events = await db
      .select()
      .from(calendarEvents)
      .where(ownIds.length ? or(inArray(calendarEvents.calendarId, ownIds), eq(calendarEvents.createdBy, userId)) : eq(calendarEvents.createdBy, userId));
    return {
      calendars: own.map((c) => ({ id: c.id, name: c.name, description: c.description, color: c.color, timeZone: c.timeZone, isPrimary: c.isPrimary, createdAt: iso(c.createdAt) })),
      events: events.map((e) => ({
        id: e.id,
        uid: e.uid,
        calendarId: e.calendarId,
        inYourCalendar: ownIds.includes(e.calendarId),
        madeByYou: e.createdBy === userId,
        title: e.title,
        description: e.description,
        location: e.location,
        url: e.url,
        start: e.start,
        end: e.end,
        timeZone: e.timeZone,
        allDay: e.allDay,
        rrule: e.rrule,
        exdates: e.exdates,
        rdates: e.rdates,
        overrides: e.overrides,
        visibility: e.visibility,
        transparency: e.transparency,
        createdAt: iso(e.createdAt),
        updatedAt: iso(e.updatedAt),
      })),
      invitations: invited,
      comments: comments.map((c) => ({ eventId: c.eventId, body: c.body, createdAt: iso(c.createdAt) })),
      invitationsByEmail: asGuest.map((g) => ({ eventId: g.eventId, email: g.email, name: g.name, status: g.status, comment: g.comment, createdAt: iso(g.createdAt) })),
      shares: shares.map((s) => ({ calendarId: s.calendarId, access: s.access, sharedWithYou: s.userId === userId, sharedByYou: s.sharedBy === userId, createdAt: iso(s.createdAt) })),
      viewSettings: settings[0] ? { timeZone: settings[0].timeZone, hiddenCalendarIds: settings[0].hiddenCalendarIds } : null,
      // The addresses themselves are not kept (only a hash of each), so they cannot be exported.
      subscriptionAddresses: feeds.map((f) => ({ calendarId: f.calendarId, createdAt: iso(f.createdAt), lastUsedAt: f.lastUsedAt === null ? null : iso(f.lastUsedAt) })),
      workingHours: hours[0] ? { timeZone: hours[0].timeZone, hours: hours[0].hours } : null,
      subscriptionsYouAdded: subscriptions.map((s) => ({ calendarId: s.calendarId, url: s.url, createdAt: iso(s.createdAt) })),
    };
  },
  async erase({ tx, userId }) {
    const [me] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    const results = await Promise.all([
      me ? tx.delete(calendarGuests).where(eq(calendarGuests.email, me.email.toLowerCase())) : Promise.resolve({ rowsAffected: 0 }),
      tx.delete(calendars).where(eq(calendars.ownerId, userId)),
      tx.update(calendars).set({ createdBy: null }).where(eq(calendars.createdBy, userId)),
      tx.delete(calendarShares).where(eq(calendarShares.userId, userId)),
      tx.update(calendarShares).set({ sharedBy: null }).where(eq(calendarShares.sharedBy, userId)),
      tx.delete(calendarViewSettings).where(eq(calendarViewSettings.userId, userId)),
      tx.update(calendarEvents).set({ createdBy: null }).where(eq(calendarEvents.createdBy, userId)),
      tx.delete(calendarAttendees).where(eq(calendarAttendees.userId, userId)),
      tx.delete(calendarFeeds).where(eq(calendarFeeds.userId, userId)),
      tx.delete(calendarWorkingHours).where(eq(calendarWorkingHours.userId, userId)),
      tx.update(calendarSubscriptions).set({ createdBy: null }).where(eq(calendarSubscriptions.createdBy, userId)),
      tx.delete(calendarComments).where(eq(calendarComments.userId, userId)),
      tx.delete(calendarRemindersSent).where(eq(calendarRemindersSent.userId, userId)),
    ]);
    return results.reduce((sum, r) => sum + r.rowsAffected, 0);
  },
};
