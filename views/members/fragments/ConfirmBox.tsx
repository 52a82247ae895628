import { membersBase, onPage, tabHref, type MembersPanelProps, type MemberView } from "../types";

const panelTarget = { "hx-target": "#members-panel", "hx-swap": "outerHTML" };

function Cancel(props: { businessId: string; page?: number }) {
  const page = props.page ?? 1;
  return (
    <a class="button small" href={tabHref(props.businessId, page)} hx-get={onPage(membersBase(props.businessId), page)} {...panelTarget}>
      Cancel
    </a>
  );
}

/** The confirm step before removing: a second form that repeats the choice with confirm=yes. */
export function ConfirmRemove(props: { businessId: string; page: number; members: MemberView[] }) {
  const action = onPage(`${membersBase(props.businessId)}/bulk`, props.page);
  const count = props.members.length;
  return (
    <div class="members-confirm" role="alertdialog" aria-labelledby="members-confirm-title">
      <h3 id="members-confirm-title">{count === 1 ? "Remove this member?" : `Remove these ${count} members?`}</h3>
      <ul>
        {props.members.map((m) => (
          <li>
            {m.name} <span class="muted">{m.email}</span>
          </li>
        ))}
      </ul>
      <p class="muted">They lose access to this business at once. You can invite them again later.</p>
      <form method="post" action={action} hx-post={action} {...panelTarget}>
        <input type="hidden" name="action" value="remove" />
        <input type="hidden" name="confirm" value="yes" />
        {props.members.map((m) => (
          <input type="hidden" name="userId" value={m.userId} />
        ))}
        <div class="members-bulk-actions">
          <button type="submit" class="button danger small">{count === 1 ? "Remove member" : `Remove ${count} members`}</button>
          <Cancel businessId={props.businessId} page={props.page} />
        </div>
      </form>
    </div>
  );
}

/** The confirm step before leaving the business. */
export function ConfirmLeave(props: Pick<MembersPanelProps, "businessId" | "businessName">) {
  const action = `${membersBase(props.businessId)}/leave`;
  return (
    <div class="members-confirm" role="alertdialog" aria-labelledby="members-leave-title">
      <h3 id="members-leave-title">Leave {props.businessName}?</h3>
      <p class="muted">You lose access at once; a member of it would have to invite you again.</p>
      <form method="post" action={action} hx-post={action} {...panelTarget}>
        <input type="hidden" name="confirm" value="yes" />
        <div class="members-bulk-actions">
          <button type="submit" class="button danger small">Leave business</button>
          <Cancel businessId={props.businessId} />
        </div>
      </form>
    </div>
  );
}
