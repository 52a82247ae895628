// Today's and tomorrow's events for the home page's context cards: one window query over every calendar the
// person sees, grouped by the context each calendar belongs to (shared personal calendars count as Personal).
import type { Deps } from "../../deps";
import { placesOf, viewSettingsOf, visibleCalendars } from "./calendars";
import { datesOf, todayIn } from "./grid";
import { occurrencesIn } from "./occurrences";
import { DAY_MS, formatLocalDate, isTimeZone, parseLocalDate, placeWallClock } from "./recurrence";

export interface HomeAgendaItem {
  time: string;
  title: string;
  href: string | null;
}
export interface HomeAgenda {
  today: HomeAgendaItem[];
  tomorrow: HomeAgendaItem[];
}

/** Context key ("personal", "business:<id>", "household:<id>") → today's and tomorrow's events in the person's zone. */
export async function homeAgenda(deps: Pick<Deps, "db" | "log" | "now">, userId: string): Promise<Map<string, HomeAgenda>> {
  const [places, settings] = await Promise.all([placesOf(deps, userId), viewSettingsOf(deps.db, userId)]);
  const zone = settings.timeZone && isTimeZone(settings.timeZone) ? settings.timeZone : "UTC";
  const today = todayIn(deps.now(), zone);
  const tomorrow = formatLocalDate(parseLocalDate(today)! + DAY_MS);
  const from = placeWallClock(parseLocalDate(today)!, zone);
  const to = placeWallClock(parseLocalDate(today)! + 2 * DAY_MS, zone);
  const calendars = await visibleCalendars(deps, places);
  const hidden = new Set(settings.hiddenCalendarIds);
  const shown = calendars.filter((c) => !hidden.has(c.row.id));
  const { occurrences } = await occurrencesIn(deps, places, { from, to, zone, calendarIds: shown.map((c) => c.row.id), invitations: true }, calendars);
  const keyOf = new Map(shown.map((c) => [c.row.id, c.row.contextType === "personal" ? "personal" : `${c.row.contextType}:${c.row.contextId}`]));
  const time = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const agenda = new Map<string, HomeAgenda>();
  for (const o of occurrences) {
    const key = keyOf.get(o.calendarId)!;
    const entry = agenda.get(key) ?? { today: [], tomorrow: [] };
    agenda.set(key, entry);
    const [first, last] = datesOf(o, zone);
    const query = new URLSearchParams({ back: "/home" });
    if (o.recurrenceId) query.set("occurrence", o.recurrenceId);
    const item: HomeAgendaItem = { time: o.allDay ? "All day" : time.format(o.startMs), title: o.busy ? "Busy" : (o.title ?? ""), href: o.eventId ? `/calendar/events/${o.eventId}?${query.toString()}` : null };
    if (first <= today && last >= today) entry.today.push(item);
    if (first <= tomorrow && last >= tomorrow) entry.tomorrow.push({ ...item, time: o.allDay || first < tomorrow ? "All day" : item.time });
  }
  return agenda;
}
