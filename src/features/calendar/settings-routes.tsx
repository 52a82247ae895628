// Calendar settings: the person's zone, and the calendars they manage (add, rename, colour, zone, who sees, share,
// delete), all with plain forms.
import { Hono } from "hono";
import { type Option } from "../../../views/calendar/EventDrawer";
import { CalendarSettingsPage } from "../../../views/calendar/CalendarSettings";
import { tryForm } from "../../http/forms";
import { render, redirectAfterPost } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { readForm } from "../../http/validate";
import { type FieldErrors } from "../../lib/errors";
import { mayCreateCalendarIn } from "./access";
import { askerIn, createCalendar, mayEditEvents, deleteCalendar, deleteShare, listShares, placesOf, putShare, saveViewSettings, updateCalendar, visibleCalendars, type Places, type VisibleCalendar } from "./calendars";
import { calendarInput, overlapErrors, subscriptionInput, workingHoursInput } from "./input";
import { DEFAULT_WORKING_HOURS } from "./availability/intervals";
import { savedWorkingHours, saveWorkingHours } from "./availability/availability";
import { isTimeZone } from "./recurrence";
import { MEMBER_ACCESS, SHARE_ACCESS, WEEKDAY_KEYS, type WorkingHours, type CalendarContext, type MemberAccess, type ShareAccess } from "./schema";
import { displayName, membersFor, peopleAround, zoneOf, zones } from "./page-data";
import { feedsOf, issueFeed, revokeFeed } from "./ical/feeds";
import { importIcs, type ImportReport } from "./ical/import";
import { importLimit, limitImports, readUpload } from "./ical/upload";
import { refreshNow, subscribe, subscriptionStates } from "./subscriptions/subscriptions";
import { newId } from "../../lib/crypto";


export function settingsRoutes() {
  return new Hono<AppEnv>()
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
    .post("/calendar/settings/working-hours", async (c) => {
      const { user } = requireUser(c);
      const sent = (await readForm(c)).values;
      // One period a day from the form; a day's further periods (set through the API) are kept.
      const current = await savedWorkingHours(c.var.deps.db, user.id);
      const hours = Object.fromEntries(WEEKDAY_KEYS.map((key) => [key, sent[`works-${key}`] === "1" ? [[sent[`start-${key}`] ?? "", sent[`end-${key}`] === "23:59" ? "24:00" : (sent[`end-${key}`] ?? "")], ...(current?.hours[key] ?? []).slice(1)] : []])) as WorkingHours;
      const zone = sent.timeZone && isTimeZone(sent.timeZone) ? sent.timeZone : null;
      const parsed = workingHoursInput.safeParse({ timeZone: zone, hours });
      const errors = parsed.success ? overlapErrors(parsed.data.hours) : Object.fromEntries(parsed.error.issues.map((i) => [i.path.slice(0, 2).join("."), [i.message]]));
      if (!parsed.success || Object.keys(errors).length) return settingsPage(c, user.id, {}, 400, { workingHours: { hours, timeZone: zone, errors } });
      await saveWorkingHours(c.var.deps, user.id, parsed.data);
      return redirectAfterPost(c, "/calendar/settings?saved=working-hours");
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
      const form = await readForm(c);
      const sent = form.values;
      const leads = (form.lists.defaultReminders ?? []).map(Number).filter((n) => Number.isInteger(n) && n >= 0 && n <= 40320);
      const patch = { defaultReminders: sent.remindersShown === "1" ? [...new Set(leads)].sort((a, b) => a - b).slice(0, 5) : undefined, name: sent.name?.trim() || undefined, color: /^#[0-9a-fA-F]{6}$/.test(sent.color ?? "") ? sent.color : undefined, timeZone: sent.timeZone && isTimeZone(sent.timeZone) ? sent.timeZone : undefined, memberAccess: (MEMBER_ACCESS as readonly string[]).includes(sent.memberAccess ?? "") ? (sent.memberAccess as MemberAccess) : undefined };
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
    // The new address is shown in the answer itself, once: it is a secret, so never in a redirect's URL.
    .post("/calendar/calendars/:id/feed", async (c) => {
      const { user } = requireUser(c);
      const feed = await issueFeed(c.var.deps, user.id, c.req.param("id"), requestMeta(c));
      return settingsPage(c, user.id, {}, 200, { newFeed: { calendarId: c.req.param("id"), url: feed.url } });
    })
    .post("/calendar/calendars/:id/feed/delete", async (c) => {
      const { user } = requireUser(c);
      await revokeFeed(c.var.deps, user.id, c.req.param("id"), requestMeta(c));
      return redirectAfterPost(c, "/calendar/settings?saved=feed-stopped");
    })
    // The report is the answer itself (no redirect): it is what the person came for, skipped events and all.
    .post("/calendar/calendars/:id/import", importLimit(), async (c) => {
      const { user } = requireUser(c);
      const calendarId = c.req.param("id");
      const outcome = await tryForm(c, async () => {
        await limitImports(c, user.id);
        const { text, importId } = await readUpload(c);
        return importIcs(c.var.deps, user.id, calendarId, text, { importId, meta: requestMeta(c) });
      });
      if (!outcome.ok) return settingsPage(c, user.id, {}, outcome.status === 429 || outcome.status === 413 || outcome.status === 415 ? outcome.status : 400, { imported: { calendarId, error: outcome.message } });
      return settingsPage(c, user.id, {}, 200, { imported: { calendarId, report: outcome.value } });
    })
    .post("/calendar/subscriptions", async (c) => {
      const { user } = requireUser(c);
      const sent = (await readForm(c)).values;
      const refuse = (errors: FieldErrors, status: 400 | 404 | 429 = 400) => settingsPage(c, user.id, {}, status, { subscribe: { errors, sent: { url: sent.url ?? "", name: sent.name ?? "", contextId: sent.contextId ?? "" } } });
      const parsed = subscriptionInput.safeParse({ url: sent.url, name: sent.name || undefined, contextId: sent.contextId || undefined });
      if (!parsed.success) return refuse(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "_form"), [i.message]])));
      const outcome = await tryForm(c, () => subscribe(c.var.deps, user.id, parsed.data, requestMeta(c)), { alsoShow: [403, 404] });
      if (!outcome.ok) return refuse(outcome.errors, outcome.status === 404 || outcome.status === 429 ? outcome.status : 400);
      return redirectAfterPost(c, "/calendar/settings?saved=subscribed");
    })
    .post("/calendar/calendars/:id/refresh", async (c) => {
      const { user } = requireUser(c);
      const outcome = await tryForm(c, () => refreshNow(c.var.deps, user.id, c.req.param("id"), requestMeta(c)));
      if (!outcome.ok) return settingsPage(c, user.id, { _form: [outcome.message] }, outcome.status === 429 ? 429 : 400);
      return redirectAfterPost(c, `/calendar/settings?saved=${outcome.value.status === "failed" ? "refresh-failed" : "refreshed"}`);
    })
    .post("/calendar/calendars/:id/delete", async (c) => {
      const { user } = requireUser(c);
      await deleteCalendar(c.var.deps, user.id, c.req.param("id"), requestMeta(c));
      return redirectAfterPost(c, "/calendar/settings?saved=deleted");
    });
}

