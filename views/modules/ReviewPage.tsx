// Platform admins' review of marketplace modules: versions waiting first (what they ask for, where they load from),
// approve or reject with a reason the developer reads, and suspend or lift a suspension.
import { AdminLayout } from "../admin/AdminLayout";
import { FormMessage } from "../components/Field";

export interface ReviewRow {
  module: { id: string; name: string; slug: string; status: string; suspendedReason: string | null; developer: string };
  version: { version: string; state: string; entryUrl: string; webhookUrl: string | null; scopes: string[]; price: string; rejectedReason: string | null; submittedAt: string };
}

export function ReviewPage(props: { rows: ReviewRow[]; message?: string | null; error?: string | null }) {
  const modules = [...new Map(props.rows.map((r) => [r.module.id, r.module])).values()];
  return (
    <AdminLayout section="modules" title="Modules">
      <FormMessage kind="success" message={props.message} />
      <FormMessage kind="error" message={props.error} />
      <h2>Versions</h2>
      {props.rows.length === 0 ? <p class="muted">Nothing submitted yet.</p> : null}
      {props.rows.map((r) => (
        <article class={`review review-${r.version.state}`} data-review={`${r.module.id}@${r.version.version}`}>
          <h3>
            {r.module.name} {r.version.version} <span class="muted">({r.version.state}, by {r.module.developer}, {r.version.submittedAt})</span>
          </h3>
          <dl class="module-facts">
            <dt>Loads from</dt>
            <dd>
              <code>{r.version.entryUrl}</code>
            </dd>
            <dt>Webhook</dt>
            <dd>{r.version.webhookUrl ? <code>{r.version.webhookUrl}</code> : "none"}</dd>
            <dt>Asks for</dt>
            <dd>{r.version.scopes.join(", ") || "nothing"}</dd>
            <dt>Price</dt>
            <dd>{r.version.price}</dd>
          </dl>
          {r.version.rejectedReason ? <p class="muted">Rejected: {r.version.rejectedReason}</p> : null}
          {r.version.state === "pending" ? (
            <div class="review-actions">
              <form method="post" action={`/admin-portal/modules/${r.module.id}/versions/${r.version.version}/approve`} class="inline-form">
                <button type="submit">Approve</button>
              </form>
              <form method="post" action={`/admin-portal/modules/${r.module.id}/versions/${r.version.version}/reject`} class="inline-form">
                <label for={`reason-${r.module.id}-${r.version.version}`}>Reason</label>
                <input id={`reason-${r.module.id}-${r.version.version}`} name="reason" required maxlength={1000} />
                <button type="submit" class="secondary">
                  Reject
                </button>
              </form>
            </div>
          ) : null}
        </article>
      ))}
      <h2>Suspensions</h2>
      <ul class="module-suspensions">
        {modules.map((m) => (
          <li>
            <strong>{m.name}</strong> ({m.status}){m.suspendedReason ? ` — ${m.suspendedReason}` : ""}{" "}
            {m.status === "suspended" ? (
              <form method="post" action={`/admin-portal/modules/${m.id}/unsuspend`} class="inline-form">
                <button type="submit">Lift the suspension</button>
              </form>
            ) : (
              <form method="post" action={`/admin-portal/modules/${m.id}/suspend`} class="inline-form">
                <label for={`suspend-${m.id}`}>Reason</label>
                <input id={`suspend-${m.id}`} name="reason" required maxlength={1000} />
                <button type="submit" class="secondary">
                  Suspend
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </AdminLayout>
  );
}
