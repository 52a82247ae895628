import type { FieldErrors } from "../components/Field";
import { FormMessage } from "../components/Field";
import { colorClass, ColorSheet } from "./CalendarView";
import { CalendarImport, type ImportOutcome } from "./CalendarImport";
import type { Option } from "./EventDrawer";

export interface SettingsCalendar {
  id: string;
  name: string;
  color: string;
  contextName: string;
  contextType: string;
  isPrimary: boolean;
  manage: boolean;
  timeZone: string;
  memberAccess: string;
  access: string;
  shares: { userId: string; name: string; access: string }[];
  candidates: Option[];
  /** The person's subscription address for it: when made and last read (the address itself is shown once). */
  feed: { createdAt: string; lastUsedAt: string | null } | null;
  /** Just made: shown this once. */
  newFeedUrl: string | null;
  /** May add events: offers the import form, under this render's id for its progress. */
  importId: string | null;
  /** The import just done into it, or why it was refused. */
  imported: ImportOutcome | null;
  importError: string | null;
  /** Reminders its events get when they set none. */
  defaultReminders: number[];
  /** A copy of an outside feed: how its reads fare (the address itself to its managers only). */
  subscription: { url: string | null; refreshMinutes: number; lastRefreshedAt: string | null; nextRefreshAt: string; lastError: string | null } | null;
}

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** A subscribed calendar's state: where it reads from, when it last did, the last error, and "Refresh now". */
function SubscriptionState(props: { calendar: SettingsCalendar }) {
  const c = props.calendar;
  const s = c.subscription!;
  return (
    <div class="cal-subscription">
      <p class="muted">
        Copies {s.url ? <code>{s.url}</code> : "an outside feed"}, read every {s.refreshMinutes >= 60 ? `${Math.round(s.refreshMinutes / 60)} h` : `${s.refreshMinutes} min`}. Read-only: change its events where they come from.
      </p>
      <p class="muted">
        {s.lastRefreshedAt ? `Last read ${when(s.lastRefreshedAt)}` : "Not read yet"}; next {when(s.nextRefreshAt)}.
      </p>
      {s.lastError ? (
        <p class="field-error" role="status">
          The last read failed: {s.lastError}
        </p>
      ) : null}
      {c.manage ? (
        <form method="post" action={`/calendar/calendars/${c.id}/refresh`} class="inline-form">
          <button type="submit" class="button small">
            Refresh now
          </button>
        </form>
      ) : null}
    </div>
  );
}

/** Subscribe to a calendar published on the web (an .ics or webcal:// address). */
function SubscribeForm(props: { contexts: Option[]; errors: FieldErrors; sent: Record<string, string> }) {
  const err = (name: string) => (props.errors[name] ?? []).join(" ");
  return (
    <form method="post" action="/calendar/subscriptions" class="card">
      <h2>Subscribe to a calendar on the web</h2>
      <p class="hint">Public holidays, a school timetable, a team's Google or Outlook calendar: paste its .ics or webcal:// address. It stays read-only here and follows the original.</p>
      <label for="sub-url">Address</label>
      <input id="sub-url" name="url" type="url" inputmode="url" placeholder="webcal://… or https://….ics" required maxlength={2000} aria-invalid={err("url") ? "true" : undefined} aria-describedby={err("url") ? "sub-url-error" : undefined} value={props.sent.url} />
      {err("url") ? (
        <p class="field-error" id="sub-url-error">
          {err("url")}
        </p>
      ) : null}
      <label for="sub-name">Name (optional)</label>
      <input id="sub-name" name="name" maxlength={100} value={props.sent.name} />
      <label for="sub-context">In</label>
      <select id="sub-context" name="contextId">
        {props.contexts.map((o) => (
          <option value={o.id.replace(/^(business|household):/, "")} selected={o.id.endsWith(props.sent.contextId ?? "\u0000")}>
            {o.name}
          </option>
        ))}
      </select>
      {err("contextId") ? <p class="field-error">{err("contextId")}</p> : null}
      <button type="submit" class="button primary">
        Subscribe
      </button>
    </form>
  );
}

