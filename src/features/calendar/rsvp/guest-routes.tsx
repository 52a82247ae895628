// The answer pages of guests without an account (/rsvp/<token>): GET shows the event and their answer and never
// changes anything; POST answers. The token is in the path: the app's Referrer-Policy (strict-origin-when-cross-
// origin) gives other sites the origin alone, answers are never cached, and requests are limited per client address.
import { Hono } from "hono";
import { GuestAnswer, type GuestAnswerProps } from "../../../../views/calendar/GuestAnswer";
import { render } from "../../../http/render";
import { requestMeta, type AppContext, type AppEnv } from "../../../http/types";
import { readForm } from "../../../http/validate";
import { AppError } from "../../../lib/errors";
import { enforceLimit } from "../../ratelimit";
import { seriesOf } from "../event-series";
import { rsvpInput } from "../input";
import { DAY_MS, expand } from "../recurrence";
import { answerAsGuest, guestView, type GuestView } from "./guests";

const READS_PER_HOUR = 300;

async function limit(c: AppContext): Promise<void> {
  const deps = c.var.deps;
  await enforceLimit(deps, { bucket: `rsvp:ip:${requestMeta(c).ipAddress}`, max: READS_PER_HOUR, windowMs: 3600_000 }, "Too many requests; try again later.");
}

/** The next occurrences of a series a guest may answer for one by one (up to 20, from today). */
function upcoming(view: GuestView, now: number): [string, string][] {
  const { event } = view;
  if (!event.rrule && event.rdates.length === 0) return [];
  try {
    const { occurrences } = expand(seriesOf(event), { from: now - DAY_MS, to: now + 400 * DAY_MS }, { floatingZone: "UTC", maxOccurrences: 20 });
    return occurrences.map((o) => [o.recurrenceId, o.allDay ? o.start : `${o.start.replace("T", " ")}${event.timeZone ? ` (${event.timeZone})` : ""}`]);
  } catch {
    return [];
  }
}

function page(c: AppContext, view: GuestView | null, extra: { answered?: string; errors?: Record<string, string[]>; status?: 200 | 400 | 404 } = {}) {
  const token = c.req.param("token")!;
  const e = view?.event;
  const props: GuestAnswerProps = {
    view: view && e
      ? {
          title: e.title,
          when: e.allDay ? (e.end > e.start ? `${e.start} (all day)` : e.start) : `${e.start.replace("T", " ")} – ${e.end.slice(11)}${e.timeZone ? ` (${e.timeZone})` : ""}${e.rrule ? ", repeating" : ""}`,
          location: e.location,
          description: e.description,
          organizerName: view.organizerName,
          guestName: view.guest.name,
          status: view.guest.status,
          comment: view.guest.comment,
          occurrences: upcoming(view, c.var.deps.now()),
        }
      : null,
    action: `/rsvp/${token}`,
    answered: extra.answered ?? null,
    errors: extra.errors ?? {},
  };
  c.header("cache-control", "no-store");
  return render(c, { title: view ? view.event.title : "Invitation", status: extra.status ?? (view ? 200 : 404), fragment: <GuestAnswer {...props} /> });
}

export function guestRoutes() {
  return new Hono<AppEnv>()
    .get("/rsvp/:token", async (c) => {
      await limit(c);
      return page(c, await guestView(c.var.deps, c.req.param("token")));
    })
    .post("/rsvp/:token", async (c) => {
      await limit(c);
      const sent = (await readForm(c)).values;
      const parsed = rsvpInput.safeParse({ status: sent.status, occurrence: sent.occurrence || undefined, comment: sent.comment || undefined });
      const token = c.req.param("token");
      if (!parsed.success) return page(c, await guestView(c.var.deps, token), { errors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "_form"), [i.message]])), status: 400 });
      try {
        const view = await answerAsGuest(c.var.deps, token, parsed.data, requestMeta(c));
        return page(c, view, { answered: parsed.data.status });
      } catch (error) {
        if (error instanceof AppError && error.status === 404) return page(c, null);
        if (error instanceof AppError && error.status === 400) return page(c, await guestView(c.var.deps, token), { errors: error.fieldErrors, status: 400 });
        throw error;
      }
    });
}
