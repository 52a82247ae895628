import { AdminLayout } from "../AdminLayout";
import { UserBlockIdPanel, type UserBlockIdPanelProps } from "./UserBlockIdPanel";

/** /admin-portal/block-ids/users/:id: a user's Block ID, its history, a move, the audit trail. */
export function UserBlockIdPage(props: UserBlockIdPanelProps) {
  return (
    <AdminLayout section="block-ids" title={props.user.name}>
      <p>
        <a href="/admin-portal/block-ids">All Block IDs</a>
      </p>
      <UserBlockIdPanel {...props} />
    </AdminLayout>
  );
}
