import type { AdminExportItem } from "../../src/features/exports";
import { AdminLayout } from "../admin/AdminLayout";
import { Field, FormMessage, type FieldErrors } from "../components/Field";
import { Time } from "../components/Time";

export interface AdminExportsPageProps {
  requests: AdminExportItem[];
  values?: Record<string, string>;
  errors?: FieldErrors;
  done?: string | null;
}

/** Platform admins answer a person's data request: start their export (it goes to them), with a reason kept in the audit trail. */
export function AdminExportsPage(props: AdminExportsPageProps) {
  const formError = props.errors?._form?.join(" ") ?? null;
  return (
    <AdminLayout section="exports" title="Data exports">
      <p class="muted">
        When a person asks for their data by other means (mail, support), start their export here. The archive goes to them — a notification and an
        email — and is never downloadable by an admin. The reason is kept in the audit trail.
      </p>
      <FormMessage kind="success" message={props.done} />
      <FormMessage kind="error" message={formError} />
      <form id="admin-export" class="form" method="post" action="/admin-portal/exports">
        <Field form="admin-export" name="user" label="Account (id or email address)" value={props.values?.user} errors={props.errors} required />
        <Field form="admin-export" name="reason" label="Reason (the request and its reference)" value={props.values?.reason} errors={props.errors} required />
        <button type="submit">Start the export</button>
      </form>
      <h2>Started by admins</h2>
      {props.requests.length ? (
        <table class="data-table">
          <thead>
            <tr>
              <th>Account</th>
              <th>Status</th>
              <th>Reason</th>
              <th>Asked</th>
            </tr>
          </thead>
          <tbody>
            {props.requests.map((item) => (
              <tr data-export={item.id}>
                <td>{item.userEmail}</td>
                <td>{item.status}</td>
                <td>{item.reason}</td>
                <td>
                  <Time at={item.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">None yet.</p>
      )}
    </AdminLayout>
  );
}