const day = (iso: string) => iso.slice(0, 10);

/** Download the calendar, or give other apps (Apple, Google, Thunderbird) a secret address to subscribe to. */
function Subscribe(props: { calendar: SettingsCalendar }) {
  const c = props.calendar;
  return (
    <details class="cal-subscribe" open={c.newFeedUrl !== null}>
      <summary>Download or subscribe</summary>
      <p>
        <a href={`/api/calendar/export.ics?calendarId=${c.id}`} download hx-boost="false">
          Download .ics
        </a>
      </p>
      {c.newFeedUrl ? (
        <div class="cal-feed-new" role="status">
          <label for={`feed-${c.id}`}>Your subscription address — copy it now, it is shown only once:</label>
          <input id={`feed-${c.id}`} readonly value={c.newFeedUrl} />
          <button type="button" class="button small" data-copy={c.newFeedUrl} hidden>
            Copy
          </button>
          <p class="muted">Anyone with this address sees this calendar as you do. Apps may also take webcal:// in place of https://.</p>
        </div>
      ) : null}
      {c.feed ? (
        <p class="muted">
          Address made {day(c.feed.createdAt)}
          {c.feed.lastUsedAt ? `, last read ${day(c.feed.lastUsedAt)}` : ", not read yet"}.
        </p>
      ) : null}
      <div class="row-actions">
        <form method="post" action={`/calendar/calendars/${c.id}/feed`} class="inline-form">
          <button type="submit" class="button small">
            {c.feed ? "Replace the address" : "Make a subscription address"}
          </button>
        </form>
        {c.feed ? (
          <form method="post" action={`/calendar/calendars/${c.id}/feed/delete`} class="inline-form">
            <button type="submit" class="button small danger">
              Stop the address
            </button>
          </form>
        ) : null}
      </div>
    </details>
  );
}

const DEFAULT_REMINDERS: [number, string][] = [
  [0, "At the start"],
  [10, "10 minutes before"],
  [30, "30 minutes before"],
  [60, "1 hour before"],
  [1440, "1 day before"],
];

const SHARE_LABELS: Record<string, string> = { read: "See events", write: "Add and change events", freebusy: "See free/busy only" };

