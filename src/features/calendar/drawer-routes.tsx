// The event drawer: create, edit (one occurrence, this and following, or all), delete with the same choice, the move
// a drag asks for, and the recurrence editor's live summary. A page of its own without JavaScript, a side panel with htmx.
import { Hono } from "hono";
import { EventPeople } from "../../../views/calendar/EventPeople";
import { commentsOn } from "./rsvp/comments";
import { guestEmailsOf } from "./rsvp/guests";
import type { Child } from "hono/jsx";
import { EventDetails, EventForm, MovePrompt, Saved, type EventFormProps } from "../../../views/calendar/EventDrawer";
import { tryForm } from "../../http/forms";
import { render, redirectAfterPost, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { safeRedirectTarget } from "../../http/safe-redirect";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm, readForm } from "../../http/validate";
import { AppError, type FieldErrors } from "../../lib/errors";
import { mayEditEvents, placesOf, type VisibleCalendar } from "./calendars";
import { createInput, eventForm, eventValues, findOccurrence, newEventValues, updateInput, type EventFormInput } from "./event-form";
import { eventFor, eventView } from "./event-read";
import { createEvent, deleteEvent, updateEvent } from "./events";
import { todayIn } from "./grid";
import { DAY_MS, describeRule, formatLocalDate, formatLocalDateTime, isTimeZone, MINUTE_MS, parseLocalDate, parseLocalDateTime, placeWallClock, wallClockAt } from "./recurrence";
import { toRRule } from "./recurrence-form";
import { displayName, membersFor, writableCalendars, zoneOf, zones } from "./page-data";

/** What the grids listen for after one's own change (hx-trigger "calendar-changed from:body"). */
const CHANGED = "calendar-changed";

const FIELD_OF: Record<string, string> = { start: "startDate", end: "endDate", exdates: "rrule", rdates: "rrule", occurrence: "_form", window: "_form" };

/** API field errors as the form's fields. */
function formErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, messages] of Object.entries(errors)) {
    const key = FIELD_OF[field] ?? field;
    out[key] = [...(out[key] ?? []), ...messages];
  }
  return out;
}

function summaryOf(form: EventFormInput | null, start: string, zone: string | null): string {
  if (!form) return "Does not repeat";
  const rule = toRRule(form, start, zone);
  if ("field" in rule) return rule.message;
  return describeRule(rule.rrule, start, zone);
}

/**
 * The drawer's answer: its content for htmx — also for the grid's boosted links, which name the drawer as their
 * target (HX-Target) — and a page of its own otherwise.
 */
function drawer(c: AppContext, title: string, body: Child, status: 200 | 400 = 200) {
  if (c.req.header("hx-target") === "calendar-drawer" && !wantsFragment(c)) {
    c.header("Vary", "HX-Request, HX-Target", { append: true });
    c.header("Cache-Control", "no-store");
    return c.html(<>{body}</>, status);
  }
  return render(c, { title, status, fragment: body, page: () => <section class="cal-drawer-page">{body}</section> });
}

const backOf = (value: unknown) => safeRedirectTarget(typeof value === "string" ? value : "/calendar", "/calendar");

/**
 * Which calendar a new event goes to: the one asked for; else the primary calendar of the context the view is in (a
 * business's tab, a household's calendar) or, on the overlay, of the context chosen in the header; else one's own.
 */
function defaultCalendar(writable: VisibleCalendar[], asked: string | undefined, back: string, userId: string, activeKey: string | null): VisibleCalendar | undefined {
  const byAsk = writable.find((v) => v.row.id === asked);
  if (byAsk) return byAsk;
  const match = /^\/(business|household)\/([^/?]+)/.exec(back);
  const [kind, id] = match ? [match[1]!, decodeURIComponent(match[2]!)] : (activeKey?.split(":") ?? []);
  const primary = writable.find((v) => v.row.contextType === kind && v.row.contextId === id && v.row.isPrimary);
  return primary ?? writable.find((v) => v.row.contextType === "personal" && v.row.ownerId === userId && v.row.isPrimary) ?? writable[0];
}

/** The key of the context chosen in the header ("business:<id>"…), when the shell knows it. */
async function activeContextKey(c: AppContext): Promise<string | null> {
  return c.var.loadShell ? (await c.var.loadShell()).active.key : null;
}

