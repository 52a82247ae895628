// The calendar's pages: the month, week, day and agenda views (the overlay at /calendar, a business's tab, a
// household's calendar), the event drawer (create, edit with its this / following / all choice, delete, and the
// move a drag asks for), the calendars' settings, and the stylesheet of the colours on a page. Every page works
// with plain links and forms; htmx swaps the same routes' fragments in place.
import { Hono } from "hono";
import type { Child } from "hono/jsx";
import { CalendarPage, CalendarRegion, Grid, viewHref, type CalendarPlace, type CalendarViewProps, type GridProps } from "../../../views/calendar/CalendarView";
import { EventDetails, EventForm, MovePrompt, Saved, type EventFormProps, type Option } from "../../../views/calendar/EventDrawer";
import { CalendarSettingsPage } from "../../../views/calendar/CalendarSettings";
import { tryForm } from "../../http/forms";
import { render, redirectAfterPost, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { safeRedirectTarget } from "../../http/safe-redirect";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm, readForm } from "../../http/validate";
import { AppError, type FieldErrors } from "../../lib/errors";
import { listHouseholdMembers } from "../households";
import type { TabRenderer } from "../workspace";
import { selectMembers } from "../workspace";
import { atLeast, mayCreateCalendarIn } from "./access";
import { askerIn, createCalendar, deleteCalendar, deleteShare, listShares, placesOf, putShare, saveViewSettings, updateCalendar, viewSettingsOf, visibleCalendars, type Places, type VisibleCalendar } from "./calendars";
import { createInput, eventForm, eventValues, findOccurrence, newEventValues, updateInput, type EventFormInput } from "./event-form";
import { checked, createEvent, deleteEvent, eventFor, eventView, updateEvent } from "./events";
import { byDay, nowSlot, placeDay, todayIn, viewRange, VIEWS, type CalendarViewName } from "./grid";
import { calendarInput } from "./input";
import { keptView } from "./kept-views";
import { occurrencesIn } from "./occurrences";
import { DAY_MS, describeRule, formatLocalDate, formatLocalDateTime, isTimeZone, MINUTE_MS, parseLocalDate, parseLocalDateTime, placeWallClock, wallClockAt } from "./recurrence";
import { recurrenceFields, toRRule } from "./recurrence-form";
import { MEMBER_ACCESS, SHARE_ACCESS, type CalendarContext, type MemberAccess, type ShareAccess } from "./schema";

const CHANGED = "calendar-changed";

type Scope = { kind: "all" } | { kind: "business" | "household"; id: string };

function parseScope(text: string | undefined): Scope {
  const [kind, id] = (text ?? "all").split(":");
  if ((kind === "business" || kind === "household") && id) return { kind, id };
  return { kind: "all" };
}
const scopeText = (scope: Scope) => (scope.kind === "all" ? "all" : `${scope.kind}:${scope.id}`);
const baseOf = (scope: Scope) => (scope.kind === "all" ? "/calendar" : scope.kind === "business" ? `/business/${encodeURIComponent(scope.id)}/workspace/calendar` : `/household/${encodeURIComponent(scope.id)}/calendar`);

function placeOf(scope: Scope, places: Places): CalendarPlace {
  if (scope.kind === "all") return { base: "/calendar", scope: "all", title: "Calendar" };
  const name = scope.kind === "business" ? places.businesses.get(scope.id)?.name : places.households.get(scope.id)?.name;
  if (!name) throw new AppError(404, "not_found", "There is no such calendar here, or you cannot see it.");
  return { base: baseOf(scope), scope: scopeText(scope), title: `Calendar · ${name}` };
}

const inScope = (scope: Scope) => (c: VisibleCalendar) => scope.kind === "all" || (c.row.contextType === scope.kind && c.row.contextId === scope.id);

const listParam = (value: string | undefined) => (value ? value.split(",").filter((id) => /^[A-Za-z0-9_-]{1,64}$/.test(id)).slice(0, 100) : null);

const displayName = (c: VisibleCalendar) => (c.row.isPrimary && c.row.contextType !== "personal" ? c.contextName : c.row.name);

