// For tests: every occurrence ical.js finds in an iCalendar text, as the reference our export and import are
// compared with. Masters with their exceptions (a cancelled one is left out), EXDATEs applied; an occurrence whose
// series is not in the text counts as an event of its own.
import ICAL from "ical.js";

export interface Instance {
  start: number;
  end: number;
  title: string;
}

const cancelled = (component: ICAL.Component) => String(component.getFirstPropertyValue("status") ?? "").toUpperCase() === "CANCELLED";

/** The occurrences overlapping [from, to) (ISO instants), sorted by start then title. */
export function expandWithIcalJs(ics: string, fromIso: string, toIso: string): Instance[] {
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const zone of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
  const byUid = new Map<string, ICAL.Component[]>();
  for (const vevent of root.getAllSubcomponents("vevent")) {
    const uid = String(vevent.getFirstPropertyValue("uid"));
    byUid.set(uid, [...(byUid.get(uid) ?? []), vevent]);
  }
  const from = Date.parse(fromIso);
  const to = Date.parse(toIso);
  const out: Instance[] = [];
  const single = (event: ICAL.Event) => {
    const start = event.startDate.toUnixTime() * 1000;
    const end = event.endDate.toUnixTime() * 1000;
    if (start < to && end > from) out.push({ start, end, title: event.summary });
  };
  for (const parts of byUid.values()) {
    const master = parts.find((p) => !p.hasProperty("recurrence-id"));
    if (!master) {
      for (const part of parts) if (!cancelled(part)) single(new ICAL.Event(part));
      continue;
    }
    if (cancelled(master)) continue;
    const event = new ICAL.Event(master);
    const exceptions = parts.filter((p) => p.hasProperty("recurrence-id"));
    for (const exception of exceptions) event.relateException(exception);
    if (!event.isRecurring()) {
      single(event);
      continue;
    }
    const iterator = event.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      const details = event.getOccurrenceDetails(next);
      if (details.item !== event && cancelled(details.item.component)) continue;
      const start = details.startDate.toUnixTime() * 1000;
      if (details.recurrenceId.toUnixTime() * 1000 > to + 2 * 86_400_000) break;
      const end = details.endDate.toUnixTime() * 1000;
      if (start < to && end > from) out.push({ start, end, title: details.item.summary });
    }
  }
  return out.sort((a, b) => a.start - b.start || a.title.localeCompare(b.title));
}
