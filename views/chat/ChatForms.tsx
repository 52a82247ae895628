import type { ConversationView } from "../../src/features/chat/conversations";
import type { FieldErrors } from "../components/Field";
import { PresenceDot, type PresenceView } from "../presence/PresenceDot";

const errorsOf = (errors: FieldErrors | undefined, ...names: string[]) => names.flatMap((name) => errors?.[name] ?? []);

function Errors(props: { id: string; messages: string[] }) {
  return props.messages.length ? (
    <p class="field-error" id={props.id}>
      {props.messages.join(" ")}
    </p>
  ) : null;
}

export interface Contact {
  id: string;
  name: string;
  /** Where the viewer knows them from, e.g. "Acme · Lovelace home". */
  via: string;
}

export interface ChannelPlace {
  /** "business:<id>" or "household:<id>". */
  value: string;
  label: string;
  departments: Array<{ id: string; name: string }>;
}

export interface NewConversationProps {
  contacts: Contact[];
  places: ChannelPlace[];
  errors?: FieldErrors;
  channelErrors?: FieldErrors;
  values?: Record<string, string>;
  selected?: string[];
}

/** Start a conversation with one person (direct) or several (a group), or create a channel where you may. */
export function NewConversationPage(props: NewConversationProps) {
  const peopleErrors = errorsOf(props.errors, "userIds", "_form");
  const channelErrors = errorsOf(props.channelErrors, "contextId", "_form", "allowedRoles", "allowedDepartments");
  return (
    <section class="narrow-page chat-new">
      <h1>New conversation</h1>
      <form method="post" action="/chat/new" class="form card">
        <h2>With people</h2>
        {props.contacts.length === 0 ? <p class="muted">You share no business or household with anyone yet.</p> : null}
        <fieldset class={peopleErrors.length ? "check-group has-error" : "check-group"} aria-describedby={peopleErrors.length ? "new-people-error" : undefined}>
          <legend>People (one for a direct conversation, several for a group of up to 50)</legend>
          {props.contacts.map((contact) => (
            <label class="choice">
              <input type="checkbox" name="userIds" value={contact.id} checked={props.selected?.includes(contact.id)} /> {contact.name} <span class="muted">({contact.via})</span>
            </label>
          ))}
        </fieldset>
        <Errors id="new-people-error" messages={peopleErrors} />
        <div class={props.errors?.name ? "field has-error" : "field"}>
          <label for="new-name">Group name (optional)</label>
          <input id="new-name" name="name" maxlength={80} value={props.values?.name ?? ""} />
          <Errors id="new-name-error" messages={errorsOf(props.errors, "name")} />
        </div>
        <button type="submit" class="button primary">Start</button>
      </form>
      {props.places.length ? (
        <form method="post" action="/chat/channels" class="form card">
          <h2>A channel</h2>
          <div class={props.channelErrors?.name ? "field has-error" : "field"}>
            <label for="channel-name">Channel name</label>
            <input id="channel-name" name="name" maxlength={80} required value={props.values?.channelName ?? ""} aria-describedby={props.channelErrors?.name ? "channel-name-error" : undefined} />
            <Errors id="channel-name-error" messages={errorsOf(props.channelErrors, "name")} />
          </div>
          <div class="field">
            <label for="channel-place">For</label>
            <select id="channel-place" name="place">
              {props.places.map((place) => (
                <option value={place.value} selected={props.values?.place === place.value}>
                  {place.label}
                </option>
              ))}
            </select>
          </div>
          {props.places.some((place) => place.departments.length) ? (
            <div class="field">
              <label for="channel-department">Only for a department or class (optional)</label>
              <select id="channel-department" name="departmentId">
                <option value="">Everyone</option>
                {props.places.flatMap((place) =>
                  place.departments.map((department) => (
                    <option value={department.id} selected={props.values?.departmentId === department.id}>
                      {place.label} — {department.name}
                    </option>
                  )),
                )}
              </select>
            </div>
          ) : null}
          <Errors id="channel-error" messages={channelErrors} />
          <button type="submit" class="button">Create channel</button>
        </form>
      ) : null}
    </section>
  );
}

export interface PeoplePageProps {
  conversation: ConversationView;
  people: Array<{ id: string; name: string }>;
  viewerId: string;
  mayManage: boolean;
  /** The group's starter may remove others. */
  mayRemoveOthers: boolean;
  contacts: Contact[];
  errors?: FieldErrors;
  presence: Map<string, PresenceView>;
}

