import type { ConversationView } from "../../src/features/chat/conversations";
import type { MessageView } from "../../src/features/chat/messages";
import type { SearchHit } from "../../src/features/chat/search";
import { raw } from "hono/html";
import { Time } from "../components/Time";
import { Composer, type ComposerProps } from "./Composer";
import { ConversationList } from "./ConversationList";
import { MessageItem } from "./MessageItem";
import { PresenceDot, type PresenceView } from "../presence/PresenceDot";

export interface ConversationPanelProps {
  conversation: ConversationView;
  people: Array<{ id: string; name: string }>;
  messages: MessageView[];
  /** The seq to load older messages before, or null when the first message is shown. */
  olderBefore: number | null;
  mayPost: boolean;
  mayModerate: boolean;
  mayManage: boolean;
  composer: ComposerProps;
  /** Presence of the people shown (authors, the other person of a direct conversation). */
  presence: Map<string, PresenceView>;
}

/** Messages oldest first, between a loader for older ones and the live region that fetches what comes next. */
export function MessageRun(props: { conversationId: string; messages: MessageView[]; olderBefore: number | null; after: number; mayPost: boolean; mayModerate: boolean; live: boolean; presence: Map<string, PresenceView> }) {
  return (
    <>
      {props.olderBefore !== null ? (
        <li id="chat-older" class="chat-older">
          <a href={`/chat/${props.conversationId}?before=${props.olderBefore}`} hx-get={`/chat/${props.conversationId}/messages?before=${props.olderBefore}`} hx-target="#chat-older" hx-swap="outerHTML" hx-trigger="click, intersect once root:#chat-scroll">
            Load older messages
          </a>
        </li>
      ) : null}
      {props.messages.map((message) => (
        <MessageItem message={message} mayPost={props.mayPost} mayModerate={props.mayModerate} presence={message.author ? props.presence.get(message.author.id) : undefined} />
      ))}
      {props.live ? <LiveTail conversationId={props.conversationId} after={props.after} /> : null}
    </>
  );
}

/** Where new messages arrive: when the stream says the conversation has one, this fetches what came after `after` and replaces itself. */
export function LiveTail(props: { conversationId: string; after: number }) {
  return <li id="chat-live" class="chat-live" data-after={props.after} hx-get={`/chat/${props.conversationId}/messages?after=${props.after}`} hx-trigger={`sse:chat-${props.conversationId}, sse:resync`} hx-swap="outerHTML"></li>;
}

export function ConversationHeader(props: { conversation: ConversationView; people: Array<{ id: string; name: string }>; mayManage: boolean; viewerId: string; presence: Map<string, PresenceView> }) {
  const { conversation } = props;
  const other = conversation.kind === "direct" ? props.people.find((person) => person.id !== props.viewerId) : undefined;
  return (
    <header id="chat-header" class="chat-header" hx-get={`/chat/${conversation.id}/header`} hx-trigger={`sse:chat-conversation-${conversation.id}`} hx-swap="outerHTML">
      <h1>
        {other ? <PresenceDot userId={other.id} presence={props.presence.get(other.id)} /> : null}
        {conversation.kind === "channel" ? "# " : ""}
        {conversation.title || "Untitled group"}
        {conversation.archived ? <span class="badge">archived</span> : null}
      </h1>
      <p class="muted">
        {conversation.kind === "direct" ? "Direct conversation" : conversation.kind === "group" ? `Group of ${props.people.length}` : `Channel of ${conversation.context?.name ?? ""} · ${props.people.length} readers`}
        {" · "}
        <a href={`/chat/${conversation.id}/people`}>People and settings</a>
      </p>
    </header>
  );
}

export function ConversationPanel(props: ConversationPanelProps) {
  const last = props.messages.at(-1)?.seq ?? props.conversation.lastSeq;
  return (
    <div class="chat-main">
      <ConversationHeader conversation={props.conversation} people={props.people} mayManage={props.mayManage} viewerId={props.composer.viewerId} presence={props.presence} />
      <div id="chat-scroll" class="chat-scroll" tabindex={0} role="region" aria-label="Messages">
        {props.messages.length === 0 ? <p class="muted chat-empty">No messages yet. Say hello.</p> : null}
        <ol class="message-list" id="message-list" aria-live="polite">
          <MessageRun conversationId={props.conversation.id} messages={props.messages} olderBefore={props.olderBefore} after={last} mayPost={props.mayPost} mayModerate={props.mayModerate} live={true} presence={props.presence} />
        </ol>
      </div>
      <Composer {...props.composer} />
    </div>
  );
}

export function SearchForm(props: { q?: string }) {
  return (
    <form method="get" action="/chat/search" class="chat-search" role="search">
      <label for="chat-search-q" class="visually-hidden">
        Search messages
      </label>
      <input id="chat-search-q" type="search" name="q" value={props.q ?? ""} placeholder="Search messages" maxlength={200} />
      <button type="submit" class="button small">Search</button>
    </form>
  );
}

export function ChatPage(props: { conversations: ConversationView[]; panel: ConversationPanelProps | null; q?: string }) {
  return (
    <section class="chat">
      <aside class="chat-sidebar">
        <SearchForm q={props.q} />
        <p>
          <a class="button small" href="/chat/new">New conversation</a>
        </p>
        <ConversationList conversations={props.conversations} current={props.panel?.conversation.id} />
      </aside>
      {props.panel ? (
        <ConversationPanel {...props.panel} />
      ) : (
        <div class="chat-main empty-state">
          <h1>Chat</h1>
          <p class="muted">Choose a conversation, or start a new one with people you share a business or household with.</p>
        </div>
      )}
    </section>
  );
}

export function SearchResults(props: { q: string; hits: SearchHit[]; error?: string }) {
  return (
    <section class="chat-results narrow-page">
      <h1>Search messages</h1>
      <SearchForm q={props.q} />
      {props.error ? <p class="field-error">{props.error}</p> : null}
      {props.q && !props.error ? <p class="muted">{props.hits.length === 0 ? "Nothing found." : `${props.hits.length} message${props.hits.length === 1 ? "" : "s"} found.`}</p> : null}
      <ol class="search-hits">
        {props.hits.map((hit) => (
          <li class="card">
            <p class="message-meta">
              <a href={`/chat/${hit.conversationId}#msg-${hit.messageId}`}>{hit.conversationTitle || "Untitled group"}</a> · {hit.authorName ?? "Former member"} · <Time at={hit.createdAt} />
            </p>
            <p>{raw(hit.snippet)}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
