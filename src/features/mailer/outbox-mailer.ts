import { recordMessage, type Mailer, type MailerDeps, type MailMessage } from "./mailer";

/**
 * The mailer without SMTP (the default, and the only one on Workers, which have no SMTP socket):
 * the outbox table is the transport, and admins read the messages in the app. `print` (development
 * only) also shows each message, so a newcomer can follow a confirmation link without a mail server.
 */
export function outboxMailer(deps: MailerDeps, print?: (message: MailMessage) => void): Mailer {
  return {
    transport: "outbox",
    async send(message, context) {
      const id = await recordMessage(deps, message, context, "outbox");
      print?.(message);
      return { id, status: "outbox", error: null };
    },
  };
}
