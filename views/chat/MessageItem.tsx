import { raw } from "hono/html";
import type { MessageView } from "../../src/features/chat/messages";
import { Time } from "../components/Time";
import { PresenceDot, type PresenceView } from "../presence/PresenceDot";

/** Reactions offered on every message; any emoji can be sent through the API. */
export const QUICK_REACTIONS = ["👍", "❤️", "😂", "🎉", "👀", "✅"] as const;

export interface MessageItemProps {
  message: MessageView;
  /** May post here (reply, react); false in an archived or read-only conversation. */
  mayPost: boolean;
  /** May delete others' messages (business admins in their channels). */
  mayModerate: boolean;
  /** The author's presence, shown (live) beside their name. */
  presence?: PresenceView;
}

const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** One message; it fetches itself again when the stream says it changed (edited, deleted, reacted to). */
export function MessageItem({ message, mayPost, mayModerate, presence }: MessageItemProps) {
  const base = `/chat/messages/${message.id}`;
  const deleted = message.deletedAt !== null;
  return (
    <li class={`message${message.mine ? " message-mine" : ""}${deleted ? " message-deleted" : ""}`} id={`msg-${message.id}`} data-seq={message.seq} hx-get={base} hx-trigger={`sse:chat-message-${message.id}`} hx-swap="outerHTML">
      <p class="message-meta">
        {message.author ? <PresenceDot userId={message.author.id} presence={presence} /> : null}
        <strong class="message-author">{message.author?.name ?? "Former member"}</strong> <Time at={message.createdAt} />
        {message.editedAt && !deleted ? <span class="muted"> (edited)</span> : null}
      </p>
      {message.replyTo ? (
        <blockquote class="message-quote">
          <a href={`#msg-${message.replyTo.id}`}>{message.replyTo.authorName}</a>: {message.replyTo.deleted ? <em>deleted message</em> : message.replyTo.excerpt}
        </blockquote>
      ) : null}
      {deleted ? <p class="message-text muted"><em>This message was deleted.</em></p> : <div class="message-text">{raw(message.html)}</div>}
      {message.attachments.length ? (
        <ul class="message-files">
          {message.attachments.map((file) => (
            <li>
              {file.isImage ? (
                <a href={`/chat/attachments/${file.id}`} class="message-image">
                  <img src={`/chat/attachments/${file.id}?inline=1`} alt={file.fileName} loading="lazy" />
                </a>
              ) : null}
              <a href={`/chat/attachments/${file.id}`} download={file.fileName}>
                {file.fileName}
              </a>{" "}
              <span class="muted">({size(file.size)})</span>
            </li>
          ))}
        </ul>
      ) : null}
      {!deleted ? (
        <div class="message-reactions">
          {message.reactions.map((reaction) => (
            <form method="post" action={`${base}/react`} hx-post={`${base}/react`} hx-swap="none" class="inline-form">
              <input type="hidden" name="emoji" value={reaction.emoji} />
              <button type="submit" class={`reaction${reaction.mine ? " reaction-mine" : ""}`} aria-pressed={reaction.mine ? "true" : "false"} disabled={!mayPost} aria-label={`${reaction.emoji} ${reaction.count}${reaction.mine ? ", yours: press to take back" : ""}`}>
                {reaction.emoji} {reaction.count}
              </button>
            </form>
          ))}
        </div>
      ) : null}
      {!deleted ? (
        <div class="message-actions">
          {mayPost ? (
            <details class="react-menu">
              <summary>React</summary>
              {QUICK_REACTIONS.map((emoji) => (
                <form method="post" action={`${base}/react`} hx-post={`${base}/react`} hx-swap="none" class="inline-form">
                  <input type="hidden" name="emoji" value={emoji} />
                  <button type="submit" class="link-button" aria-label={`React with ${emoji}`}>
                    {emoji}
                  </button>
                </form>
              ))}
            </details>
          ) : null}
          {mayPost ? <a href={`/chat/${message.conversationId}?replyTo=${message.id}#composer`}>Reply</a> : null}
          {message.mine && mayPost ? <a href={`${base}/edit`}>Edit</a> : null}
          {message.mine || mayModerate ? (
            <form method="post" action={`${base}/delete`} hx-post={`${base}/delete`} hx-swap="none" hx-confirm="Delete this message for everyone?" class="inline-form">
              <button type="submit" class="link-button danger-link">Delete</button>
            </form>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