async function newEventForm(c: AppContext, values: EventFormProps["values"] | null, errors: FieldErrors = {}, status: 200 | 400 = 200, sent?: EventFormInput) {
  const { user } = requireUser(c);
  const deps = c.var.deps;
  const query = c.req.query();
  const places = await placesOf(deps, user.id);
  const writable = await writableCalendars(c, places);
  const back = backOf(sent ? c.req.query("back") ?? (sent as { back?: string }).back : query.back);
  if (writable.length === 0) throw new AppError(403, "forbidden", "You may not add events to any calendar here.");
  const zone = await zoneOf(c, user.id);
  const invite = c.req.queries("with") ?? [];
  // People to invite (from "Find a time") may come from several contexts: one's personal calendar can invite them all.
  const personalPrimary = invite.length ? writable.find((v) => v.row.contextType === "personal" && v.row.ownerId === user.id && v.row.isPrimary)?.row.id : undefined;
  const chosen = defaultCalendar(writable, values?.calendarId ?? query.cal ?? personalPrimary, back, user.id, await activeContextKey(c))!;
  const date = query.date && parseLocalDate(query.date) !== null ? query.date : todayIn(deps.now(), zone);
  const time = query.time && /^\d{2}:\d{2}$/.test(query.time) ? query.time : null;
  // From "Find a time": its length, and the people it was found for (those the chosen calendar may invite).
  const minutes = /^\d{1,4}$/.test(query.minutes ?? "") ? Math.min(1440, Math.max(5, Number(query.minutes))) : 60;
  const members = invite.length ? new Set((await membersFor(c, chosen)).map((m) => m.id)) : new Set<string>();
  const shown = values ?? { ...newEventValues(chosen.row.id, zone, date, query.time === undefined ? "09:00" : time, chosen.row.defaultReminders, minutes), attendees: invite.filter((id) => members.has(id)) };
  const start = shown.allDay ? shown.startDate : `${shown.startDate}T${shown.startTime}`;
  const body = (
    <EventForm
      action="/calendar/events"
      heading="New event"
      values={shown}
      errors={errors}
      calendars={writable.map((v) => ({ id: v.row.id, name: displayName(v) === v.contextName || v.row.contextType === "personal" ? displayName(v) : `${displayName(v)} · ${v.contextName}` }))}
      members={await membersFor(c, chosen)}
      summary={summaryOf(sent ?? null, start, shown.allDay ? null : shown.timeZone || null)}
      back={back}
      zones={zones()}
    />
  );
  return drawer(c, "New event", body, status);
}

/** What the form shows beyond the event row: its guests' addresses, and its calendar's default reminders. */
async function formExtras(c: AppContext, loaded: Awaited<ReturnType<typeof eventFor>>) {
  return { guests: await guestEmailsOf(c.var.deps.db, loaded.row.id), calendarReminders: loaded.calendar.row.defaultReminders };
}

function sentValues(form: EventFormInput): EventFormProps["values"] {
  return {
    title: form.title,
    calendarId: form.calendarId,
    allDay: form.allDay === "on",
    startDate: form.startDate,
    startTime: form.startTime,
    endDate: form.endDate,
    endTime: form.endTime,
    timeZone: form.timeZone,
    location: form.location,
    url: form.url,
    description: form.description,
    visibility: form.visibility,
    transparency: form.transparency,
    attendees: form.attendees,
    reminders: form.reminders,
    guests: form.guests,
    recurrence: { repeat: form.repeat, interval: form.interval, days: form.days, monthly: form.monthly, ends: form.ends, until: form.until, count: form.count, rrule: form.rrule },
  };
}

/** After a change from the drawer: htmx gets "Saved" and the grids reload (HX-Trigger); a plain form goes back to the calendar. */
function afterChange(c: AppContext, message: string, back: string) {
  if (wantsFragment(c)) {
    c.header("HX-Trigger", CHANGED);
    return c.html(<Saved message={message} />);
  }
  return redirectAfterPost(c, back);
}

