import { eq } from "drizzle-orm";
import type { Db } from "../../db/types";
import { newId } from "../../lib/crypto";
import { outbox } from "./schema";

/** One message to one person. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** What the message is about, so that business admins (or household owners and adults) can read it. */
export interface MailContext {
  businessId?: string | null;
  householdId?: string | null;
}

/**
 * What became of a message: "sent" (an SMTP server took it), "outbox" (no SMTP configured: the
 * outbox in the app is where it is read) or "failed" (SMTP refused or was unreachable; `error` says why).
 */
export interface MailDelivery {
  id: string;
  status: "sent" | "outbox" | "failed";
  error: string | null;
}

/** The mailer port in Deps. Every message is recorded in the outbox table first, whatever the transport. */
export interface Mailer {
  readonly transport: "smtp" | "outbox";
  send(message: MailMessage, context: MailContext): Promise<MailDelivery>;
}

export interface MailerDeps {
  db: Db;
  now: () => number;
}

/** Writes the outbox row every mailer starts with; returns its id. */
export async function recordMessage(deps: MailerDeps, message: MailMessage, context: MailContext, transport: Mailer["transport"]): Promise<string> {
  const id = newId();
  await deps.db.insert(outbox).values({
    id,
    businessId: context.businessId ?? null,
    householdId: context.householdId ?? null,
    toAddress: message.to,
    subject: message.subject,
    textBody: message.text,
    htmlBody: message.html ?? null,
    transport,
    createdAt: deps.now(),
  });
  return id;
}

export async function markSent(deps: MailerDeps, id: string): Promise<void> {
  await deps.db.update(outbox).set({ sentAt: deps.now(), error: null }).where(eq(outbox.id, id));
}

/** Keeps the failure beside the message (at most 500 characters), for admins to see. */
export async function markFailed(deps: MailerDeps, id: string, error: unknown): Promise<string> {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim().slice(0, 500) || "Unknown error";
  await deps.db.update(outbox).set({ error: text }).where(eq(outbox.id, id));
  return text;
}
