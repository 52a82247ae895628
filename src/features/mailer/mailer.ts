import { writeTransaction } from "../../db/transaction";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/types";
import type { MailContext, MailDelivery, Mailer, MailMessage } from "../../deps";
import { newId } from "../../lib/crypto";
import { outbox } from "./schema";

export type { MailContext, MailDelivery, Mailer, MailMessage };

export interface MailerDeps {
  db: Db;
  now: () => number;
}

/** Writes the outbox row every mailer starts with; returns its id. */
export async function recordMessage(deps: MailerDeps, message: MailMessage, context: MailContext, transport: Mailer["transport"]): Promise<string> {
  const id = newId();
  // Every write goes through the write queue (docs/architecture.md, "Writes are queued per process").
  await writeTransaction(deps.db, (tx) => tx.insert(outbox).values({
    id,
    businessId: context.businessId ?? null,
    householdId: context.householdId ?? null,
    toAddress: message.to,
    subject: message.subject,
    textBody: message.text,
    htmlBody: message.html ?? null,
    calendarMethod: message.calendar?.method ?? null,
    calendarBody: message.calendar?.content ?? null,
    transport,
    createdAt: deps.now(),
  }));
  return id;
}

export async function markSent(deps: MailerDeps, id: string): Promise<void> {
  await writeTransaction(deps.db, (tx) => tx.update(outbox).set({ sentAt: deps.now(), error: null }).where(eq(outbox.id, id)));
}

/** Keeps the failure beside the message (at most 500 characters), for admins to see. */
export async function markFailed(deps: MailerDeps, id: string, error: unknown): Promise<string> {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim().slice(0, 500) || "Unknown error";
  await writeTransaction(deps.db, (tx) => tx.update(outbox).set({ error: text }).where(eq(outbox.id, id)));
  return text;
}