/** Who a calendar can be shared with: its context's members (a personal one: everyone one shares a context with). */
async function shareCandidates(c: AppContext, places: Places, calendar: VisibleCalendar): Promise<Option[]> {
  if (calendar.row.contextType === "personal") return peopleAround(c, places);
  return (await membersFor(c, calendar)).filter((o) => o.id !== places.userId).sort((a, b) => a.name.localeCompare(b.name));
}

/** What one answer shows beyond the page: a new feed address (once), an import's report or refusal, a refused subscription. */
interface Shown {
  workingHours?: { hours: WorkingHours; timeZone: string | null; errors: FieldErrors };
  newFeed?: { calendarId: string; url: string };
  imported?: { calendarId: string; report?: ImportReport; error?: string };
  subscribe?: { errors: FieldErrors; sent: Record<string, string> };
}

async function settingsPage(c: AppContext, userId: string, errors: FieldErrors = {}, status: 200 | 400 | 404 | 413 | 415 | 429 = 200, shown: Shown = {}) {
  const { newFeed, imported } = shown;
  const deps = c.var.deps;
  const places = await placesOf(deps, userId);
  const [calendars, zone, feeds] = await Promise.all([visibleCalendars(deps, places), zoneOf(c, userId), feedsOf(deps, userId)]);
  const subscriptions = await subscriptionStates(deps, calendars);
  const hoursRow = await savedWorkingHours(deps.db, userId);
  const workingHours = shown.workingHours ?? { hours: hoursRow?.hours ?? DEFAULT_WORKING_HOURS, timeZone: hoursRow?.timeZone ?? null, errors: {} };
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
      saved={saved ? ({ zone: "Time zone saved.", created: "Calendar added.", updated: "Calendar saved.", deleted: "Calendar deleted.", shared: "Calendar shared.", unshared: "Share removed.", "feed-stopped": "Subscription address stopped.", subscribed: "Subscribed: the calendar is added and will follow its feed.", refreshed: "Refreshed.", "refresh-failed": "The feed could not be read; see the calendar's last error.", "working-hours": "Working hours saved." } as Record<string, string>)[saved] ?? null : null}
      contexts={contexts}
      calendars={calendars.map((v) => ({ id: v.row.id, name: displayName(v), color: v.row.color, contextName: v.contextName, contextType: v.row.contextType, isPrimary: v.row.isPrimary, manage: v.access === "manage", timeZone: v.row.timeZone, memberAccess: v.row.memberAccess, access: v.access, shares: sharing.get(v.row.id)?.shares ?? [], candidates: sharing.get(v.row.id)?.candidates ?? [], feed: feeds.get(v.row.id) ?? null, newFeedUrl: newFeed?.calendarId === v.row.id ? newFeed.url : null, importId: mayEditEvents(v) ? newId() : null, imported: imported?.calendarId === v.row.id ? (imported.report ?? null) : null, importError: imported?.calendarId === v.row.id ? (imported.error ?? null) : null, subscription: subscriptions.get(v.row.id) ?? null, defaultReminders: v.row.defaultReminders }))}
      subscribe={shown.subscribe}
      workingHours={{ ...workingHours, chosen: hoursRow !== null }}
    />
  );
  return render(c, { title: "Calendar settings", status, fragment: body });
}
