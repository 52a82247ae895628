import type { OutboxMessage, OutboxView } from "../../src/features/mailer/service";
import { Time } from "../components/Time";
import { ScopeNav } from "../invitations/ScopeNav";

const STATUS_TEXT: Record<OutboxMessage["status"], string> = {
  sent: "Sent",
  outbox: "In the outbox",
  failed: "Not sent",
  sending: "Sending",
};

function Status(props: { message: OutboxMessage }) {
  const { message } = props;
  return (
    <>
      <span class={`badge mail-${message.status}`}>{STATUS_TEXT[message.status]}</span>
      {message.sentAt ? (
        <span class="muted">
          {" "}
          <Time at={message.sentAt} />
        </span>
      ) : null}
      {message.error ? <p class="mail-error">{message.error}</p> : null}
    </>
  );
}

/** Every message sent about this business or household, newest first; without SMTP this is how mail is read. */
export function OutboxPage(props: { view: OutboxView; smtp: boolean }) {
  const { view } = props;
  return (
    <section class="outbox-page">
      <ScopeNav scope={view} current="outbox" />
      <h1>Outbox</h1>
      <p class="muted">
        {props.smtp
          ? "Messages about this place, as sent through the mail server. A message that could not be sent says why."
          : "No mail server is configured, so messages stay here."}{" "}
        One-time links are hidden: whoever reads this page could use them. To get an invitation to someone, send it again from the invitations page.
      </p>
      {view.messages.length === 0 ? (
        <p class="card muted">No messages yet.</p>
      ) : (
        <ul class="outbox-list">
          {view.messages.map((message) => (
            <li class="card outbox-item" id={`message-${message.id}`}>
              <div class="outbox-head">
                <div>
                  <p class="outbox-subject">{message.subject}</p>
                  <p class="muted">
                    To {message.to} · <Time at={message.createdAt} />
                  </p>
                </div>
                <div class="outbox-status">
                  <Status message={message} />
                </div>
              </div>
              <details>
                <summary>Message</summary>
                <pre class="outbox-body">{message.text}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
