import type { FieldErrors } from "../components/Field";

export interface ComposerProps {
  conversationId: string;
  viewerId: string;
  /** Why this person cannot write here (archived, read-only), or null. */
  closed: string | null;
  replyTo?: { id: string; authorName: string; excerpt: string } | null;
  text?: string;
  errors?: FieldErrors;
  /** Where a plain form post returns to (the chat page, or a workspace tab). */
  next?: string;
}

/** The message form: plain multipart post (and reload) without JavaScript; htmx swaps a fresh form in after a send. */
export function Composer(props: ComposerProps) {
  const action = `/chat/${props.conversationId}/messages`;
  if (props.closed) {
    return (
      <p id="composer" class="composer-closed muted">
        {props.closed}
      </p>
    );
  }
  const textErrors = [...(props.errors?.text ?? []), ...(props.errors?.replyTo ?? []), ...(props.errors?._form ?? [])];
  const fileErrors = [...(props.errors?.file ?? []), ...(props.errors?.attachmentIds ?? [])];
  return (
    <form id="composer" class="composer" method="post" action={action} enctype="multipart/form-data" hx-post={action} hx-encoding="multipart/form-data" hx-swap="outerHTML" data-mentions={`/chat/${props.conversationId}/mentions`}>
      {props.replyTo ? (
        <p class="composer-reply">
          Replying to <strong>{props.replyTo.authorName}</strong>: {props.replyTo.excerpt}{" "}
          <a href={`/chat/${props.conversationId}`}>Cancel</a>
          <input type="hidden" name="replyTo" value={props.replyTo.id} />
        </p>
      ) : null}
      {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
      <div class={textErrors.length ? "field has-error" : "field"}>
        <label for="composer-text">Message</label>
        <textarea
          id="composer-text"
          name="text"
          rows={3}
          maxlength={10000}
          aria-describedby={textErrors.length ? "composer-text-error composer-hint" : "composer-hint"}
          aria-invalid={textErrors.length ? "true" : undefined}
        >
          {props.text ?? ""}
        </textarea>
        <p class="hint" id="composer-hint">
          **bold**, _italic_, `code`, &gt; quote, links, @name to mention. Enter sends, Shift+Enter adds a line.
        </p>
        {textErrors.length ? (
          <p class="field-error" id="composer-text-error">
            {textErrors.join(" ")}
          </p>
        ) : null}
        <ul class="mention-suggestions" id="mention-suggestions" role="listbox" aria-label="People to mention" hidden></ul>
      </div>
      <div class={fileErrors.length ? "field has-error" : "field"}>
        <label for="composer-file">Attach files</label>
        <input id="composer-file" type="file" name="file" multiple aria-describedby={fileErrors.length ? "composer-file-error" : undefined} />
        {fileErrors.length ? (
          <p class="field-error" id="composer-file-error">
            {fileErrors.join(" ")}
          </p>
        ) : null}
      </div>
      <button type="submit" class="button primary">Send</button>
    </form>
  );
}