async function zoneOf(c: AppContext, userId: string): Promise<string> {
  const settings = await viewSettingsOf(c.var.deps.db, userId);
  return settings.timeZone && isTimeZone(settings.timeZone) ? settings.timeZone : "UTC";
}

/** Everything a view needs, from the address: the view, the date, the calendars shown. */
async function loadView(c: AppContext, scope: Scope, query: Record<string, string | undefined>): Promise<CalendarViewProps> {
  const { user } = requireUser(c);
  const deps = c.var.deps;
  const [places, settings] = await Promise.all([placesOf(deps, user.id), viewSettingsOf(deps.db, user.id)]);
  const place = placeOf(scope, places);
  const zone = settings.timeZone && isTimeZone(settings.timeZone) ? settings.timeZone : "UTC";
  const now = deps.now();
  const today = todayIn(now, zone);
  const view: CalendarViewName = (VIEWS as readonly string[]).includes(query.view ?? "") ? (query.view as CalendarViewName) : "month";
  const date = query.date && parseLocalDate(query.date) !== null ? query.date : today;
  const all = await visibleCalendars(deps, places);
  const here = all.filter(inScope(scope));
  const cal = listParam(query.cal);
  const hidden = new Set(settings.hiddenCalendarIds);
  const shownIds = here.filter((v) => (cal ? cal.includes(v.row.id) : !hidden.has(v.row.id))).map((v) => v.row.id);
  const range = viewRange(view, date, zone);
  const { occurrences, truncated } = await occurrencesIn(deps, places, { from: range.from, to: range.to, zone, calendarIds: shownIds }, all);
  const cells = byDay(range, occurrences, zone);
  const timeGrid = view === "week" || view === "day";
  const back = viewHref(place, view, date, cal);
  const gridQuery = new URLSearchParams({ view, date, scope: place.scope });
  if (cal) gridQuery.set("cal", cal.join(","));
  const grid: GridProps = {
    range,
    zone,
    today,
    cells,
    placed: timeGrid ? cells.map((cell) => placeDay(cell.date, cell.items, zone)) : [],
    nowSlots: cells.map((cell) => (timeGrid ? nowSlot(cell.date, now, zone) : null)),
    truncated,
    gridUrl: `/calendar/grid?${gridQuery.toString()}`,
    back,
    mayAdd: here.some((v) => atLeast(v.access, "write")),
  };
  return {
    place,
    range,
    zone,
    today,
    calendars: here.map((v) => ({ id: v.row.id, name: displayName(v), color: v.row.color, contextName: v.contextName, access: v.access, shown: shownIds.includes(v.row.id) })),
    cal,
    grid,
  };
}

/** The key of a kept view: who asks, what (path and query, in a fixed order) and the 5 minutes it is drawn in (today, the now line). */
function viewKey(c: AppContext, userId: string, what: string): string {
  const q = c.req.query();
  const query = ["view", "date", "cal", "scope"].map((name) => `${name}=${q[name] ?? ""}`).join("&");
  return `${userId}|${what}|${c.req.path}?${query}|${Math.floor(c.var.deps.now() / 300_000)}`;
}

/** Kept HTML as the answer, with the headers render() gives a fragment. */
function keptAnswer(c: AppContext, html: Uint8Array<ArrayBuffer>) {
  c.header("Vary", "HX-Request", { append: true });
  c.header("Cache-Control", "no-store");
  return c.body(html, 200, { "content-type": "text/html; charset=UTF-8" });
}

async function showCalendar(c: AppContext, scope: Scope) {
  if (wantsFragment(c)) {
    const { user } = requireUser(c);
    return keptAnswer(c, await keptView(c.var.deps, viewKey(c, user.id, "region"), async () => String(await (<CalendarRegion {...await loadView(c, scope, c.req.query())} />).toString())));
  }
  const props = await loadView(c, scope, c.req.query());
  return render(c, { title: props.place.title, fragment: <CalendarRegion {...props} />, page: () => <CalendarPage {...props} intro={<h1>{props.place.title}</h1>} /> });
}

