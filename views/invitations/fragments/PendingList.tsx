import { DataTable } from "../../components/DataTable";
import type { InvitationSummary } from "../../../src/features/invitations/service";
import { Time } from "../../components/Time";

/** The invitations still waiting for an answer, each with Resend (a new link) and Revoke. */
export function PendingList(props: { base: string; invitations: InvitationSummary[] }) {
  return (
    <section class="card pending-invitations" aria-labelledby="pending-title">
      <h2 id="pending-title">Pending invitations ({props.invitations.length})</h2>
      {props.invitations.length === 0 ? (
        <p class="muted">Nobody is waiting to answer an invitation.</p>
      ) : (
        <DataTable columns={["Email", "Role", "Invited", "Expires", { label: "Actions", hidden: true }]}>
          {props.invitations.map((invitation) => (
            <tr id={`invitation-${invitation.id}`}>
              <td class="break">{invitation.email}</td>
              <td>
                {invitation.role}
                {invitation.department ? <span class="muted"> · {invitation.department}</span> : null}
                {invitation.position ? <span class="muted"> · {invitation.position}</span> : null}
              </td>
              <td>
                <Time at={invitation.createdAt} />
                {invitation.invitedBy ? <span class="muted"> by {invitation.invitedBy}</span> : null}
              </td>
              <td>{invitation.expired ? <span class="badge danger">Expired</span> : <Time at={invitation.expiresAt} />}</td>
              <td>
                <div class="row-actions">
                  <form method="post" action={`${props.base}/${invitation.id}/resend`}>
                    <button type="submit" class="button small">Send again</button>
                  </form>
                  <form method="post" action={`${props.base}/${invitation.id}/revoke`} hx-confirm={`Revoke the invitation for ${invitation.email}?`}>
                    <button type="submit" class="button small danger">Revoke</button>
                  </form>
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
