import { DataTable } from "../../components/DataTable";
import type { AdminBusiness } from "../../../src/features/admin/directory";
import { Time } from "../../components/Time";
import { ListPager } from "./Pager";

export interface BusinessResultsProps {
  rows: AdminBusiness[];
  hasMore: boolean;
  q: string;
  page: number;
  message?: string | null;
}

export function BusinessResults(props: BusinessResultsProps) {
  return (
    <section id="business-results" class="card results" aria-label="Businesses">
      {props.message ? <p class="form-message error" role="alert">{props.message}</p> : null}
      {props.rows.length === 0 ? (
        <p class="muted">{props.q ? "No business matches that search." : "No businesses on this page."}</p>
      ) : (
        <DataTable columns={["Name", "Kind", { label: "Members", numeric: true }, "Created"]}>
          {props.rows.map((b) => (
            <tr data-business={b.id}>
              <th scope="row">
                <a href={`/admin-portal/businesses/${b.id}`}>{b.name}</a>
              </th>
              <td>{b.kind === "institution" ? "Institution" : "Company"}</td>
              <td class="numeric">{String(b.members)}</td>
              <td>
                <Time at={b.createdAt} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <ListPager label="Business pages" target="#business-results" base="/admin-portal/businesses" q={props.q} page={props.page} hasMore={props.hasMore} />
    </section>
  );
}