async function editEventForm(c: AppContext, eventId: string, occurrenceId: string | undefined, back: string, sent?: { values: EventFormProps["values"]; errors: FieldErrors; form: EventFormInput }) {
  const { user } = requireUser(c);
  const deps = c.var.deps;
  const loaded = await eventFor(deps, user.id, eventId);
  const zone = await zoneOf(c, user.id);
  const occurrence = occurrenceId && loaded.row.rrule ? findOccurrence(loaded.row, occurrenceId, zone) : null;
  if (occurrenceId && loaded.row.rrule && !occurrence) throw new AppError(404, "not_found", "This event has no such occurrence (it may have been moved or deleted).");
  const view = await eventView(deps.db, loaded.row, loaded.calendar);
  const canEdit = mayEditEvents(loaded.calendar);
  const talk = await commentsOn(deps, user.id, loaded);
  const people = <EventPeople eventId={eventId} occurrence={loaded.row.rrule ? (occurrence?.recurrenceId ?? null) : null} attendees={view.attendees} guests={view.guests} viewerId={user.id} comments={talk.comments} mayComment={talk.mayComment} message={null} />;
  if (!canEdit) {
    const values = eventValues(loaded.row, loaded.attendeeIds, occurrence, await formExtras(c, loaded));
    const when = values.allDay ? `${values.startDate}${values.endDate !== values.startDate ? ` – ${values.endDate}` : ""} (all day)` : `${values.startDate} ${values.startTime} – ${values.endDate === values.startDate ? "" : `${values.endDate} `}${values.endTime} (${values.timeZone})`;
    return drawer(c, view.title, <EventDetails event={{ ...view, title: values.title }} when={when} back={back} calendarName={displayName(loaded.calendar)} people={people} />);
  }
  const values = sent?.values ?? eventValues(loaded.row, loaded.attendeeIds, occurrence, await formExtras(c, loaded));
  const writable = await writableCalendars(c, loaded.calendar.places);
  const recurring = loaded.row.rrule !== null;
  const query = new URLSearchParams({ back });
  if (occurrence) query.set("occurrence", occurrence.recurrenceId);
  const body = (
    <EventForm
      action={`/calendar/events/${eventId}?${query.toString()}`}
      deleteAction={`/calendar/events/${eventId}/delete?${query.toString()}`}
      heading={recurring ? "Edit event (repeats)" : "Edit event"}
      values={values}
      errors={sent?.errors ?? {}}
      calendars={writable.map((v) => ({ id: v.row.id, name: displayName(v) }))}
      members={await membersFor(c, loaded.calendar)}
      summary={sent ? summaryOf(sent.form, loaded.row.start, loaded.row.timeZone) : view.recurrence}
      back={back}
      occurrence={occurrence?.recurrenceId ?? null}
      recurring={recurring}
      zones={zones()}
      event={view}
    />
  );
  return drawer(c, view.title, <>{body}{people}</>, sent ? 400 : 200);
}

/** The drag's move: the occurrence's start and end shifted by what the grid measured, in the viewer's clock. */
function shifted(value: string, allDay: boolean, eventZone: string | null, viewerZone: string, minutes: number): string {
  if (allDay) return formatLocalDate(parseLocalDate(value)! + Math.round(minutes / 1440) * DAY_MS);
  const instant = placeWallClock(parseLocalDateTime(value)!, eventZone);
  const moved = placeWallClock(wallClockAt(instant, viewerZone) + minutes * MINUTE_MS, viewerZone);
  return formatLocalDateTime(wallClockAt(moved, eventZone));
}


