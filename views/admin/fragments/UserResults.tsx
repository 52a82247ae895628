import { DataTable } from "../../components/DataTable";
import type { AdminUser } from "../../../src/features/admin/service";
import { ListPager } from "./Pager";
import { UserRow, type UserRowProps } from "./UserRow";

export interface UserResultsProps {
  rows: AdminUser[];
  hasMore: boolean;
  q: string;
  page: number;
  viewerId: string;
  /** A message over the table: what a plain form post just did, or what went wrong. */
  message?: UserRowProps["message"];
}

/** The user table and its pager: what the search form's htmx request swaps. */
export function UserResults(props: UserResultsProps) {
  const back = { q: props.q, page: props.page };
  return (
    <section id="user-results" class="card results" aria-label="Users">
      {props.message ? (
        <p class={`form-message ${props.message.kind}`} role={props.message.kind === "error" ? "alert" : "status"}>
          {props.message.text}
        </p>
      ) : null}
      {props.rows.length === 0 ? (
        <p class="muted">{props.q ? "No account matches that search." : "No accounts on this page."}</p>
      ) : (
        <DataTable columns={["Name", "Email", "Block ID", "Created", "Platform admin", "Status", "Actions"]}>
          {props.rows.map((user) => (
            <UserRow user={user} viewerId={props.viewerId} back={back} />
          ))}
        </DataTable>
      )}
      <ListPager label="User pages" target="#user-results" base="/admin-portal/users" q={props.q} page={props.page} hasMore={props.hasMore} />
    </section>
  );
}
