import type { PendingApproval } from "../../src/features/calendar/rsvp/rsvp";

const LABEL: Record<string, string> = { accepted: "going", tentative: "maybe", declined: "not going" };

/** A guardian's list of teens' answers to events outside the household, each to approve or refuse. */
export function ApprovalsPage(props: { approvals: PendingApproval[]; done: string | null }) {
  return (
    <section class="card">
      <h1>Answers waiting for you</h1>
      {props.done ? (
        <p class="form-message success" role="status">
          {props.done === "approved" ? "Approved: the answer is given." : "Refused: the answer is dropped."}
        </p>
      ) : null}
      {props.approvals.length === 0 ? <p class="muted">Nothing waits for you.</p> : null}
      <ul class="cal-approvals">
        {props.approvals.map((a) => (
          <li>
            <strong>{a.teenName}</strong> wants to answer <a href={`/calendar/events/${a.eventId}`}>“{a.title}”</a> ({a.start.replace("T", " ")}
            {a.occurrence ? `, the occurrence of ${a.occurrence.replace("T", " ")}` : ""}): <strong>{LABEL[a.status] ?? a.status}</strong>
            {a.comment ? <span class="muted"> — “{a.comment}”</span> : null}
            <form method="post" action="/calendar/approvals" class="inline-form">
              <input type="hidden" name="eventId" value={a.eventId} />
              <input type="hidden" name="userId" value={a.teenId} />
              <button type="submit" name="approve" value="1" class="button small primary">
                Approve
              </button>
              <button type="submit" name="approve" value="0" class="button small">
                Refuse
              </button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}
