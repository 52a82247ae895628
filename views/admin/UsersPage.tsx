import type { FieldErrors } from "../components/Field";
import { AdminLayout } from "./AdminLayout";
import { SearchForm } from "./fragments/SearchForm";
import { UserResults, type UserResultsProps } from "./fragments/UserResults";

export const USER_SEARCH = { id: "user-search", action: "/admin-portal/users", target: "#user-results", label: "Search users", hint: "Part of a name or an email address, or the start of a Block ID (44-001)." };

export function UsersPage(props: UserResultsProps & { errors?: FieldErrors }) {
  return (
    <AdminLayout section="users" title="Users">
      <SearchForm {...USER_SEARCH} q={props.q} errors={props.errors} />
      <UserResults {...props} />
    </AdminLayout>
  );
}
