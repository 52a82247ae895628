import type { ConversationView } from "../../src/features/chat/conversations";

const KIND_LABEL = { direct: "Direct", group: "Group", channel: "Channel" } as const;

/** The conversations a user can read with unread counts; re-fetched when the stream says a list changed. */
export function ConversationList(props: { conversations: ConversationView[]; current?: string; source?: string }) {
  const source = props.source ?? `/chat/list${props.current ? `?current=${props.current}` : ""}`;
  return (
    <nav id="chat-list" class="chat-list" aria-label="Conversations" hx-get={source} hx-trigger="sse:chat, sse:resync" hx-swap="outerHTML">
      {props.conversations.length === 0 ? <p class="muted">No conversations yet.</p> : null}
      <ul>
        {props.conversations.map((conversation) => (
          <li>
            <a href={`/chat/${conversation.id}`} aria-current={conversation.id === props.current ? "page" : undefined} class={conversation.unread ? "chat-list-item unread" : "chat-list-item"}>
              <span class="chat-list-title">
                {conversation.kind === "channel" ? "# " : ""}
                {conversation.title || "Untitled group"}
              </span>
              <span class="muted chat-list-context">
                {KIND_LABEL[conversation.kind]}
                {conversation.context ? ` · ${conversation.context.name}` : ""}
                {conversation.archived ? " · archived" : ""}
              </span>
              {conversation.unread ? (
                <span class="badge unread-badge">
                  {conversation.unread}
                  <span class="visually-hidden"> unread</span>
                </span>
              ) : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * The header's chat link with the unread total: in the page it loads its count once (`unread`
 * unknown), then the fetched one re-fetches itself when the stream says a count changed. A plain link without JavaScript.
 */
export function ChatBadge(props: { unread: number | null }) {
  return (
    <a href="/chat" id="chat-badge" hx-get="/chat/badge" hx-trigger={props.unread === null ? "load, sse:chat, sse:resync" : "sse:chat, sse:resync"} hx-swap="outerHTML">
      Chat
      {props.unread ? (
        <span class="badge unread-badge">
          {props.unread}
          <span class="visually-hidden"> unread</span>
        </span>
      ) : null}
    </a>
  );
}
