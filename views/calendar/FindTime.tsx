import type { Option } from "./EventDrawer";

export interface FoundSlot {
  /** On the viewer's clock. */
  date: string;
  time: string;
  label: string;
}

/**
 * "Find a time": pick people and a length, see the first times everyone is free within their working hours,
 * each a link that opens a new event there. A plain GET form; in the drawer htmx swaps it in place.
 */
export function FindTime(props: { people: Option[]; chosen: string[]; duration: number; from: string; zone: string; days: { date: string; label: string; slots: FoundSlot[] }[]; message: string | null; back: string }) {
  return (
    <div class="cal-drawer-body" id="find-time">
      <div class="cal-drawer-head">
        <h2>Find a time</h2>
        <a href={props.back} class="button small" data-close-drawer>
          Close
        </a>
      </div>
      <form method="get" action="/calendar/find-time" hx-get="/calendar/find-time" hx-target="#find-time" hx-swap="outerHTML" class="cal-find-time">
        <input type="hidden" name="back" value={props.back} />
        <fieldset>
          <legend>With</legend>
          {props.people.length ? (
            props.people.map((p) => (
              <label class="check">
                <input type="checkbox" name="with" value={p.id} checked={props.chosen.includes(p.id)} /> {p.name}
              </label>
            ))
          ) : (
            <p class="muted">Nobody shares a business or household with you yet.</p>
          )}
        </fieldset>
        <label>
          Length{" "}
          <select name="duration">
            {[15, 30, 45, 60, 90, 120].map((m) => (
              <option value={String(m)} selected={m === props.duration}>
                {m} minutes
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input type="date" name="from" value={props.from} />
        </label>
        <button type="submit" class="button small primary">
          Find
        </button>
      </form>
      {props.message ? <p role="status">{props.message}</p> : null}
      <p class="muted">Times in {props.zone}, within everyone's working hours.</p>
      {props.days.map((d) => (
        <section>
          <h3>{d.label}</h3>
          <ul class="cal-found-slots">
            {d.slots.map((s) => (
              <li>
                <a href={`/calendar/events/new?date=${s.date}&time=${s.time}&minutes=${props.duration}${props.chosen.map((id) => `&with=${encodeURIComponent(id)}`).join("")}&back=${encodeURIComponent(props.back)}`}>{s.label}</a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
