import type { Child } from "hono/jsx";
import type { EventFormValues } from "../../src/features/calendar/event-form";
import type { EventView } from "../../src/features/calendar/event-read";
import type { FieldErrors } from "../components/Field";
import { FormMessage } from "../components/Field";

/** The reminder leads the form offers (minutes before; for all-day events, days before at 09:00). */
const REMINDER_CHOICES: [number, string][] = [
  [0, "At the start"],
  [10, "10 minutes before"],
  [30, "30 minutes before"],
  [60, "1 hour before"],
  [1440, "1 day before"],
  [10080, "1 week before"],
];

export interface Option {
  id: string;
  name: string;
}

const DAY_NAMES = { MO: "Mon", TU: "Tue", WE: "Wed", TH: "Thu", FR: "Fri", SA: "Sat", SU: "Sun" } as const;
const WEEKDAY_CODES = Object.keys(DAY_NAMES) as (keyof typeof DAY_NAMES)[];

function Err(props: { errors: FieldErrors; name: string; id: string }) {
  const list = props.errors[props.name] ?? [];
  return list.length ? (
    <p class="field-error" id={`${props.id}-error`}>
      {list.join(" ")}
    </p>
  ) : null;
}

function Input(props: { name: string; label: string; value: string; type?: string; errors: FieldErrors; required?: boolean; hint?: string; list?: string; maxlength?: number }) {
  const id = `ev-${props.name}`;
  const bad = (props.errors[props.name] ?? []).length > 0;
  return (
    <div class={bad ? "field has-error" : "field"}>
      <label for={id}>{props.label}</label>
      <input id={id} name={props.name} type={props.type ?? "text"} value={props.value} required={props.required} list={props.list} maxlength={props.maxlength} aria-invalid={bad ? "true" : undefined} aria-describedby={bad ? `${id}-error` : undefined} />
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      <Err errors={props.errors} name={props.name} id={id} />
    </div>
  );
}