export function drawerRoutes() {
  return new Hono<AppEnv>()
    .post("/calendar/recurrence-summary", async (c) => {
      requireUser(c);
      const form = await parseForm(c, eventForm);
      if (!form.ok) return c.html(<>Check the repeat fields.</>);
      const f = form.data;
      const allDay = f.allDay === "on";
      const start = allDay ? f.startDate : `${f.startDate}T${f.startTime}`;
      if ((allDay ? parseLocalDate(start) : parseLocalDateTime(start)) === null) return c.html(<>Choose when it starts.</>);
      return c.html(<>{summaryOf(f, start, allDay ? null : f.timeZone && isTimeZone(f.timeZone) ? f.timeZone : null)}</>);
    })
    .get("/calendar/events/new", (c) => newEventForm(c, null))
    .post("/calendar/events", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, eventForm);
      if (!form.ok) return newEventForm(c, null, form.errors, 400);
      const made = createInput(form.data);
      const back = backOf(form.values.back);
      if ("errors" in made) return newEventForm(c, sentValues(form.data), made.errors, 400, form.data);
      const calendarId = form.data.calendarId || defaultCalendar(await writableCalendars(c, await placesOf(c.var.deps, user.id)), undefined, back, user.id, await activeContextKey(c))?.row.id || "";
      const outcome = await tryForm(c, () => createEvent(c.var.deps, user.id, calendarId, made.input, requestMeta(c)));
      if (!outcome.ok) return newEventForm(c, sentValues(form.data), formErrors(outcome.errors), 400, form.data);
      return afterChange(c, `“${outcome.value.title}” added.`, back);
    })
    .get("/calendar/events/:id", (c) => editEventForm(c, c.req.param("id"), c.req.query("occurrence"), backOf(c.req.query("back"))))
    .post("/calendar/events/:id", async (c) => {
      const { user } = requireUser(c);
      const deps = c.var.deps;
      const id = c.req.param("id");
      const form = await parseForm(c, eventForm);
      const back = backOf(form.values.back ?? c.req.query("back"));
      const occurrenceId = form.values.occurrence ?? c.req.query("occurrence");
      if (!form.ok) return editEventForm(c, id, occurrenceId, back, { values: eventValues((await eventFor(deps, user.id, id)).row, [], null), errors: form.errors, form: eventForm.parse({}) });
      const loaded = await eventFor(deps, user.id, id);
      const zone = await zoneOf(c, user.id);
      const occurrence = occurrenceId && loaded.row.rrule ? findOccurrence(loaded.row, occurrenceId, zone) : null;
      const shown = eventValues(loaded.row, loaded.attendeeIds, occurrence, await formExtras(c, loaded));
      const change = updateInput(form.data, loaded.row, shown, occurrence);
      const sent = (errors: FieldErrors) => editEventForm(c, id, occurrenceId, back, { values: sentValues(form.data), errors, form: form.data });
      if ("errors" in change) return sent(change.errors);
      const scope = loaded.row.rrule && occurrence ? (form.data.scope ?? "this") : "all";
      const outcome = await tryForm(c, () => updateEvent(deps, user.id, id, change.patch, { scope, occurrence: occurrence?.recurrenceId }, requestMeta(c)));
      if (!outcome.ok) return sent(formErrors(outcome.errors));
      return afterChange(c, "Saved.", back);
    })
    .post("/calendar/events/:id/delete", async (c) => {
      const { user } = requireUser(c);
      const sent = (await readForm(c)).values;
      const back = backOf(sent.back ?? c.req.query("back"));
      const occurrence = sent.occurrence ?? c.req.query("occurrence");
      const scope = sent.scope === "following" || sent.scope === "all" ? sent.scope : occurrence ? "this" : "all";
      await deleteEvent(c.var.deps, user.id, c.req.param("id"), { scope, occurrence }, requestMeta(c));
      return afterChange(c, "Deleted.", back);
    })
    .post("/calendar/events/:id/move", async (c) => {
      const { user } = requireUser(c);
      const deps = c.var.deps;
      const id = c.req.param("id");
      const sent = (await readForm(c)).values;
      const back = backOf(sent.back);
      const minutes = Number(sent.minutes ?? 0);
      const endMinutes = sent.endMinutes === undefined ? minutes : Number(sent.endMinutes);
      if (!Number.isInteger(minutes) || !Number.isInteger(endMinutes) || Math.abs(minutes) > 366 * 1440 || Math.abs(endMinutes) > 366 * 1440) throw new AppError(400, "validation_failed", "The move is not a whole number of minutes.", { fieldErrors: { minutes: ["A whole number of minutes."] } });
      const loaded = await eventFor(deps, user.id, id);
      const zone = await zoneOf(c, user.id);
      const row = loaded.row;
      const occurrence = sent.occurrence && row.rrule ? findOccurrence(row, sent.occurrence, zone) : null;
      if (row.rrule && !occurrence) throw new AppError(404, "not_found", "This event has no such occurrence (it may have been moved or deleted).");
      if (row.rrule && !["this", "following", "all"].includes(sent.scope ?? "")) {
        const fields: Record<string, string> = { occurrence: occurrence!.recurrenceId, minutes: String(minutes), endMinutes: String(endMinutes), back };
        return drawer(c, "Move", <MovePrompt action={`/calendar/events/${id}/move`} fields={fields} title={occurrence?.override?.data?.title ?? row.title} back={back} />);
      }
      const scope = (row.rrule ? sent.scope : "all") as "this" | "following" | "all";
      const from = { start: occurrence?.start ?? row.start, end: occurrence?.end ?? row.end };
      const to = { start: shifted(from.start, row.allDay, row.timeZone, zone, minutes), end: shifted(from.end, row.allDay, row.timeZone, zone, endMinutes) };
      let patch = to;
      if (scope === "all" && occurrence) {
        const wall = (v: string) => (row.allDay ? parseLocalDate(v)! : parseLocalDateTime(v)!);
        const fmt = row.allDay ? formatLocalDate : formatLocalDateTime;
        patch = { start: fmt(wall(row.start) + wall(to.start) - wall(from.start)), end: fmt(wall(row.end) + wall(to.end) - wall(from.end)) };
      }
      await updateEvent(deps, user.id, id, patch, { scope, occurrence: occurrence?.recurrenceId }, requestMeta(c));
      return afterChange(c, "Moved.", back);
    });
}
