import type { CommentView } from "../../src/features/calendar/rsvp/comments";
import { AnswerButtons } from "./AnswerButtons";

/** Who is invited and what they answered, the viewer's own answer, and the comments: one region that re-fetches itself live. */
export interface EventPeopleProps {
  eventId: string;
  /** The open occurrence (a series): answers can be for it alone. */
  occurrence: string | null;
  attendees: { userId: string; name: string; status: string; comment: string | null; waitingForGuardian: boolean; occurrenceAnswers: Record<string, { status: string }> }[];
  guests: { name: string; email?: string; status: string; comment: string | null }[];
  viewerId: string;
  comments: CommentView[];
  mayComment: boolean;
  /** A refusal to show (a child's answer, a teen's answer waiting, a comment too long). */
  message: { kind: "success" | "error"; text: string } | null;
}

const LABEL: Record<string, string> = { "needs-action": "not answered", accepted: "going", tentative: "maybe", declined: "not going" };

export const peopleRegionId = (eventId: string) => `event-people-${eventId}`;

export function EventPeople(props: EventPeopleProps) {
  const base = `/calendar/events/${props.eventId}`;
  const query = props.occurrence ? `?occurrence=${encodeURIComponent(props.occurrence)}` : "";
  const me = props.attendees.find((a) => a.userId === props.viewerId);
  const statusOf = (a: EventPeopleProps["attendees"][number]) => (props.occurrence ? (a.occurrenceAnswers[props.occurrence]?.status ?? a.status) : a.status);
  const target = `#${peopleRegionId(props.eventId)}`;
  return (
    <section id={peopleRegionId(props.eventId)} class="cal-people" hx-get={`${base}/people${query}`} hx-trigger={`sse:calendar, sse:comments-${props.eventId}`} hx-swap="outerHTML">
      {props.message ? (
        <p class={`form-message ${props.message.kind}`} role="status">
          {props.message.text}
        </p>
      ) : null}
      {props.attendees.length || props.guests.length ? (
        <>
          <h3>Who is coming</h3>
          <ul class="cal-answers">
            {props.attendees.map((a) => (
              <li>
                {a.name} — <span class={`rsvp rsvp-${statusOf(a)}`}>{LABEL[statusOf(a)] ?? statusOf(a)}</span>
                {a.waitingForGuardian ? <span class="muted"> (an answer waits for a guardian)</span> : null}
                {a.comment ? <span class="muted"> “{a.comment}”</span> : null}
              </li>
            ))}
            {props.guests.map((g) => (
              <li>
                {g.name || g.email || "A guest"} {g.email && g.name ? <span class="muted">({g.email})</span> : null} — <span class={`rsvp rsvp-${g.status}`}>{LABEL[g.status] ?? g.status}</span>
                {g.comment ? <span class="muted"> “{g.comment}”</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {me ? (
        <form method="post" action={`${base}/rsvp${query}`} hx-post={`${base}/rsvp${query}`} hx-target={target} hx-swap="outerHTML" class="cal-rsvp">
          <p>
            Your answer{props.occurrence ? " for this occurrence" : ""}: <strong>{LABEL[statusOf(me)]}</strong>
          </p>
          <label for={`rsvp-comment-${props.eventId}`}>A note (optional)</label>
          <input id={`rsvp-comment-${props.eventId}`} name="comment" maxlength={500} />
          <AnswerButtons small />
          {props.occurrence ? (
            <label class="checkbox">
              <input type="checkbox" name="only" value="1" checked /> Only this occurrence
            </label>
          ) : null}
        </form>
      ) : null}
      <h3>Comments</h3>
      {props.comments.length ? (
        <ol class="cal-comments">
          {props.comments.map((comment) => (
            <li>
              <strong>{comment.name}</strong> <time datetime={comment.createdAt}>{comment.createdAt.slice(0, 16).replace("T", " ")} UTC</time>
              <p class="pre-wrap">{comment.body}</p>
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">No comments yet.</p>
      )}
      {props.mayComment ? (
        <form method="post" action={`${base}/comments${query}`} hx-post={`${base}/comments${query}`} hx-target={target} hx-swap="outerHTML" class="cal-comment-form">
          <label for={`comment-${props.eventId}`}>Add a comment</label>
          <textarea id={`comment-${props.eventId}`} name="body" rows={2} maxlength={2000} required></textarea>
          <button type="submit" class="button small">
            Comment
          </button>
        </form>
      ) : null}
    </section>
  );
}
