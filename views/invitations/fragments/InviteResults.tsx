import { DataTable } from "../../components/DataTable";
import type { BatchResult, RowResult } from "../../../src/features/invitations/service";

const MAIL_TEXT = { sent: "email sent", outbox: "email in the outbox", failed: "email not sent" } as const;

function Outcome(props: { row: RowResult }) {
  const { row } = props;
  if (!row.ok) {
    return (
      <ul class="row-errors">
        {row.errors.map((error) => (
          <li>{error.message}</li>
        ))}
      </ul>
    );
  }
  const mail = row.mail;
  return (
    <p class="row-ok">
      Invited as {row.invitation?.role}
      {mail ? `; ${MAIL_TEXT[mail.status]}` : ""}
      {mail?.error ? <span class="mail-error"> ({mail.error})</span> : null}
    </p>
  );
}

/** One line per row of the list or file: invited (and what became of the email), or what was wrong. */
export function InviteResults(props: { result: BatchResult; outboxHref: string }) {
  const { result } = props;
  const failedMail = result.rows.some((row) => row.mail?.status === "failed");
  return (
    <section class="card invite-results" aria-labelledby="invite-results-title" role="status">
      <h2 id="invite-results-title">
        {result.created} invited, {result.failed} not
      </h2>
      {failedMail ? (
        <p class="form-message error">
          Some emails could not be sent; the invitations stand. See the <a href={props.outboxHref}>outbox</a>, or send them again below.
        </p>
      ) : null}
      <DataTable columns={["Line", "Email", "Result"]}>
        {result.rows.map((row) => (
          <tr class={row.ok ? "result-ok" : "result-error"}>
            <td class="numeric">{row.line}</td>
            <td class="break">{row.email || <span class="muted">(none)</span>}</td>
            <td>
              <Outcome row={row} />
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
