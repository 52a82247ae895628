import { DataTable } from "../components/DataTable";
import type { AdminBusinessDetail } from "../../src/features/admin/directory";
import { Time } from "../components/Time";
import { AdminLayout } from "./AdminLayout";

const ROLE_NAMES = { owner: "Owner", admin: "Admin", manager: "Manager", member: "Member" } as const;

/** A read-only look at one business for platform admins. */
export function BusinessPage(props: { business: AdminBusinessDetail }) {
  const { business } = props;
  return (
    <AdminLayout section="businesses" title={business.name}>
      <p>
        <a href="/admin-portal/businesses">All businesses</a>
      </p>
      <div class="card">
        <dl class="facts">
          <dt>Kind</dt>
          <dd>{business.kind === "institution" ? "Institution" : "Company"}</dd>
          <dt>Created</dt>
          <dd>
            <Time at={business.createdAt} />
          </dd>
          <dt>Description</dt>
          <dd>{business.description || <span class="muted">None</span>}</dd>
          <dt>Members</dt>
          <dd>{String(business.members.length)}</dd>
        </dl>
      </div>
      <section class="card results" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        {business.members.length === 0 ? (
          <p class="muted">This business has no members.</p>
        ) : (
          <DataTable columns={["Name", "Email", "Role", "Department", "Position", "Joined"]}>
            {business.members.map((m) => (
              <tr data-member={m.userId}>
                <th scope="row">{m.name}</th>
                <td class="break">{m.email}</td>
                <td>{ROLE_NAMES[m.role]}</td>
                <td>{m.department ?? <span class="muted">—</span>}</td>
                <td>{m.position ?? <span class="muted">—</span>}</td>
                <td>
                  <Time at={m.joinedAt} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </AdminLayout>
  );
}
