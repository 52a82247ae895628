// The event's people in the drawer (who is coming, one's own answer, the comments) as a region that re-fetches
// itself when the calendar or the comments change; its forms work as plain posts too. And the guardians' page of
// teens' answers waiting for them (/calendar/approvals).
import { Hono } from "hono";
import { ApprovalsPage } from "../../../../views/calendar/Approvals";
import { EventPeople, type EventPeopleProps } from "../../../../views/calendar/EventPeople";
import { redirectAfterPost, render } from "../../../http/render";
import { requireUser } from "../../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../../http/types";
import { readForm } from "../../../http/validate";
import { AppError } from "../../../lib/errors";
import { eventFor, eventView } from "../event-read";
import { commentInput, rsvpInput } from "../input";
import { addComment, commentsOn } from "./comments";
import { answerInvitation, decideApproval, pendingApprovals } from "./rsvp";

async function people(c: AppContext, eventId: string, message: EventPeopleProps["message"] = null, status: 200 | 400 | 403 = 200) {
  const { user } = requireUser(c);
  const deps = c.var.deps;
  const occurrence = c.req.query("occurrence") || null;
  const loaded = await eventFor(deps, user.id, eventId);
  const [event, talk] = await Promise.all([eventView(deps.db, loaded.row, loaded.calendar), commentsOn(deps, user.id, loaded)]);
  const region = <EventPeople eventId={eventId} occurrence={event.rrule ? occurrence : null} attendees={event.attendees} guests={event.guests} viewerId={user.id} comments={talk.comments} mayComment={talk.mayComment} message={message} />;
  return render(c, { title: event.title, status, fragment: region });
}

/** After a form: the region for htmx, back to the event for a plain post. */
function answered(c: AppContext, eventId: string, message: EventPeopleProps["message"], status: 200 | 400 | 403 = 200) {
  if (c.req.header("hx-request") === "true" && message?.kind === "success") {
    // Saying so in the region would not last: the answer is announced, and the region re-fetches itself at once
    // (sse:calendar). A toast (app.js, "bob-toast") outlives that.
    c.header("HX-Trigger", JSON.stringify({ "bob-toast": message.text }));
    return people(c, eventId, null, status);
  }
  if (c.req.header("hx-request") === "true") return people(c, eventId, message, status);
  if (message?.kind === "error") return people(c, eventId, message, status);
  return redirectAfterPost(c, `/calendar/events/${eventId}`);
}

const firstError = (issues: { message: string }[]) => issues[0]?.message ?? "Check the form.";

export function peopleRoutes() {
  return new Hono<AppEnv>()
    .get("/calendar/events/:id/people", (c) => people(c, c.req.param("id")))
    .post("/calendar/events/:id/rsvp", async (c) => {
      const { user } = requireUser(c);
      const eventId = c.req.param("id");
      const sent = (await readForm(c)).values;
      const occurrence = sent.only === "1" ? c.req.query("occurrence") || undefined : undefined;
      const parsed = rsvpInput.safeParse({ status: sent.status, occurrence, comment: sent.comment || undefined });
      if (!parsed.success) return answered(c, eventId, { kind: "error", text: firstError(parsed.error.issues) }, 400);
      try {
        const outcome = await answerInvitation(c.var.deps, user.id, eventId, parsed.data, requestMeta(c));
        return answered(c, eventId, outcome.applied ? { kind: "success", text: "Answer saved." } : { kind: "success", text: "Your answer waits for a guardian to approve it." });
      } catch (error) {
        if (error instanceof AppError && error.status === 403) return answered(c, eventId, { kind: "error", text: error.message }, 403);
        throw error;
      }
    })
    .post("/calendar/events/:id/comments", async (c) => {
      const { user } = requireUser(c);
      const eventId = c.req.param("id");
      const parsed = commentInput.safeParse({ body: (await readForm(c)).values.body ?? "" });
      if (!parsed.success) return answered(c, eventId, { kind: "error", text: firstError(parsed.error.issues) }, 400);
      try {
        await addComment(c.var.deps, user.id, eventId, parsed.data.body, requestMeta(c));
      } catch (error) {
        if (error instanceof AppError && (error.status === 403 || error.status === 429)) return answered(c, eventId, { kind: "error", text: error.message }, 403);
        throw error;
      }
      return answered(c, eventId, null);
    })
    .get("/calendar/approvals", async (c) => {
      const { user } = requireUser(c);
      return render(c, { title: "Answers waiting for you", fragment: <ApprovalsPage approvals={await pendingApprovals(c.var.deps, user.id)} done={c.req.query("done") ?? null} /> });
    })
    .post("/calendar/approvals", async (c) => {
      const { user } = requireUser(c);
      const sent = (await readForm(c)).values;
      await decideApproval(c.var.deps, user.id, sent.eventId ?? "", sent.userId ?? "", sent.approve === "1", requestMeta(c));
      return redirectAfterPost(c, `/calendar/approvals?done=${sent.approve === "1" ? "approved" : "refused"}`);
    });
}

