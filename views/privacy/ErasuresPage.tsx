import { AdminLayout } from "../admin/AdminLayout";
import { Field, FormMessage, type FieldErrors } from "../components/Field";

export interface PendingErasureView {
  id: string;
  userId: string;
  name: string;
  email: string;
  status: string;
  requestedBy: string;
  reason: string | null;
  requestedAt: string;
  eraseAfter: string;
  /** Due but not erased: the job waits while the person is the last owner of a business or household. */
  overdue?: boolean;
}

export interface ErasureProofView {
  id: string;
  erasedAt: string;
  requestedBy: string;
  tombstone: string;
  mailStatus: string;
  counts: Record<string, number>;
}

/** /admin-portal/erasures: start one on a person's request, the pending ones (cancel), and the proofs. */
export function ErasuresPage(props: { pending: PendingErasureView[]; proofs: ErasureProofView[]; graceDays: number; values?: Record<string, string | undefined>; errors?: FieldErrors; message?: string | null; done?: string | null }) {
  return (
    <AdminLayout section="erasures" title="Erasures">
      <form id="erasure-form" class="card form" method="post" action="/admin-portal/erasures">
        <h2>Erase an account on request</h2>
        <p>
          The account is disabled at once and erased after {props.graceDays} days (during which the person may cancel by signing in), or at the next run of the job
          if you choose "immediately". A last owner of a business or household cannot be erased until that is handed over.
        </p>
        <FormMessage kind="error" message={props.message} />
        <FormMessage kind="success" message={props.done} />
        <Field form="erasure" name="userId" label="User id" value={props.values?.userId} errors={props.errors} />
        <Field form="erasure" name="reason" label="Reason (the request and its reference)" value={props.values?.reason} errors={props.errors} />
        <label>
          <input type="checkbox" name="immediate" value="on" /> Immediately (no grace period)
        </label>
        <button type="submit" class="button danger">
          Start erasure
        </button>
      </form>
      <h2>Pending</h2>
      {props.pending.length === 0 ? (
        <p>No erasure is pending.</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th>Who</th>
              <th>Asked</th>
              <th>Due</th>
              <th>By</th>
              <th>Reason</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {props.pending.map((row) => (
              <tr>
                <td>
                  {row.name} &lt;{row.email}&gt;
                </td>
                <td>{row.requestedAt}</td>
                <td>{row.status === "erasing" ? "erasing now" : row.overdue ? `${row.eraseAfter} — waiting: last owner of a business or household` : row.eraseAfter}</td>
                <td>{row.requestedBy}</td>
                <td>{row.reason ?? ""}</td>
                <td>
                  {row.status === "pending" ? (
                    <form method="post" action={`/admin-portal/erasures/${row.id}/cancel`}>
                      <button type="submit" class="button">
                        Cancel
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Proofs</h2>
      <p>What each erasure left: when, who asked (the person or an admin), the rows changed per feature, and the tombstone that replaced the person's id. Nothing names the person.</p>
      {props.proofs.length === 0 ? (
        <p>No account has been erased yet.</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th>Erased</th>
              <th>Asked by</th>
              <th>Tombstone</th>
              <th>Proof mail</th>
              <th>Rows per feature</th>
            </tr>
          </thead>
          <tbody>
            {props.proofs.map((proof) => (
              <tr>
                <td>{proof.erasedAt}</td>
                <td>{proof.requestedBy}</td>
                <td>
                  <code>{proof.tombstone}</code>
                </td>
                <td>{proof.mailStatus}</td>
                <td>
                  {Object.entries(proof.counts)
                    .map(([feature, n]) => `${feature} ${n}`)
                    .join(", ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}