export function ConversationPeoplePage(props: PeoplePageProps) {
  const { conversation } = props;
  const base = `/chat/${conversation.id}`;
  const isGroup = conversation.kind === "group";
  const addable = props.contacts.filter((contact) => !props.people.some((person) => person.id === contact.id));
  return (
    <section class="narrow-page">
      <p>
        <a href={base}>← Back to the conversation</a>
      </p>
      <h1>{conversation.title || "Untitled group"}</h1>
      <div class="card">
        <h2>{conversation.kind === "channel" ? "Readers" : "People"}</h2>
        {conversation.kind === "channel" ? <p class="muted">A channel is read by everyone its business or household rules admit.</p> : null}
        <ul class="session-list">
          {props.people.map((person) => (
            <li class="session-item">
              <span>
                <PresenceDot userId={person.id} presence={props.presence.get(person.id)} /> {person.name}
                {person.id === props.viewerId ? <span class="muted"> (you)</span> : null}
              </span>
              {isGroup && (person.id === props.viewerId || props.mayRemoveOthers) ? (
                <form method="post" action={`${base}/people/${person.id}/remove`} class="inline-form">
                  <button type="submit" class="button small danger">{person.id === props.viewerId ? "Leave" : "Remove"}</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
      {isGroup && !conversation.archived && addable.length ? (
        <form method="post" action={`${base}/people`} class="form card">
          <h2>Add people</h2>
          <fieldset class="check-group">
            <legend>People you share a business or household with</legend>
            {addable.map((contact) => (
              <label class="choice">
                <input type="checkbox" name="userIds" value={contact.id} /> {contact.name} <span class="muted">({contact.via})</span>
              </label>
            ))}
          </fieldset>
          <Errors id="add-people-error" messages={errorsOf(props.errors, "userIds")} />
          <button type="submit" class="button">Add</button>
        </form>
      ) : null}
      {props.mayManage ? (
        <form method="post" action={`${base}/settings`} class="form card">
          <h2>Settings</h2>
          <div class={props.errors?.name ? "field has-error" : "field"}>
            <label for="conversation-name">Name</label>
            <input id="conversation-name" name="name" maxlength={80} value={conversation.name} />
            <Errors id="conversation-name-error" messages={errorsOf(props.errors, "name", "_form")} />
          </div>
          <label class="choice">
            <input type="checkbox" name="archived" value="on" checked={conversation.archived} /> Archived (read-only)
          </label>
          <button type="submit" class="button">Save</button>
        </form>
      ) : null}
    </section>
  );
}

export function EditMessagePage(props: { messageId: string; conversationId: string; text: string; errors?: FieldErrors }) {
  const errors = errorsOf(props.errors, "text", "_form");
  return (
    <section class="narrow-page">
      <h1>Edit message</h1>
      <form method="post" action={`/chat/messages/${props.messageId}/edit`} class="form card">
        <div class={errors.length ? "field has-error" : "field"}>
          <label for="edit-text">Message</label>
          <textarea id="edit-text" name="text" rows={6} maxlength={10000} aria-describedby={errors.length ? "edit-text-error" : undefined}>
            {props.text}
          </textarea>
          <Errors id="edit-text-error" messages={errors} />
        </div>
        <p class="row-actions">
          <button type="submit" class="button primary">Save</button>
          <a href={`/chat/${props.conversationId}#msg-${props.messageId}`}>Cancel</a>
        </p>
      </form>
    </section>
  );
}

/** The chat tab of a business workspace: its channels (with unread counts) and, for admins, a new channel. */
export function BusinessChatTab(props: { businessId: string; conversations: ConversationView[]; mayCreate: boolean; departments: Array<{ id: string; name: string }>; kind: string }) {
  return (
    <div class="workspace-chat">
      <ul class="chat-channels" id="business-chat" hx-get={`/business/${props.businessId}/workspace/chat`} hx-trigger="sse:chat, sse:resync" hx-select="#business-chat" hx-swap="outerHTML">
        {props.conversations.length === 0 ? <li class="muted">No channels yet.</li> : null}
        {props.conversations.map((conversation) => (
          <li>
            <a href={`/chat/${conversation.id}`}># {conversation.title}</a>
            {conversation.archived ? <span class="muted"> (archived)</span> : null}
            {conversation.unread ? <span class="badge unread-badge">{conversation.unread} unread</span> : null}
          </li>
        ))}
      </ul>
      <p>
        <a href="/chat">All your conversations</a>
      </p>
      {props.mayCreate ? (
        <form method="post" action="/chat/channels" class="form card">
          <h2>New channel</h2>
          <input type="hidden" name="place" value={`business:${props.businessId}`} />
          <div class="field">
            <label for="tab-channel-name">Channel name</label>
            <input id="tab-channel-name" name="name" maxlength={80} required />
          </div>
          {props.departments.length ? (
            <div class="field">
              <label for="tab-channel-department">{props.kind === "institution" ? "Only for a class or department (optional)" : "Only for a department (optional)"}</label>
              <select id="tab-channel-department" name="departmentId">
                <option value="">Everyone</option>
                {props.departments.map((department) => (
                  <option value={department.id}>{department.name}</option>
                ))}
              </select>
            </div>
          ) : null}
          <button type="submit" class="button">Create channel</button>
        </form>
      ) : null}
    </div>
  );
}