/** The calendar tab of a business workspace (the workspace draws the tabs around it). */
export const businessCalendarTab: TabRenderer = async (c, { business }) => {
  const props = await loadView(c, { kind: "business", id: business.id }, c.req.query());
  return <CalendarRegion {...props} />;
};

// ---- the drawer ----

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

async function writableCalendars(c: AppContext, places: Places): Promise<VisibleCalendar[]> {
  return (await visibleCalendars(c.var.deps, places)).filter((v) => atLeast(v.access, "write"));
}

async function membersFor(c: AppContext, calendar: VisibleCalendar | undefined): Promise<Option[]> {
  if (!calendar) return [];
  const { contextType, contextId } = calendar.row;
  if (contextType === "business") return (await selectMembers(c.var.deps.db, contextId)).map((m) => ({ id: m.userId, name: m.name }));
  if (contextType === "household") return (await listHouseholdMembers(c.var.deps, contextId)).map((m) => ({ id: m.userId, name: m.name }));
  return [];
}

let zoneList: string[] | null = null;
const zones = () => (zoneList ??= typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"]);

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
  const chosen = defaultCalendar(writable, values?.calendarId ?? query.cal, back, user.id, await activeContextKey(c))!;
  const date = query.date && parseLocalDate(query.date) !== null ? query.date : todayIn(deps.now(), zone);
  const time = query.time && /^\d{2}:\d{2}$/.test(query.time) ? query.time : null;
  const shown = values ?? newEventValues(chosen.row.id, zone, date, query.time === undefined ? "09:00" : time);
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
  const canEdit = atLeast(loaded.calendar.access, "write");
  if (!canEdit) {
    const values = eventValues(loaded.row, loaded.attendeeIds, occurrence);
    const when = values.allDay ? `${values.startDate}${values.endDate !== values.startDate ? ` – ${values.endDate}` : ""} (all day)` : `${values.startDate} ${values.startTime} – ${values.endDate === values.startDate ? "" : `${values.endDate} `}${values.endTime} (${values.timeZone})`;
    return drawer(c, view.title, <EventDetails event={{ ...view, title: values.title }} when={when} back={back} calendarName={displayName(loaded.calendar)} />);
  }
  const values = sent?.values ?? eventValues(loaded.row, loaded.attendeeIds, occurrence);
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
  return drawer(c, view.title, body, sent ? 400 : 200);
}

/** The drag's move: the occurrence's start and end shifted by what the grid measured, in the viewer's clock. */
function shifted(value: string, allDay: boolean, eventZone: string | null, viewerZone: string, minutes: number): string {
  if (allDay) return formatLocalDate(parseLocalDate(value)! + Math.round(minutes / 1440) * DAY_MS);
  const instant = placeWallClock(parseLocalDateTime(value)!, eventZone);
  const moved = placeWallClock(wallClockAt(instant, viewerZone) + minutes * MINUTE_MS, viewerZone);
  return formatLocalDateTime(wallClockAt(moved, eventZone));
}

