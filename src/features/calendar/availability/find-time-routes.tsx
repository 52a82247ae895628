// GET /calendar/find-time: the drawer's "Find a time" (and a page of its own without JavaScript), on the
// availability API's rules: the next two weeks of slots common to the viewer and the people they pick.
import { Hono } from "hono";
import { FindTime, type FoundSlot } from "../../../../views/calendar/FindTime";
import { render } from "../../../http/render";
import { requireUser } from "../../../http/require-user";
import type { AppEnv } from "../../../http/types";
import { placesOf } from "../calendars";
import { peopleAround, zoneOf } from "../page-data";
import { DAY_MS, formatLocalDate, formatLocalDateTime, parseLocalDate, placeWallClock, wallClockAt } from "../recurrence";
import { availability } from "./availability";

const SEARCH_DAYS = 14;
const SLOTS_SHOWN = 24;

export function findTimeRoutes() {
  return new Hono<AppEnv>().get("/calendar/find-time", async (c) => {
    const { user } = requireUser(c);
    const deps = c.var.deps;
    const [places, zone] = await Promise.all([placesOf(deps, user.id), zoneOf(c, user.id)]);
    const people = await peopleAround(c, places);
    const known = new Set(people.map((p) => p.id));
    const chosen = c.req.queries("with")?.filter((id) => known.has(id)).slice(0, 20) ?? [];
    const duration = [15, 30, 45, 60, 90, 120].includes(Number(c.req.query("duration"))) ? Number(c.req.query("duration")) : 30;
    const today = formatLocalDate(wallClockAt(deps.now(), zone));
    const asked = c.req.query("from");
    const from = asked && parseLocalDate(asked) !== null && asked >= today ? asked : today;
    const back = /^\/calendar(\?|$)/.test(c.req.query("back") ?? "") ? c.req.query("back")! : "/calendar";
    const start = Math.max(placeWallClock(parseLocalDate(from)!, zone), deps.now());
    const result = await availability(deps, user.id, { from: start, to: start + SEARCH_DAYS * DAY_MS, userIds: [user.id, ...chosen], durationMinutes: duration, stepMinutes: 30 });
    const days: { date: string; label: string; slots: FoundSlot[] }[] = [];
    for (const slot of result.slots.slice(0, SLOTS_SHOWN)) {
      const [date, time] = formatLocalDateTime(wallClockAt(slot.startMs, zone)).split("T") as [string, string];
      let day = days[days.length - 1];
      if (!day || day.date !== date) days.push((day = { date, label: new Date(`${date}T12:00:00Z`).toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" }), slots: [] }));
      day.slots.push({ date, time: time.slice(0, 5), label: `${time.slice(0, 5)}–${formatLocalDateTime(wallClockAt(slot.endMs, zone)).slice(11, 16)}` });
    }
    const message = days.length ? null : `No common free time of ${duration} minutes in the ${SEARCH_DAYS} days from ${from}.`;
    return render(c, { title: "Find a time", fragment: <FindTime people={people} chosen={chosen} duration={duration} from={from} zone={zone} days={days} message={message} back={back} /> });
  });
}
