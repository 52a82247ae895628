import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../auth/schema";
import type { Override } from "./recurrence";

export const CALENDAR_CONTEXTS = ["personal", "business", "household"] as const;
export type CalendarContext = (typeof CALENDAR_CONTEXTS)[number];
/** What a share grants one person. */
export const SHARE_ACCESS = ["read", "write", "freebusy"] as const;
export type ShareAccess = (typeof SHARE_ACCESS)[number];
/** What the context's ordinary members (business members, household teens and children) get without a share. */
export const MEMBER_ACCESS = ["default", "freebusy", "none"] as const;
export type MemberAccess = (typeof MEMBER_ACCESS)[number];
export const VISIBILITIES = ["default", "private"] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const TRANSPARENCIES = ["opaque", "transparent"] as const;
export type Transparency = (typeof TRANSPARENCIES)[number];

/**
 * A calendar of one context: a person's own (personal, context_id = owner_id), a business's or a household's.
 * Each context has exactly one primary calendar, made by the triggers of migration 0019 in the transaction that
 * makes the user, business or household (and, by that migration, for every one that existed before).
 */
export const calendars = sqliteTable(
  "calendars",
  {
    id: text("id").primaryKey(),
    contextType: text("context_type", { enum: CALENDAR_CONTEXTS }).notNull(),
    contextId: text("context_id").notNull(),
    /** Personal calendars only: whose it is (their erasure takes it, with its events). */
    ownerId: text("owner_id").references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    color: text("color").notNull().default("#2563eb"),
    timeZone: text("time_zone").notNull().default("UTC"),
    isPrimary: integer("is_primary", { mode: "boolean" }).notNull().default(false),
    memberAccess: text("member_access", { enum: MEMBER_ACCESS }).notNull().default("default"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** When anything it shows last changed (its fields, events, shares): what feeds answer Last-Modified and ETag from. */
    changedAt: integer("changed_at").notNull().default(0),
    /** A copy of an outside feed (calendar_subscriptions): its events are the feed's, read-only to everyone. */
    subscribed: integer("subscribed", { mode: "boolean" }).notNull().default(false),
    /** Reminders (minutes before) for its events that set none of their own. */
    defaultReminders: text("default_reminders", { mode: "json" }).$type<number[]>().notNull().default([]),
  },
  (t) => [
    index("calendars_context_idx").on(t.contextType, t.contextId),
    uniqueIndex("calendars_primary_idx").on(t.contextType, t.contextId).where(sql`${t.isPrimary} = 1`),
    index("calendars_owner_idx").on(t.ownerId),
    check("calendars_context_check", sql`${t.contextType} in ('personal', 'business', 'household')`),
  ],
);

/** One person given access to a calendar beyond what their role in its context gives. */
export const calendarShares = sqliteTable(
  "calendar_shares",
  {
    calendarId: text("calendar_id")
      .notNull()
      .references(() => calendars.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    access: text("access", { enum: SHARE_ACCESS }).notNull(),
    sharedBy: text("shared_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.userId] }), index("calendar_shares_user_idx").on(t.userId)],
);

/** A person's view settings: their zone, and the calendars they turned off in the overlay. */
export const calendarViewSettings = sqliteTable("calendar_view_settings", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  timeZone: text("time_zone"),
  hiddenCalendarIds: text("hidden_calendar_ids", { mode: "json" }).$type<string[]>().notNull().default([]),
  updatedAt: integer("updated_at").notNull(),
});

/** What one occurrence may change besides its times (RECURRENCE-ID overrides carry it). */
export type OccurrenceData = Partial<{ title: string; description: string; location: string; url: string; color: string | null; visibility: Visibility; transparency: Transparency }>;

/**
 * An event or a recurring series: wall-clock start and end in `time_zone` (null: floating), or dates for
 * all-day events (end exclusive). `first_start_ms`/`last_end_ms` bound every occurrence in UTC (null: no end),
 * so a window query reads only the rows that can overlap it.
 */
export const calendarEvents = sqliteTable(
  "calendar_events",
  {
    id: text("id").primaryKey(),
    calendarId: text("calendar_id")
      .notNull()
      .references(() => calendars.id, { onDelete: "cascade" }),
    /** The iCalendar UID (export and invitations use it); a "this and following" split starts a new one. */
    uid: text("uid").notNull(),
    /** An imported occurrence whose series was not imported: its RECURRENCE-ID (with the UID, what a later import matches). */
    recurrenceId: text("recurrence_id"),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    location: text("location").notNull().default(""),
    url: text("url").notNull().default(""),
    color: text("color"),
    start: text("start").notNull(),
    end: text("end").notNull(),
    timeZone: text("time_zone"),
    allDay: integer("all_day", { mode: "boolean" }).notNull().default(false),
    rrule: text("rrule"),
    exdates: text("exdates", { mode: "json" }).$type<string[]>().notNull().default([]),
    rdates: text("rdates", { mode: "json" }).$type<string[]>().notNull().default([]),
    overrides: text("overrides", { mode: "json" }).$type<Override<OccurrenceData>[]>().notNull().default([]),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("default"),
    transparency: text("transparency", { enum: TRANSPARENCIES }).notNull().default("opaque"),
    /** Reminders, in minutes before each occurrence (all-day: days before, at 09:00 the person's time); null: the calendar's. */
    reminders: text("reminders", { mode: "json" }).$type<number[] | null>(),
    /** iCalendar SEQUENCE: bumped on every change that invitees would need to hear about. */
    sequence: integer("sequence").notNull().default(0),
    firstStartMs: integer("first_start_ms").notNull(),
    lastEndMs: integer("last_end_ms"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("calendar_events_window_idx").on(t.calendarId, t.firstStartMs), index("calendar_events_created_by_idx").on(t.createdBy), index("calendar_events_uid_idx").on(t.calendarId, t.uid)],
);

export const RSVP_STATUSES = ["needs-action", "accepted", "declined", "tentative"] as const;
export type RsvpStatus = (typeof RSVP_STATUSES)[number];
/** An answer for one occurrence of a series, keyed by its recurrence id (the occurrence's original start). */
export type OccurrenceAnswers = Record<string, { status: RsvpStatus; comment?: string }>;
/** A teen's answer to an event outside their household, waiting for a guardian. */
export type PendingAnswer = { status: RsvpStatus; occurrence: string | null; comment: string | null; askedAt: number };

/** An answer to an invitation, the same for attendees and guests: the series' own, its note, and per occurrence. */
const answerColumns = () => ({
  status: text("status", { enum: RSVP_STATUSES }).notNull().default("needs-action"),
  comment: text("comment"),
  respondedAt: integer("responded_at"),
  occurrenceAnswers: text("occurrence_answers", { mode: "json" }).$type<OccurrenceAnswers>().notNull().default({}),
});

/** People of the context invited to an event, and their answers (for the whole series, and per occurrence). */
export const calendarAttendees = sqliteTable(
  "calendar_attendees",
  {
    eventId: text("event_id")
      .notNull()
      .references(() => calendarEvents.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ...answerColumns(),
    pending: text("pending", { mode: "json" }).$type<PendingAnswer | null>(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] }), index("calendar_attendees_user_idx").on(t.userId)],
);

export type CalendarRow = typeof calendars.$inferSelect;
export type CalendarEventRow = typeof calendarEvents.$inferSelect;

/**
 * A secret subscription address (/ical/<token>.ics) of one calendar for one person: other apps read the calendar
 * through it as that person may see it now (a free/busy share gives busy blocks). Only the token's hash is kept;
 * rotating replaces it, revoking deletes the row.
 */
export const calendarFeeds = sqliteTable(
  "calendar_feeds",
  {
    id: text("id").primaryKey(),
    calendarId: text("calendar_id")
      .notNull()
      .references(() => calendars.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [uniqueIndex("calendar_feeds_token_idx").on(t.tokenHash), uniqueIndex("calendar_feeds_person_idx").on(t.calendarId, t.userId), index("calendar_feeds_user_idx").on(t.userId)],
);

export const WEEKDAY_KEYS = ["mo", "tu", "we", "th", "fr", "sa", "su"] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];
/** Per weekday, the working periods as local times ("09:00"–"17:30"); a day without periods is not worked. */
export type WorkingHours = Record<WeekdayKey, Array<[string, string]>>;

/** A person's working hours (in their zone) for availability; absent: Monday to Friday, 09:00–17:00, in their calendar zone. */
export const calendarWorkingHours = sqliteTable("calendar_working_hours", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** Null: the zone of their calendar view settings. */
  timeZone: text("time_zone"),
  hours: text("hours", { mode: "json" }).$type<WorkingHours>().notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export type CalendarFeedRow = typeof calendarFeeds.$inferSelect;

/**
 * An outside feed a calendar copies (POST /api/calendar/subscriptions): read again when `next_refresh_at` comes, by
 * whichever instance claims it first (`claimed_until`), with the validators of the last answer; failures back off.
 */
export const calendarSubscriptions = sqliteTable(
  "calendar_subscriptions",
  {
    calendarId: text("calendar_id")
      .primaryKey()
      .references(() => calendars.id, { onDelete: "cascade" }),
    /** The feed's address as read (webcal:// written as https://). */
    url: text("url").notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    etag: text("etag"),
    lastModified: text("last_modified"),
    /** How often to read it, from the feed's REFRESH-INTERVAL / X-PUBLISHED-TTL, kept between 15 minutes and a day. */
    refreshMs: integer("refresh_ms").notNull(),
    nextRefreshAt: integer("next_refresh_at").notNull(),
    /** The last read that succeeded (200 or 304), and the last attempt's error (null once one succeeds). */
    lastRefreshedAt: integer("last_refreshed_at"),
    lastError: text("last_error"),
    /** Failed reads in a row: the back-off doubles with each. */
    failures: integer("failures").notNull().default(0),
    claimedUntil: integer("claimed_until"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("calendar_subscriptions_due_idx").on(t.nextRefreshAt)],
);

export type CalendarSubscriptionRow = typeof calendarSubscriptions.$inferSelect;

/**
 * People outside the platform invited by email: they get the invitation as iMIP (METHOD:REQUEST) and answer through
 * a link carrying a token only they were sent (its hash is kept).
 */
export const calendarGuests = sqliteTable(
  "calendar_guests",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => calendarEvents.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    ...answerColumns(),
    tokenHash: text("token_hash").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("calendar_guests_event_email_idx").on(t.eventId, t.email), uniqueIndex("calendar_guests_token_idx").on(t.tokenHash)],
);

export type CalendarGuestRow = typeof calendarGuests.$inferSelect;

/** What the people of an event say about it (its organizer, attendees and those who see it in full). */
export const calendarComments = sqliteTable(
  "calendar_comments",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => calendarEvents.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("calendar_comments_event_idx").on(t.eventId, t.createdAt), index("calendar_comments_user_idx").on(t.userId)],
);

/**
 * Reminders already sent: one row per event, person, occurrence (its recurrence id and start, so a moved occurrence
 * is reminded again at its new time) and lead. Inserting the row is the claim: of two instances, one sends.
 */
export const calendarRemindersSent = sqliteTable(
  "calendar_reminders_sent",
  {
    eventId: text("event_id")
      .notNull()
      .references(() => calendarEvents.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    occurrence: text("occurrence").notNull(),
    minutes: integer("minutes").notNull(),
    sentAt: integer("sent_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId, t.occurrence, t.minutes] }), index("calendar_reminders_sent_at_idx").on(t.sentAt)],
);
