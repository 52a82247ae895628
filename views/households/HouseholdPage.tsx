import type { HouseholdMemberView } from "../../src/features/households/service";
import { BlockId } from "../components/BlockId";
import { FormMessage } from "../components/Field";
import { Time } from "../components/Time";
import { PresenceDot, type PresenceView } from "../presence/PresenceDot";

export interface HouseholdPageProps {
  household: { id: string; name: string; childrenMayPost: boolean };
  viewer: { userId: string; role: string; mayInvite: boolean; isOwner: boolean };
  members: HouseholdMemberView[];
  /** Each member's presence (a live dot beside the name); offline when missing. */
  presence?: Record<string, PresenceView>;
  roles: readonly string[];
  message?: { kind: "error" | "success"; text: string } | null;
}

function RoleForm(props: { householdId: string; member: HouseholdMemberView; roles: readonly string[] }) {
  const { member } = props;
  const id = `role-${member.userId}`;
  return (
    <form method="post" action={`/household/${props.householdId}/members/${member.userId}/role`} class="row-actions">
      <label class="visually-hidden" for={id}>
        Role of {member.name}
      </label>
      <select id={id} name="role">
        {props.roles.map((role) => (
          <option value={role} selected={role === member.role}>
            {role}
          </option>
        ))}
      </select>
      <button type="submit" class="button small">Change role</button>
    </form>
  );
}

/** A household: its members and their roles; owners change roles and remove members, owners and adults invite. */
export function HouseholdPage(props: HouseholdPageProps) {
  const { household, viewer } = props;
  return (
    <section class="household-page">
      <p class="context-kind kind-household">Household</p>
      <h1>{household.name}</h1>
      <p class="muted">
        Your role: {viewer.role} · <a href={`/household/${household.id}/calendar`}>Household calendar</a> · <a href={`/billing/household/${household.id}`}>Plan and billing</a>
      </p>
      {props.message ? <FormMessage kind={props.message.kind} message={props.message.text} /> : null}
      {viewer.mayInvite ? (
        <p class="home-actions">
          <a class="button primary" href={`/household/${household.id}/invitations`}>Invite members</a>
          <a class="button" href={`/household/${household.id}/outbox`}>Outbox</a>
        </p>
      ) : null}
      <div class="card">
        <h2>Members</h2>
        <ul class="household-members">
          {props.members.map((member) => (
            <li class="household-member">
              <div>
                <p class="member-name">
                  <PresenceDot userId={member.userId} presence={props.presence?.[member.userId]} />
                  {member.name}
                  {member.userId === viewer.userId ? <span class="muted"> (you)</span> : null}
                  <span class="badge">{member.role}</span>
                </p>
                <p class="muted">
                  {member.email} · joined <Time at={member.joinedAt} />
                </p>
                <p class="member-block-id">
                  Block ID <BlockId value={member.blockId} />
                </p>
              </div>
              {viewer.isOwner ? (
                <div class="row-actions">
                  <RoleForm householdId={household.id} member={member} roles={props.roles} />
                  <form
                    method="post"
                    action={`/household/${household.id}/members/${member.userId}/remove`}
                    hx-confirm={`Remove ${member.name} from ${household.name}?`}
                  >
                    <button type="submit" class="button small danger">Remove</button>
                  </form>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
      <div class="card">
        <h2>Chat</h2>
        <p>
          <a href="/chat">Household conversations</a> are read by everyone in the household.{" "}
          {household.childrenMayPost ? "Children may write in them too." : "Children read them but do not write in them."}
        </p>
        {viewer.isOwner ? (
          <form method="post" action={`/household/${household.id}/chat-policy`} class="row-actions">
            <label class="choice">
              <input type="checkbox" name="childrenMayPost" value="on" checked={household.childrenMayPost} /> Children may write in household conversations
            </label>
            <button type="submit" class="button small">Save chat policy</button>
          </form>
        ) : null}
      </div>
    </section>
  );
}