export function calendarPages() {
  return new Hono<AppEnv>()
    .get("/calendar", (c) => showCalendar(c, { kind: "all" }))
    .get("/household/:id/calendar", (c) => showCalendar(c, { kind: "household", id: c.req.param("id") }))
    .get("/calendar/grid", async (c) => {
      const { user } = requireUser(c);
      const query = c.req.query();
      const html = await keptView(c.var.deps, viewKey(c, user.id, "grid"), async () => String(await (<Grid {...(await loadView(c, parseScope(query.scope), query)).grid} />).toString()));
      return keptAnswer(c, html);
    })
    .post("/calendar/shown", async (c) => {
      const { user } = requireUser(c);
      const sent = (await readForm(c)).lists;
      const scope = parseScope(sent.scope?.[0]);
      const shown = new Set(sent.cal ?? []);
      const listed = listParam(sent.listed?.[0]) ?? [];
      const settings = await viewSettingsOf(c.var.deps.db, user.id);
      const hidden = new Set(settings.hiddenCalendarIds);
      for (const id of listed) (shown.has(id) ? hidden.delete(id) : hidden.add(id));
      await saveViewSettings(c.var.deps, user.id, { hiddenCalendarIds: [...hidden] });
      const view = (VIEWS as readonly string[]).includes(sent.view?.[0] ?? "") ? (sent.view![0] as CalendarViewName) : "month";
      const date = sent.date?.[0] && parseLocalDate(sent.date[0]) !== null ? sent.date[0] : undefined;
      const target = `${baseOf(scope)}?view=${view}${date ? `&date=${date}` : ""}`;
      if (!wantsFragment(c)) return c.redirect(target, 303);
      const props = await loadView(c, scope, { view, date });
      c.header("HX-Push-Url", target);
      return c.html(<CalendarRegion {...props} />);
    })
    .get("/calendar/colors.css", (c) => {
      const colors = (c.req.query("p") ?? "").split(".").filter((hex) => /^[0-9a-f]{6}$/.test(hex)).slice(0, 64);
      c.header("Content-Type", "text/css; charset=utf-8");
      c.header("Cache-Control", "public, max-age=31536000, immutable");
      return c.body(colors.map((hex) => `.color-${hex}{--event-color:#${hex}}`).join("\n"));
    })
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
      const shown = eventValues(loaded.row, loaded.attendeeIds, occurrence);
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
    })
    .get("/calendar/settings", async (c) => {
      const { user } = requireUser(c);
      return settingsPage(c, user.id);
    })
    .post("/calendar/settings/zone", async (c) => {
      const { user } = requireUser(c);
      const zone = (await readForm(c)).values.timeZone ?? "";
      if (!isTimeZone(zone)) return settingsPage(c, user.id, { timeZone: [`"${zone}" is not a time zone we know.`] }, 400);
      await saveViewSettings(c.var.deps, user.id, { timeZone: zone });
      return redirectAfterPost(c, "/calendar/settings?saved=zone");
    })
    .post("/calendar/calendars", async (c) => {
      const { user } = requireUser(c);
      const sent = (await readForm(c)).values;
      const [contextType, contextId] = (sent.context ?? "personal").split(":") as [CalendarContext, string | undefined];
      const parsed = calendarInput.safeParse({ contextType, contextId, name: sent.name, color: sent.color || undefined, description: sent.description || undefined, timeZone: sent.timeZone || undefined, memberAccess: sent.memberAccess || undefined });
      if (!parsed.success) return settingsPage(c, user.id, Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "_form"), [i.message]])), 400);
      if (parsed.data.timeZone && !isTimeZone(parsed.data.timeZone)) return settingsPage(c, user.id, { timeZone: ["Not a time zone we know."] }, 400);
      const outcome = await tryForm(c, () => createCalendar(c.var.deps, user.id, parsed.data, requestMeta(c)), { alsoShow: [403, 404] });
      if (!outcome.ok) return settingsPage(c, user.id, outcome.errors, 400);
      return redirectAfterPost(c, "/calendar/settings?saved=created");
    })
    .post("/calendar/calendars/:id", async (c) => {
      const { user } = requireUser(c);
      const sent = (await readForm(c)).values;
      const patch = { name: sent.name?.trim() || undefined, color: /^#[0-9a-fA-F]{6}$/.test(sent.color ?? "") ? sent.color : undefined, timeZone: sent.timeZone && isTimeZone(sent.timeZone) ? sent.timeZone : undefined, memberAccess: (MEMBER_ACCESS as readonly string[]).includes(sent.memberAccess ?? "") ? (sent.memberAccess as MemberAccess) : undefined };
      await updateCalendar(c.var.deps, user.id, c.req.param("id"), patch, requestMeta(c));
      return redirectAfterPost(c, "/calendar/settings?saved=updated");
    })
    .post("/calendar/calendars/:id/shares", async (c) => {
      const { user } = requireUser(c);
      const sent = (await readForm(c)).values;
      const access = (SHARE_ACCESS as readonly string[]).includes(sent.access ?? "") ? (sent.access as ShareAccess) : null;
      if (!access || !sent.userId) return settingsPage(c, user.id, { _form: ["Choose a person and what they may do."] }, 400);
      const outcome = await tryForm(c, () => putShare(c.var.deps, user.id, c.req.param("id"), sent.userId!, access, requestMeta(c)));
      if (!outcome.ok) return settingsPage(c, user.id, { _form: [outcome.message] }, 400);
      return redirectAfterPost(c, "/calendar/settings?saved=shared");
    })
    .post("/calendar/calendars/:id/shares/:userId/delete", async (c) => {
      const { user } = requireUser(c);
      await deleteShare(c.var.deps, user.id, c.req.param("id"), c.req.param("userId"), requestMeta(c));
      return redirectAfterPost(c, "/calendar/settings?saved=unshared");
    })
    .post("/calendar/calendars/:id/delete", async (c) => {
      const { user } = requireUser(c);
      await deleteCalendar(c.var.deps, user.id, c.req.param("id"), requestMeta(c));
      return redirectAfterPost(c, "/calendar/settings?saved=deleted");
    });
}

