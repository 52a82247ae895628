import type { Child } from "hono/jsx";
import type { CalendarViewName, DayCell, PlacedEvent, ViewRange } from "../../src/features/calendar/grid";
import type { OccurrenceItem } from "../../src/features/calendar/occurrences";

export interface CalendarChoice {
  id: string;
  name: string;
  color: string;
  contextName: string;
  access: string;
  shown: boolean;
}

/** Where the view lives and how its addresses are made (the overlay, a business tab, a household). */
export interface CalendarPlace {
  /** "/calendar", "/business/:id/workspace/calendar", "/household/:id/calendar". */
  base: string;
  /** Sent back with forms so they return here: "all", "business:<id>", "household:<id>". */
  scope: string;
  title: string;
}

export interface CalendarViewProps {
  place: CalendarPlace;
  range: ViewRange;
  zone: string;
  today: string;
  calendars: CalendarChoice[];
  /** The `cal` of the address (null: the remembered choice). */
  cal: string[] | null;
  grid: GridProps;
}

export interface GridProps {
  range: ViewRange;
  zone: string;
  today: string;
  cells: DayCell[];
  /** Week and day views: each day's timed events placed. */
  placed: PlacedEvent[][];
  /** The current-time line's row per shown day (null where not today). */
  nowSlots: (number | null)[];
  truncated: boolean;
  /** The grid's own address (it reloads itself from there on a live change). */
  gridUrl: string;
  /** Where the drawer's links return to. */
  back: string;
  /** Some calendar shown takes new events from this person (else no "+" links). */
  mayAdd: boolean;
}

const VIEW_LABELS: Record<CalendarViewName, string> = { month: "Month", week: "Week", day: "Day", agenda: "Agenda" };
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export function viewHref(place: Pick<CalendarPlace, "base">, view: CalendarViewName, date: string, cal: string[] | null): string {
  const query = new URLSearchParams({ view, date });
  if (cal) query.set("cal", cal.join(","));
  return `${place.base}?${query.toString()}`;
}

