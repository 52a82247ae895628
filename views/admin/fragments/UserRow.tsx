import type { AdminUser } from "../../../src/features/admin/service";
import type { UserChange } from "../../../src/features/admin/input";
import { BlockId } from "../../components/BlockId";
import { Time } from "../../components/Time";

export interface UserRowProps {
  user: AdminUser;
  /** The admin looking at the list: their own row says so. */
  viewerId: string;
  /** The list to come back to after a plain (no-JS) form post. */
  back: { q: string; page: number };
  message?: { kind: "error" | "success"; text: string } | null;
}

const LABELS: Record<UserChange, string> = {
  disable: "Disable",
  enable: "Enable",
  "grant-admin": "Make admin",
  "revoke-admin": "Revoke admin",
  "sign-out": "Sign out everywhere",
};

const CONFIRM: Partial<Record<UserChange, string>> = {
  disable: "Disable this account? Every session it has ends at once.",
  "revoke-admin": "Revoke platform admin from this account?",
  "sign-out": "End every session of this account? Its owner must sign in again.",
};

function Action(props: { user: AdminUser; change: UserChange; back: UserRowProps["back"]; danger?: boolean }) {
  const url = `/admin-portal/users/${props.user.id}/${props.change}`;
  return (
    <form method="post" action={url} hx-post={url} hx-target="closest tr" hx-swap="outerHTML" hx-confirm={CONFIRM[props.change]} class="inline-form">
      <input type="hidden" name="q" value={props.back.q} />
      <input type="hidden" name="page" value={String(props.back.page)} />
      <button type="submit" class={props.danger ? "button small danger" : "button small"} aria-label={`${LABELS[props.change]}: ${props.user.name} (${props.user.email})`}>
        {LABELS[props.change]}
      </button>
    </form>
  );
}

/** One account in the admin user list; its actions swap just this row with htmx. */
export function UserRow(props: UserRowProps) {
  const { user, back } = props;
  const disabled = user.disabledAt !== null;
  return (
    <tr id={`user-${user.id}`} data-user={user.id}>
      <th scope="row">
        {user.name}
        {user.id === props.viewerId ? <span class="badge">You</span> : null}
      </th>
      <td class="break">{user.email}</td>
      <td>
        <BlockId value={user.blockId} />
      </td>
      <td>
        <Time at={user.createdAt} />
      </td>
      <td data-flag="admin">{user.isPlatformAdmin ? <span class="badge">Admin</span> : <span class="muted">No</span>}</td>
      <td data-flag="disabled">{disabled ? <span class="badge danger">Disabled</span> : <span class="muted">Active</span>}</td>
      <td>
        <div class="row-actions">
          {disabled ? <Action user={user} change="enable" back={back} /> : <Action user={user} change="disable" back={back} danger />}
          {user.isPlatformAdmin ? <Action user={user} change="revoke-admin" back={back} danger /> : <Action user={user} change="grant-admin" back={back} />}
          {!disabled && user.id !== props.viewerId ? <Action user={user} change="sign-out" back={back} /> : null}
        </div>
        {props.message ? (
          <p class={`row-message ${props.message.kind}`} role={props.message.kind === "error" ? "alert" : "status"}>
            {props.message.text}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