/** Who a calendar can be shared with: its context's members (a personal one: everyone one shares a context with). */
async function shareCandidates(c: AppContext, places: Places, calendar: VisibleCalendar): Promise<Option[]> {
  const lists =
    calendar.row.contextType === "personal"
      ? await Promise.all([...[...places.businesses.keys()].map((id) => membersFor(c, { ...calendar, row: { ...calendar.row, contextType: "business", contextId: id } })), ...[...places.households.keys()].map((id) => membersFor(c, { ...calendar, row: { ...calendar.row, contextType: "household", contextId: id } }))])
      : [await membersFor(c, calendar)];
  const seen = new Map<string, Option>();
  for (const option of lists.flat()) if (option.id !== places.userId) seen.set(option.id, option);
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

async function settingsPage(c: AppContext, userId: string, errors: FieldErrors = {}, status: 200 | 400 = 200) {
  const deps = c.var.deps;
  const places = await placesOf(deps, userId);
  const [calendars, zone] = await Promise.all([visibleCalendars(deps, places), zoneOf(c, userId)]);
  const contexts: Option[] = [
    { id: "personal", name: "Personal" },
    ...[...places.businesses].filter(([id]) => mayCreateCalendarIn("business", askerIn(places, { contextType: "business", contextId: id }, null))).map(([id, p]) => ({ id: `business:${id}`, name: p.name })),
    ...[...places.households].filter(([id]) => mayCreateCalendarIn("household", askerIn(places, { contextType: "household", contextId: id }, null))).map(([id, p]) => ({ id: `household:${id}`, name: p.name })),
  ];
  const sharing = new Map(
    await Promise.all(
      calendars
        .filter((v) => v.access === "manage")
        .map(async (v) => [v.row.id, { shares: await listShares(deps, userId, v.row.id, places), candidates: await shareCandidates(c, places, v) }] as const),
    ),
  );
  const saved = c.req.query("saved");
  const body = (
    <CalendarSettingsPage
      zone={zone}
      zones={zones()}
      errors={errors}
      saved={saved ? ({ zone: "Time zone saved.", created: "Calendar added.", updated: "Calendar saved.", deleted: "Calendar deleted.", shared: "Calendar shared.", unshared: "Share removed." } as Record<string, string>)[saved] ?? null : null}
      contexts={contexts}
      calendars={calendars.map((v) => ({ id: v.row.id, name: displayName(v), color: v.row.color, contextName: v.contextName, contextType: v.row.contextType, isPrimary: v.row.isPrimary, manage: v.access === "manage", timeZone: v.row.timeZone, memberAccess: v.row.memberAccess, access: v.access, shares: sharing.get(v.row.id)?.shares ?? [], candidates: sharing.get(v.row.id)?.candidates ?? [] }))}
    />
  );
  return render(c, { title: "Calendar settings", status, fragment: body });
}