const monthName = (date: string) => `${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
const dayName = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  return `${WEEKDAYS[(d.getUTCDay() + 6) % 7]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]!.slice(0, 3)}`;
};

function heading(range: ViewRange): string {
  if (range.view === "month") return monthName(range.date);
  if (range.view === "day") return `${dayName(range.date)} ${range.date.slice(0, 4)}`;
  return `${dayName(range.days[0]!)} – ${dayName(range.days.at(-1)!)} ${range.days.at(-1)!.slice(0, 4)}`;
}

/** A link that swaps the calendar view in place with htmx and pushes its address (a plain link without). */
function ViewLink(props: { href: string; children: Child; current?: boolean; label?: string; rel?: string }) {
  return (
    <a href={props.href} hx-get={props.href} hx-target="#calendar-view" hx-select="#calendar-view" hx-swap="outerHTML" hx-push-url="true" aria-current={props.current ? "page" : undefined} aria-label={props.label} rel={props.rel} class={props.current ? "button small current" : "button small"}>
      {props.children}
    </a>
  );
}

/** A grid link to another view (a day): it swaps the calendar region and pushes its address. */
const TO_VIEW = { "hx-target": "#calendar-view", "hx-select": "#calendar-view", "hx-swap": "outerHTML", "hx-push-url": "true" } as const;

export const colorClass = (color: string) => `color-${color.slice(1).toLowerCase()}`;

/** The stylesheet that gives each colour on the page its class (no inline styles under the CSP). */
export function ColorSheet(props: { colors: string[] }) {
  const list = [...new Set(props.colors.map((c) => c.slice(1).toLowerCase()))].sort();
  return list.length ? <link rel="stylesheet" href={`/calendar/colors.css?p=${list.join(".")}`} /> : null;
}

const hhmm = (item: OccurrenceItem) => item.localStart.slice(11, 16);
const label = (item: OccurrenceItem) => (item.busy ? "Busy" : (item.title ?? ""));

export function eventHref(item: OccurrenceItem, back: string): string | null {
  if (!item.eventId) return null;
  const query = new URLSearchParams({ back });
  if (item.recurrenceId) query.set("occurrence", item.recurrenceId);
  return `/calendar/events/${item.eventId}?${query.toString()}`;
}

/** One event in a month cell, the all-day row or the agenda: a link that opens the drawer. */
function Chip(props: { item: OccurrenceItem; zone: string; back: string; date?: string }) {
  const { item } = props;
  // A timed event shows its time on the day it starts (in the viewer's zone), not on the days it runs on into.
  const time = item.allDay || (props.date && item.localStart.slice(0, 10) !== props.date) ? null : hhmm(item);
  const text = (
    <>
      {time ? <span class="cal-chip-time">{time}</span> : null}
      <span class="cal-chip-title">{label(item)}</span>
    </>
  );
  const href = eventHref(item, props.back);
  const cls = `cal-chip ${colorClass(item.color)}${item.allDay ? " all-day" : ""}${item.busy ? " busy" : ""}`;
  return href ? (
    <a class={cls} href={href}>
      {text}
    </a>
  ) : (
    <span class={cls}>{text}</span>
  );
}

function newHref(date: string, back: string, time?: string) {
  const query = new URLSearchParams({ date, back });
  if (time) query.set("time", time);
  return `/calendar/events/new?${query.toString()}`;
}

function MonthGrid(props: GridProps) {
  const month = props.range.date.slice(0, 7);
  return (
    <div class="cal-month" role="grid" aria-label={monthName(props.range.date)}>
      <div class="cal-month-head" role="row">
        {WEEKDAYS.map((d) => (
          <span role="columnheader">{d}</span>
        ))}
      </div>
      {Array.from({ length: props.cells.length / 7 }, (_, w) => (
        <div class="cal-week-row" role="row">
          {props.cells.slice(w * 7, w * 7 + 7).map((cell) => {
            const extra = cell.items.length - 3;
            return (
              <div role="gridcell" class={`cal-day${cell.date.startsWith(month) ? "" : " other-month"}${cell.date === props.today ? " today" : ""}`} data-date={cell.date}>
                <div class="cal-day-head">
                  <a class="cal-day-number" href={`?view=day&date=${cell.date}`} aria-label={dayName(cell.date)} {...TO_VIEW}>
                    {Number(cell.date.slice(8))}
                  </a>
                  {props.mayAdd ? <a class="cal-add" href={newHref(cell.date, props.back)} aria-label={`New event on ${dayName(cell.date)}`}>
                    +
                  </a> : null}
                </div>
                {cell.items.slice(0, extra > 0 ? 2 : 3).map((item) => (
                  <Chip item={item} zone={props.zone} back={props.back} date={cell.date} />
                ))}
                {extra > 0 ? (
                  <a class="cal-more" href={`?view=day&date=${cell.date}`} {...TO_VIEW}>
                    {extra + 1} more
                  </a>
                ) : null}
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}

function TimeGrid(props: GridProps) {
  const hours = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, "0")}:00`);
  return (
    <div class={`cal-time days-${props.cells.length}`}>
      <link rel="stylesheet" href="/static/calendar-grid.css" />
      <div class="cal-time-head">
        <span class="cal-gutter"></span>
        {props.cells.map((cell) => (
          <div class={`cal-col-head${cell.date === props.today ? " today" : ""}`}>
            <a href={`?view=day&date=${cell.date}`} {...TO_VIEW}>
              {dayName(cell.date)}
            </a>
            {props.mayAdd ? <a class="cal-add" href={newHref(cell.date, props.back, "09:00")} aria-label={`New event on ${dayName(cell.date)}`}>
              +
            </a> : null}
          </div>
        ))}
      </div>
      <div class="cal-allday-row" role="group" aria-label="All day">
        <span class="cal-gutter">All day</span>
        {props.cells.map((cell) => (
          <div class="cal-allday" data-date={cell.date}>
            {cell.items
              .filter((i) => i.allDay || i.endMs - i.startMs >= 86_400_000)
              .map((item) => (
                <Chip item={item} zone={props.zone} back={props.back} />
              ))}
          </div>
        ))}
      </div>
      <div class="cal-time-body" tabindex={0} role="group" aria-label="Times of day">
        <div class="cal-hours" aria-hidden="true">
          {hours.map((h) => (
            <span>{h}</span>
          ))}
        </div>
        {props.cells.map((cell, i) => (
          <div class="cal-col" data-date={cell.date} role="group" aria-label={dayName(cell.date)}>
            {props.placed[i]!.map((p) => {
              const href = eventHref(p.item, props.back);
              const cls = `cal-ev ${colorClass(p.item.color)} t-${p.slot} h-${p.span} lanes-${p.lanes} lane-${p.lane}${p.item.busy ? " busy" : ""}${p.continuesBefore ? " cut-top" : ""}${p.continuesAfter ? " cut-bottom" : ""}`;
              const body = (
                <>
                  <span class="cal-chip-time">{hhmm(p.item)}</span> <span class="cal-chip-title">{label(p.item)}</span>
                </>
              );
              return href ? (
                <a class={cls} href={href} data-event={p.item.eventId} data-occurrence={p.item.recurrenceId} data-recurring={p.item.recurring ? "1" : undefined} data-editable={p.item.canEdit ? "1" : undefined} data-slot={p.slot} data-span={p.span}>
                  {body}
                </a>
              ) : (
                <span class={cls}>{body}</span>
              );
            })}
            {props.nowSlots[i] !== null ? <span class={`cal-now t-${props.nowSlots[i]}`} role="img" aria-label="Now"></span> : null}
          </div>
        ))}
      </div>
    </div>
  );
}

