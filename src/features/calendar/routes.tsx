// The calendar's views: month, week, day and agenda (the overlay at /calendar, a business's tab, a household's
// calendar), the grid alone for the live stream, the calendars shown, and the stylesheet of the colours on a page.
// The drawer's routes are in drawer-routes.tsx, the settings' in settings-routes.tsx.
import { Hono } from "hono";
import { CalendarPage, CalendarRegion, Grid, viewHref, type CalendarPlace, type CalendarViewProps, type GridProps } from "../../../views/calendar/CalendarView";
import { render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { type AppContext, type AppEnv } from "../../http/types";
import { readForm } from "../../http/validate";
import { AppError } from "../../lib/errors";
import type { TabRenderer } from "../workspace";
import { mayEditEvents, placesOf, saveViewSettings, viewSettingsOf, visibleCalendars, type Places, type VisibleCalendar } from "./calendars";
import { byDay, nowSlot, placeDay, todayIn, viewRange, VIEWS, type CalendarViewName } from "./grid";
import { keptView } from "./kept-views";
import { occurrencesIn } from "./occurrences";
import { isTimeZone, parseLocalDate } from "./recurrence";
import { displayName } from "./page-data";
import { drawerRoutes } from "./drawer-routes";
import { settingsRoutes } from "./settings-routes";

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
  const { occurrences, truncated } = await occurrencesIn(deps, places, { from: range.from, to: range.to, zone, calendarIds: shownIds, invitations: true }, all);
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
    mayAdd: here.some(mayEditEvents),
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

/** Every calendar page: the views here, the drawer and the settings. */
export function calendarPages() {
  return new Hono<AppEnv>().route("/", viewRoutes()).route("/", drawerRoutes()).route("/", settingsRoutes());
}

function viewRoutes() {
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
    });
}
