import { recordMessage, type Mailer, type MailerDeps } from "./mailer";

/**
 * The mailer without SMTP (the default, and the only one on Workers, which have no SMTP socket):
 * the outbox table is the transport, and admins read the messages in the app.
 */
export function outboxMailer(deps: MailerDeps): Mailer {
  return {
    transport: "outbox",
    async send(message, context) {
      const id = await recordMessage(deps, message, context, "outbox");
      return { id, status: "outbox", error: null };
    },
  };
}