/** Who else sees a calendar beyond their role: a list with Remove, and a form to add someone. */
function Sharing(props: { calendar: SettingsCalendar }) {
  const c = props.calendar;
  return (
    <div class="cal-sharing">
      <h3>Shared with</h3>
      {c.shares.length ? (
        <ul>
          {c.shares.map((s) => (
            <li>
              {s.name} · {SHARE_LABELS[s.access]}{" "}
              <form method="post" action={`/calendar/calendars/${c.id}/shares/${s.userId}/delete`} class="inline-form">
                <button type="submit" class="link-button">
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">Nobody beyond what their role gives.</p>
      )}
      {c.candidates.length ? (
        <form method="post" action={`/calendar/calendars/${c.id}/shares`} class="row-actions">
          <label>
            Person{" "}
            <select name="userId">
              {c.candidates.map((o) => (
                <option value={o.id}>{o.name}</option>
              ))}
            </select>
          </label>
          <label>
            May{" "}
            <select name="access">
              {Object.entries(SHARE_LABELS).map(([value, text]) => (
                <option value={value}>{text}</option>
              ))}
            </select>
          </label>
          <button type="submit" class="button small">
            Share
          </button>
        </form>
      ) : null}
    </div>
  );
}

const ACCESS: Record<string, string> = { manage: "You manage it", write: "You can add and change events", read: "You can see events", freebusy: "You see free/busy only" };
const MEMBER_ACCESS: [string, string][] = [
  ["default", "Members see events (their role decides)"],
  ["freebusy", "Members see free/busy only"],
  ["none", "Only managers and people it is shared with"],
];

function ZoneSelect(props: { id: string; name: string; value: string; zones: string[] }) {
  return (
    <select id={props.id} name={props.name}>
      {props.zones.map((z) => (
        <option value={z} selected={z === props.value}>
          {z}
        </option>
      ))}
    </select>
  );
}

const DAYS: [string, string][] = [
  ["mo", "Monday"],
  ["tu", "Tuesday"],
  ["we", "Wednesday"],
  ["th", "Thursday"],
  ["fr", "Friday"],
  ["sa", "Saturday"],
  ["su", "Sunday"],
];

/** When others may find a time with the person: per weekday, worked or not, from and until (the first period; more by the API). */
function WorkingHoursForm(props: { hours: Record<string, Array<[string, string]>>; timeZone: string | null; zones: string[]; chosen: boolean; errors: FieldErrors }) {
  return (
    <form method="post" action="/calendar/settings/working-hours" class="card">
      <h2>Your working hours</h2>
      <p class="hint">“Find a time” offers others only times inside these, in your zone{props.chosen ? "" : " (not set yet: Monday to Friday, 09:00–17:00)"}.</p>
      <label for="wh-zone">Time zone</label>{" "}
      <select id="wh-zone" name="timeZone">
        <option value="" selected={props.timeZone === null}>
          The zone of my calendar
        </option>
        {props.zones.map((z) => (
          <option value={z} selected={z === props.timeZone}>
            {z}
          </option>
        ))}
      </select>
      <table class="cal-working-hours">
        <tbody>
          {DAYS.map(([key, name]) => {
            const [first] = props.hours[key] ?? [];
            const error = (props.errors[`hours.${key}`] ?? []).join(" ");
            return (
              <tr>
                <th scope="row">
                  <label>
                    <input type="checkbox" name={`works-${key}`} value="1" checked={first !== undefined} /> {name}
                  </label>
                </th>
                <td>
                  <label>
                    from <input type="time" name={`start-${key}`} value={first?.[0] ?? "09:00"} aria-invalid={error ? "true" : undefined} />
                  </label>{" "}
                  <label>
                    until <input type="time" name={`end-${key}`} value={first?.[1] === "24:00" ? "23:59" : (first?.[1] ?? "17:00")} aria-invalid={error ? "true" : undefined} />
                  </label>
                  {(props.hours[key]?.length ?? 0) > 1 ? <span class="muted"> (and {props.hours[key]!.length - 1} more period{props.hours[key]!.length > 2 ? "s" : ""}, kept)</span> : null}
                  {error ? <p class="field-error">{error}</p> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="submit" class="button small">
        Save working hours
      </button>
    </form>
  );
}

/** The person's zone, their calendars (rename, colour, zone, who sees, delete) and a form to add one. */
export function CalendarSettingsPage(props: {
  zone: string;
  zones: string[];
  errors: FieldErrors;
  saved: string | null;
  contexts: Option[];
  calendars: SettingsCalendar[];
  /** A refused subscription: what was sent and why. */
  subscribe?: { errors: FieldErrors; sent: Record<string, string> };
  workingHours: { hours: Record<string, Array<[string, string]>>; timeZone: string | null; chosen: boolean; errors: FieldErrors };
}) {
  const err = (name: string) => (props.errors[name] ?? []).join(" ");
  return (
    <section class="cal-settings">
      <h1>Calendar settings</h1>
      <p>
        <a href="/calendar">Back to the calendar</a>
      </p>
      <FormMessage kind="success" message={props.saved} />
      <FormMessage kind="error" message={(props.errors._form ?? []).join(" ") || null} />
      <ColorSheet colors={props.calendars.map((c) => c.color)} />
      <form method="post" action="/calendar/settings/zone" class="card">
        <h2>Your time zone</h2>
        <p class="hint">Grids show times in this zone; all-day events stay on their dates.</p>
        <label for="zone">Time zone</label> <ZoneSelect id="zone" name="timeZone" value={props.zone} zones={props.zones} />
        {err("timeZone") ? <p class="field-error">{err("timeZone")}</p> : null}
        <button type="submit" class="button small">
          Save zone
        </button>
      </form>
      <WorkingHoursForm {...props.workingHours} zones={props.zones} />
      <div class="card">
        <h2>Your calendars</h2>
        <ul class="cal-settings-list">
          {props.calendars.map((c) => (
            <li class={colorClass(c.color)}>
              <span class="cal-swatch" aria-hidden="true"></span> <strong>{c.name}</strong> <span class="muted">· {c.contextName}{c.isPrimary ? " · primary" : ""} · {ACCESS[c.access]}</span>
              {c.subscription ? <SubscriptionState calendar={c} /> : null}
              <Subscribe calendar={c} />
              {c.importId ? <CalendarImport calendarId={c.id} importId={c.importId} outcome={c.imported} error={c.importError} /> : null}
              {c.manage ? (
                <details>
                  <summary>Change</summary>
                  <form method="post" action={`/calendar/calendars/${c.id}`}>
                    <label>
                      Name <input name="name" value={c.name} maxlength={100} />
                    </label>
                    <label>
                      Colour <input type="color" name="color" value={c.color} />
                    </label>
                    <label>
                      Default zone <ZoneSelect id={`zone-${c.id}`} name="timeZone" value={c.timeZone} zones={props.zones} />
                    </label>
                    {c.contextType !== "personal" ? (
                      <label>
                        Who sees it{" "}
                        <select name="memberAccess">
                          {MEMBER_ACCESS.map(([v, t]) => (
                            <option value={v} selected={v === c.memberAccess}>
                              {t}
                            </option>
                          ))}
                        </select>
                      </label>
                    ) : null}
                    <fieldset>
                      <legend>Remind of its events (unless an event says otherwise)</legend>
                      <input type="hidden" name="remindersShown" value="1" />
                      {DEFAULT_REMINDERS.map(([minutes, label]) => (
                        <label>
                          <input type="checkbox" name="defaultReminders" value={String(minutes)} checked={c.defaultReminders.includes(minutes)} /> {label}
                        </label>
                      ))}
                    </fieldset>
                    <button type="submit" class="button small">
                      Save
                    </button>
                  </form>
                  <Sharing calendar={c} />
                  {!c.isPrimary ? (
                    <form method="post" action={`/calendar/calendars/${c.id}/delete`}>
                      <button type="submit" class="button small danger">
                        Delete this calendar and its events
                      </button>
                    </form>
                  ) : null}
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
      <SubscribeForm contexts={props.contexts} errors={props.subscribe?.errors ?? {}} sent={props.subscribe?.sent ?? {}} />
      <form method="post" action="/calendar/calendars" class="card">
        <h2>Add a calendar</h2>
        <label for="new-cal-name">Name</label>
        <input id="new-cal-name" name="name" maxlength={100} required aria-invalid={err("name") ? "true" : undefined} />
        {err("name") ? <p class="field-error">{err("name")}</p> : null}
        <label for="new-cal-context">In</label>
        <select id="new-cal-context" name="context">
          {props.contexts.map((o) => (
            <option value={o.id}>{o.name}</option>
          ))}
        </select>
        {err("contextId") ? <p class="field-error">{err("contextId")}</p> : null}
        <label for="new-cal-color">Colour</label> <input id="new-cal-color" type="color" name="color" value="#7c3aed" />
        <label for="new-cal-zone">Default zone</label> <ZoneSelect id="new-cal-zone" name="timeZone" value={props.zone} zones={props.zones} />
        <button type="submit" class="button primary">
          Add calendar
        </button>
      </form>
    </section>
  );
}