function Agenda(props: GridProps) {
  const days = props.cells.filter((c) => c.items.length > 0);
  if (days.length === 0) return <p class="muted cal-empty">Nothing in these {props.cells.length} days.</p>;
  return (
    <ol class="cal-agenda">
      {days.map((cell) => (
        <li>
          <h3 class={cell.date === props.today ? "today" : undefined}>{dayName(cell.date)}</h3>
          <ul>
            {cell.items.map((item) => (
              <li>
                <Chip item={item} zone={props.zone} back={props.back} date={cell.date} />
                {item.location ? <span class="muted"> · {item.location}</span> : null}
                {item.conference ? (
                  <>
                    {" "}
                    <a class="button small" href={item.conference.url} rel="noopener noreferrer" target="_blank" hx-boost="false">
                      Join {item.conference.provider}
                    </a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

/**
 * The grid alone: what the live stream reloads (hx-swap innerHTML on #calendar-grid, so the element and its trigger
 * stay). Its links are plain (the body boosts them); the wrapper's inherited attributes send the events' and the "+"
 * links' answers to the drawer without pushing an address, which keeps a busy month's HTML small. Links to other
 * views say so themselves (TO_VIEW).
 */
export function Grid(props: GridProps) {
  const colors = props.cells.flatMap((c) => c.items.map((i) => i.color));
  return (
    <div class="cal-links" hx-target="#calendar-drawer" hx-swap="innerHTML" hx-push-url="false">
      <ColorSheet colors={colors} />
      {props.truncated ? <p class="form-message error" role="status">Too many events to show them all here: choose fewer calendars or a shorter view.</p> : null}
      {props.range.view === "month" ? <MonthGrid {...props} /> : props.range.view === "agenda" ? <Agenda {...props} /> : <TimeGrid {...props} />}
    </div>
  );
}

/** The whole calendar: toolbar, the calendars to show, the grid and the drawer. */
export function CalendarView(props: CalendarViewProps) {
  const { place, range, cal } = props;
  const href = (view: CalendarViewName, date: string) => viewHref(place, view, date, cal);
  return (
    <>
      <div class="cal-toolbar">
        <div class="cal-nav">
          <ViewLink href={href(range.view, props.today)}>Today</ViewLink>
          <ViewLink href={href(range.view, range.prev)} label="Previous" rel="prev">
            ‹
          </ViewLink>
          <ViewLink href={href(range.view, range.next)} label="Next" rel="next">
            ›
          </ViewLink>
          <h2 class="cal-heading">{heading(range)}</h2>
        </div>
        <nav class="cal-views" aria-label="Views">
          {(Object.keys(VIEW_LABELS) as CalendarViewName[]).map((v) => (
            <ViewLink href={href(v, range.date)} current={v === range.view}>
              {VIEW_LABELS[v]}
            </ViewLink>
          ))}
        </nav>
        {props.grid.mayAdd ? (
          <a class="button small primary" href={newHref(range.date, props.grid.back)} hx-get={newHref(range.date, props.grid.back)} hx-target="#calendar-drawer" hx-swap="innerHTML">
            New event
          </a>
        ) : null}
      </div>
      <div class="cal-layout">
        <aside class="cal-side">
          <form method="post" action="/calendar/shown" hx-post="/calendar/shown" hx-trigger="change" hx-target="#calendar-view" hx-select="#calendar-view" hx-swap="outerHTML" class="cal-choices">
            <input type="hidden" name="view" value={range.view} />
            <input type="hidden" name="date" value={range.date} />
            <input type="hidden" name="scope" value={place.scope} />
            <input type="hidden" name="listed" value={props.calendars.map((c) => c.id).join(",")} />
            <fieldset>
              <legend>Calendars</legend>
              {props.calendars.map((c) => (
                <label class={`cal-choice ${colorClass(c.color)}`}>
                  <input type="checkbox" name="cal" value={c.id} checked={c.shown} /> <span class="cal-swatch" aria-hidden="true"></span>
                  {c.name}
                  {c.name !== c.contextName ? <span class="muted"> · {c.contextName}</span> : null}
                  {c.access === "freebusy" ? <span class="muted"> (free/busy)</span> : null}
                </label>
              ))}
            </fieldset>
            <button type="submit" class="button small no-js">
              Show
            </button>
          </form>
          <p class="cal-zone muted">
            Times in {props.zone} · <a href="/calendar/settings">Change</a>
          </p>
        </aside>
        <div class="cal-main">
          <ColorSheet colors={props.calendars.map((c) => c.color)} />
          <div id="calendar-grid" class={`cal-grid view-${range.view}`} hx-get={props.grid.gridUrl} hx-trigger="sse:calendar, sse:resync, calendar-changed from:body" hx-swap="innerHTML" data-zone={props.zone}>
            <Grid {...props.grid} />
          </div>
        </div>
      </div>
      <aside id="calendar-drawer" class="cal-drawer" aria-live="polite"></aside>
    </>
  );
}

/** The region htmx swaps on navigation (links and the calendar choices pick it out of the answer with hx-select). */
export function CalendarRegion(props: CalendarViewProps) {
  return (
    <div id="calendar-view" class="calendar-view">
      <CalendarView {...props} />
    </div>
  );
}

/** The page around the view. */
export function CalendarPage(props: CalendarViewProps & { intro?: Child }) {
  return (
    <section class="calendar-page">
      {props.intro}
      <CalendarRegion {...props} />
    </section>
  );
}
