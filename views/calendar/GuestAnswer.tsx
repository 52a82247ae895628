import { AnswerButtons } from "./AnswerButtons";

/** What a guest without an account sees through their answer link: the event, their answer, and a form to give one. */
export interface GuestAnswerProps {
  /** Null: the link is not (or no longer) valid. */
  view: {
    title: string;
    when: string;
    location: string;
    description: string;
    organizerName: string | null;
    guestName: string;
    status: string;
    comment: string | null;
    /** Occurrences one may answer for on their own (a series), as [recurrence id, label]. */
    occurrences: [string, string][];
  } | null;
  action: string;
  /** Just answered: the confirmation. */
  answered: string | null;
  errors: Record<string, string[]>;
}

const LABEL: Record<string, string> = { "needs-action": "Not answered yet", accepted: "Going", tentative: "Maybe", declined: "Not going" };

export function GuestAnswer(props: GuestAnswerProps) {
  const v = props.view;
  if (!v)
    return (
      <section class="card narrow">
        <h1>This link does not work any more</h1>
        <p>The event may have been cancelled, or you were taken off its guest list. Ask whoever invited you for a new invitation.</p>
      </section>
    );
  const err = (name: string) => (props.errors[name] ?? []).join(" ");
  return (
    <section class="card narrow guest-answer">
      <h1>{v.title}</h1>
      <dl class="facts">
        <dt>When</dt>
        <dd>{v.when}</dd>
        {v.location ? (
          <>
            <dt>Where</dt>
            <dd>{v.location}</dd>
          </>
        ) : null}
        <dt>Invited by</dt>
        <dd>{v.organizerName ?? "someone who has since left"}</dd>
        <dt>Your answer</dt>
        <dd>
          <strong>{LABEL[v.status] ?? v.status}</strong>
          {v.comment ? ` — “${v.comment}”` : ""}
        </dd>
      </dl>
      {v.description ? <p class="pre-wrap">{v.description}</p> : null}
      {props.answered ? (
        <p class="form-message success" role="status">
          Thank you{v.guestName ? `, ${v.guestName}` : ""}: your answer “{LABEL[props.answered]}” is saved. You can change it here at any time.
        </p>
      ) : null}
      <form method="post" action={props.action}>
        {v.occurrences.length ? (
          <>
            <label for="guest-occurrence">For</label>
            <select id="guest-occurrence" name="occurrence">
              <option value="">Every occurrence</option>
              {v.occurrences.map(([id, label]) => (
                <option value={id}>{label}</option>
              ))}
            </select>
          </>
        ) : null}
        <label for="guest-comment">A note for the organizer (optional)</label>
        <textarea id="guest-comment" name="comment" maxlength={500} rows={2} aria-invalid={err("comment") ? "true" : undefined}></textarea>
        {err("occurrence") ? <p class="field-error">{err("occurrence")}</p> : null}
        {err("comment") ? <p class="field-error">{err("comment")}</p> : null}
        {err("status") ? <p class="field-error">{err("status")}</p> : null}
        <AnswerButtons />
      </form>
    </section>
  );
}
