import type { Child } from "hono/jsx";
import { BulkBar } from "./fragments/BulkBar";
import { BulkResults } from "./fragments/BulkResults";
import { ConfirmLeave, ConfirmRemove } from "./fragments/ConfirmBox";
import { MemberTable } from "./fragments/MemberTable";
import { Pager } from "./fragments/Pager";
import { UnitManager } from "./fragments/UnitManager";
import { membersBase, type MembersPanelProps } from "./types";

/**
 * The members tab's content, and what every members form post returns to htmx (it swaps the whole
 * panel, so the table, the results and the departments stay in step).
 */
export function MembersPanel(props: MembersPanelProps) {
  const admin = props.manages;
  // A failed row edit shows in its row; one the page does not show (another page, not a member,
  // or a caller without the actions column) shows above the table instead.
  const rowError = props.rowError;
  const errorInRow = rowError && admin && props.members.some((m) => m.userId === rowError.userId);
  const error = props.error ?? (rowError && !errorInRow ? rowError.message : null);
  return (
    <section id="members-panel" class="members-panel">
      <div class="members-head">
        <p class="muted">
          {props.total === 1 ? "1 member" : `${props.total} members`}
          {admin ? "" : " · only admins and owners change members"}
        </p>
        {admin ? (
          <p class="members-invite">
            <a class="button primary small" href={`/business/${props.businessId}/invitations`}>
              Invite people
            </a>
            <a class="button small" href={`/business/${props.businessId}/outbox`}>
              Outbox
            </a>
          </p>
        ) : null}
      </div>
      {props.notice ? (
        <p class="form-message success" role="status">
          {props.notice}
        </p>
      ) : null}
      {error ? (
        <p class="form-message error" role="alert">
          {error}
        </p>
      ) : null}
      {props.bulk ? <BulkResults bulk={props.bulk} /> : null}
      {props.confirmRemove?.length ? <ConfirmRemove businessId={props.businessId} page={props.page} members={props.confirmRemove} /> : null}
      {props.confirmLeave ? <ConfirmLeave businessId={props.businessId} businessName={props.businessName} /> : null}
      {admin ? <BulkBar {...props} /> : null}
      <MemberTable {...props} />
      {props.pages > 1 ? <Pager {...props} /> : null}
      {admin ? <UnitManager {...props} /> : null}
      <form class="members-leave" method="post" action={`${membersBase(props.businessId)}/leave`} hx-post={`${membersBase(props.businessId)}/leave`} hx-target="#members-panel" hx-swap="outerHTML">
        <button type="submit" class="button small danger">Leave this business…</button>
      </form>
    </section>
  );
}

/** A members answer without htmx that could not redirect (errors, confirm steps, partial results). */
export function MembersPage(props: { businessId: string; businessName: string; children: Child }) {
  return (
    <div class="members-page">
      <h1>Members of {props.businessName}</h1>
      <p>
        <a href={`/business/${props.businessId}/workspace/members`}>← Back to {props.businessName}</a>
      </p>
      {props.children}
    </div>
  );
}