function Select(props: { name: string; label: string; value: string; options: [string, string][]; errors: FieldErrors }) {
  const id = `ev-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name}>
        {props.options.map(([value, text]) => (
          <option value={value} selected={value === props.value}>
            {text}
          </option>
        ))}
      </select>
      <Err errors={props.errors} name={props.name} id={id} />
    </div>
  );
}

/** The recurrence editor: none, daily, weekly on chosen days, monthly by date or weekday, yearly; ends never, on a date, after N. */
function RecurrenceEditor(props: { values: EventFormValues; errors: FieldErrors; summary: string }) {
  const r = props.values.recurrence;
  return (
    <fieldset class="cal-recurrence" hx-post="/calendar/recurrence-summary" hx-trigger="change" hx-target="#ev-summary" hx-swap="innerHTML" hx-include="closest form">
      <legend>Repeat</legend>
      <Select
        name="repeat"
        label="Repeats"
        value={r.repeat}
        errors={props.errors}
        options={[
          ["none", "Does not repeat"],
          ["daily", "Daily"],
          ["weekly", "Weekly"],
          ["monthly", "Monthly"],
          ["yearly", "Yearly"],
          ["custom", "Custom rule (RRULE)"],
        ]}
      />
      <Input name="interval" label="Every" type="number" value={String(r.interval)} errors={props.errors} hint="1 = every day, week, month or year; 2 = every other one" />
      <fieldset class="cal-days">
        <legend>On (weekly)</legend>
        {WEEKDAY_CODES.map((d) => (
          <label>
            <input type="checkbox" name="days" value={d} checked={r.days.includes(d)} /> {DAY_NAMES[d]}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Monthly</legend>
        <label>
          <input type="radio" name="monthly" value="date" checked={r.monthly === "date"} /> on the same date
        </label>
        <label>
          <input type="radio" name="monthly" value="weekday" checked={r.monthly === "weekday"} /> on the same weekday (such as the second Tuesday)
        </label>
      </fieldset>
      <fieldset>
        <legend>Ends</legend>
        <label>
          <input type="radio" name="ends" value="never" checked={r.ends === "never"} /> never
        </label>
        <label>
          <input type="radio" name="ends" value="on" checked={r.ends === "on"} /> on
        </label>
        <Input name="until" label="Last date" type="date" value={r.until} errors={props.errors} />
        <label>
          <input type="radio" name="ends" value="after" checked={r.ends === "after"} /> after
        </label>
        <Input name="count" label="Times" type="number" value={String(r.count)} errors={props.errors} />
      </fieldset>
      <Input name="rrule" label="Custom rule" value={r.rrule} errors={props.errors} hint="RFC 5545 without RRULE:, such as FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1" />
      <p class="cal-summary" id="ev-summary" aria-live="polite">
        {props.summary}
      </p>
    </fieldset>
  );
}

export interface EventFormProps {
  action: string;
  heading: string;
  values: EventFormValues;
  errors: FieldErrors;
  message?: string | null;
  calendars: Option[];
  members: Option[];
  summary: string;
  back: string;
  /** Editing an occurrence of a series: ask which ones the change is for. */
  occurrence?: string | null;
  recurring?: boolean;
  zones: string[];
  deleteAction?: string | null;
  event?: EventView | null;
}

function ScopeChoice(props: { name?: string; idPrefix: string }) {
  return (
    <fieldset class="cal-scope">
      <legend>Apply to</legend>
      <label>
        <input type="radio" name="scope" value="this" checked /> This event
      </label>
      <label>
        <input type="radio" name="scope" value="following" /> This and following events
      </label>
      <label>
        <input type="radio" name="scope" value="all" /> All events
      </label>
    </fieldset>
  );
}

/** The drawer's form to create or edit (a whole event, or one occurrence with the this / following / all choice). */
export function EventForm(props: EventFormProps) {
  const v = props.values;
  const asks = props.recurring && props.occurrence;
  return (
    <div class="cal-drawer-body">
      <div class="cal-drawer-head">
        <h2>{props.heading}</h2>
        <a href={props.back} class="button small" data-close-drawer>
          Close
        </a>
      </div>
      {props.event?.conference ? (
        <p>
          <a class="button primary" href={props.event.conference.url} target="_blank" rel="noopener noreferrer" hx-boost="false">
            Join {props.event.conference.provider}
          </a>
        </p>
      ) : null}
      {props.event ? (
        <AddToCalendar eventId={props.event.id} />
      ) : (
        <p>
          <a href={`/calendar/find-time?back=${encodeURIComponent(props.back)}`} hx-get={`/calendar/find-time?back=${encodeURIComponent(props.back)}`} hx-target="#calendar-drawer" hx-swap="innerHTML" class="cal-find-time-link">
            Find a time with others
          </a>
        </p>
      )}
      <FormMessage kind="error" message={props.message ?? (props.errors._form ?? []).join(" ")} />
      <form method="post" action={props.action} hx-post={props.action} hx-target="#calendar-drawer" hx-swap="innerHTML" class="cal-event-form" novalidate>
        <input type="hidden" name="back" value={props.back} />
        {props.occurrence ? <input type="hidden" name="occurrence" value={props.occurrence} /> : null}
        <Input name="title" label="Title" value={v.title} errors={props.errors} required maxlength={200} />
        {props.calendars.length > 1 || !props.occurrence ? <Select name="calendarId" label="Calendar" value={v.calendarId} options={props.calendars.map((c) => [c.id, c.name])} errors={props.errors} /> : <input type="hidden" name="calendarId" value={v.calendarId} />}
        <div class="field">
          <label>
            <input type="checkbox" name="allDay" value="on" checked={v.allDay} /> All day
          </label>
          <Err errors={props.errors} name="allDay" id="ev-allDay" />
        </div>
        <div class="cal-when">
          <Input name="startDate" label="Starts" type="date" value={v.startDate} errors={props.errors} required />
          <Input name="startTime" label="at" type="time" value={v.startTime} errors={props.errors} />
          <Input name="endDate" label="Ends" type="date" value={v.endDate} errors={props.errors} required />
          <Input name="endTime" label="at" type="time" value={v.endTime} errors={props.errors} />
        </div>
        <Input name="timeZone" label="Time zone" value={v.timeZone} errors={props.errors} list="ev-zones" hint="The zone its times are in (all-day events are on the same date everywhere)" />
        <datalist id="ev-zones">
          {props.zones.map((z) => (
            <option value={z}></option>
          ))}
        </datalist>
        <RecurrenceEditor values={v} errors={props.errors} summary={props.summary} />
        <Input name="location" label="Location" value={v.location} errors={props.errors} />
        <Input name="url" label="Video call or link" type="url" value={v.url} errors={props.errors} hint="Google Meet, Zoom and Teams links get a Join button" />
        <div class="field">
          <label for="ev-description">Description</label>
          <textarea id="ev-description" name="description" rows={3}>
            {v.description}
          </textarea>
          <Err errors={props.errors} name="description" id="ev-description" />
        </div>
        <div class="cal-when">
          <Select name="visibility" label="Visibility" value={v.visibility} errors={props.errors} options={[["default", "Default"], ["private", "Private (others see busy)"]]} />
          <Select name="transparency" label="Show as" value={v.transparency} errors={props.errors} options={[["opaque", "Busy"], ["transparent", "Free"]]} />
        </div>
        {props.members.length ? (
          <fieldset class="cal-attendees">
            <legend>Attendees</legend>
            {props.members.map((m) => (
              <label>
                <input type="checkbox" name="attendees" value={m.id} checked={v.attendees.includes(m.id)} /> {m.name}
              </label>
            ))}
            <Err errors={props.errors} name="attendees" id="ev-attendees" />
          </fieldset>
        ) : null}
        <div class="cal-guests">
          <label for="ev-guests">Guests by email (they get an invitation they can answer without an account)</label>
          <textarea id="ev-guests" name="guests" rows={2} placeholder="name@example.com, one per line" aria-invalid={props.errors.guests ? "true" : undefined}>
            {v.guests}
          </textarea>
          <Err errors={props.errors} name="guests" id="ev-guests" />
        </div>
        <fieldset class="cal-reminders">
          <legend>Remind</legend>
          <input type="hidden" name="remindersShown" value="1" />
          {[...REMINDER_CHOICES, ...v.reminders.filter((m) => !REMINDER_CHOICES.some(([c]) => c === m)).map((m): [number, string] => [m, `${m} minutes before`])].map(([minutes, label]) => (
            <label>
              <input type="checkbox" name="reminders" value={String(minutes)} checked={v.reminders.includes(minutes)} /> {label}
            </label>
          ))}
          <Err errors={props.errors} name="reminders" id="ev-reminders" />
        </fieldset>
        {asks ? <ScopeChoice idPrefix="edit" /> : null}
        <Err errors={props.errors} name="occurrence" id="ev-occurrence" />
        <button type="submit" class="button primary">
          Save
        </button>
      </form>
      {props.deleteAction ? <DeleteForm action={props.deleteAction} back={props.back} occurrence={props.occurrence ?? null} recurring={!!props.recurring} /> : null}
    </div>
  );
}

export function DeleteForm(props: { action: string; back: string; occurrence: string | null; recurring: boolean }) {
  return (
    <form method="post" action={props.action} hx-post={props.action} hx-target="#calendar-drawer" hx-swap="innerHTML" class="cal-delete">
      <input type="hidden" name="back" value={props.back} />
      {props.occurrence ? <input type="hidden" name="occurrence" value={props.occurrence} /> : null}
      {props.recurring && props.occurrence ? <ScopeChoice idPrefix="delete" /> : null}
      <button type="submit" class="button danger">
        Delete
      </button>
    </form>
  );
}

/** What a reader sees of an event they may not change. */
export function EventDetails(props: { event: EventView; when: string; back: string; calendarName: string; people?: Child }) {
  const e = props.event;
  return (
    <div class="cal-drawer-body">
      <div class="cal-drawer-head">
        <h2>{e.title}</h2>
        <a href={props.back} class="button small" data-close-drawer>
          Close
        </a>
      </div>
      <p>{props.when}</p>
      <p class="muted">
        {props.calendarName} · {e.recurrence}
      </p>
      {e.conference ? (
        <p>
          <a class="button primary" href={e.conference.url} target="_blank" rel="noopener noreferrer" hx-boost="false">
            Join {e.conference.provider}
          </a>
        </p>
      ) : null}
      {e.location ? <p>{e.location}</p> : null}
      {e.description ? <p class="cal-description">{e.description}</p> : null}
      <AddToCalendar eventId={e.id} />
      {props.people}
    </div>
  );
}

/** The event (its whole series) as an .ics file, which the system's calendar app opens. */
function AddToCalendar(props: { eventId: string }) {
  return (
    <p>
      <a href={`/api/events/${props.eventId}/ics`} download hx-boost="false" class="cal-add-to-calendar">
        Add to calendar (.ics)
      </a>
    </p>
  );
}

/** After a drag onto a recurring event: which occurrences the move is for. */
export function MovePrompt(props: { action: string; fields: Record<string, string>; title: string; back: string }) {
  return (
    <div class="cal-drawer-body">
      <div class="cal-drawer-head">
        <h2>Move “{props.title}”</h2>
        <a href={props.back} class="button small" data-close-drawer>
          Cancel
        </a>
      </div>
      <form method="post" action={props.action} hx-post={props.action} hx-target="#calendar-drawer" hx-swap="innerHTML" class="cal-move-prompt">
        {Object.entries(props.fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <p>This event repeats. Move</p>
        <button type="submit" name="scope" value="this" class="button primary">
          This event
        </button>
        <button type="submit" name="scope" value="following" class="button">
          This and following
        </button>
        <button type="submit" name="scope" value="all" class="button">
          All events
        </button>
      </form>
    </div>
  );
}

/** The drawer after a change: says so; the grid reloads itself (the answer's HX-Trigger). */
export function Saved(props: { message: string; children?: Child }) {
  return (
    <div class="cal-drawer-body">
      <p class="form-message success" role="status">
        {props.message}
      </p>
      {props.children}
    </div>
  );
}
