// Bun's mailer: with SMTP_URL, every message is recorded in the outbox and then sent through SMTP
// with nodemailer; sent_at or the error is written back. Without it, the outbox alone (as on Workers).
import nodemailer from "nodemailer";
import type { Config } from "../config";
import type { LogEntry } from "../deps";
import { markFailed, markSent, outboxMailer, recordMessage, type Mailer, type MailerDeps, type MailMessage } from "../features/mailer";

/** The sender when MAIL_FROM is not set: no-reply at the public host (or localhost). */
export function defaultFrom(config: Pick<Config, "PUBLIC_URL" | "MAIL_FROM">): string {
  if (config.MAIL_FROM) return config.MAIL_FROM;
  const host = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).hostname : "localhost";
  return `Block on Block <no-reply@${host}>`;
}

export function smtpMailer(deps: MailerDeps & { log: (entry: LogEntry) => void }, options: { url: string; from: string }): Mailer {
  // Short timeouts: a send happens inside a request, and a dead server must not hold it for minutes.
  const transporter = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    transport: "smtp",
    async send(message, context) {
      const id = await recordMessage(deps, message, context, "smtp");
      try {
        await transporter.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text, html: message.html, ...(message.calendar ? { icalEvent: { method: message.calendar.method, content: message.calendar.content } } : {}) });
        await markSent(deps, id);
        return { id, status: "sent", error: null };
      } catch (error) {
        const text = await markFailed(deps, id, error);
        deps.log({ level: "warn", msg: "mail not sent", outboxId: id, error: text });
        return { id, status: "failed", error: text };
      }
    },
  };
}

/**
 * SMTP when SMTP_URL is set, otherwise the outbox-only mailer — which in development (never in
 * production or tests) also prints each message to the server log, links included.
 */
export function bunMailer(config: Config, deps: MailerDeps & { log: (entry: LogEntry) => void }): Mailer {
  if (config.SMTP_URL) return smtpMailer(deps, { url: config.SMTP_URL, from: defaultFrom(config) });
  const print = config.NODE_ENV === "development" ? (message: MailMessage) => deps.log({ level: "info", msg: "mail (development, no SMTP_URL)", to: message.to, subject: message.subject, text: message.text }) : undefined;
  return outboxMailer(deps, print);
}
