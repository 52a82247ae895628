import { desc, eq } from "drizzle-orm";
import type { Deps } from "../../deps";
import { AppError } from "../../lib/errors";
import { mayManageMembers, requireHouseholdMembership } from "../households";
import { requireMembership, requireRole } from "../workspace";
import { outbox } from "./schema";

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  transport: "smtp" | "outbox";
  status: "sent" | "outbox" | "failed" | "sending";
  error: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface OutboxView {
  kind: "business" | "household";
  id: string;
  name: string;
  messages: OutboxMessage[];
}

const LIMIT = 100;

/**
 * The one-time links the platform mails (an invitation, a confirmation, a password reset) work for
 * whoever holds them; anyone reading the outbox could otherwise use them. Readers see the link with
 * its token hidden; re-sending the invitation makes a new link for its addressee.
 */
const SECRET_LINK = /(\/(?:invitations|verify-email|reset-password)\/)[a-z2-7]{16,}|(\/rsvp\/)[a-z0-9]{10,40}\.[A-Za-z0-9_-]{20,100}/g;

export function redactSecretLinks(text: string): string {
  return text.replace(SECRET_LINK, (_, path: string | undefined, rsvp: string | undefined) => `${path ?? rsvp}[link hidden — re-send to make a new one]`);
}

function toMessage(row: typeof outbox.$inferSelect): OutboxMessage {
  const status = row.transport === "outbox" ? "outbox" : row.sentAt !== null ? "sent" : row.error !== null ? "failed" : "sending";
  return {
    id: row.id,
    to: row.toAddress,
    subject: row.subject,
    text: redactSecretLinks(row.textBody),
    transport: row.transport,
    status,
    error: row.error,
    createdAt: new Date(row.createdAt).toISOString(),
    sentAt: row.sentAt === null ? null : new Date(row.sentAt).toISOString(),
  };
}

/** The latest messages about a business: its admins and owners only (managers 403, outsiders 404). */
export async function businessOutbox(deps: Pick<Deps, "db">, userId: string, businessId: string): Promise<OutboxView> {
  const { business } = requireRole(await requireMembership(deps.db, userId, businessId), "admin", "read the outbox");
  const rows = await deps.db.select().from(outbox).where(eq(outbox.businessId, businessId)).orderBy(desc(outbox.createdAt)).limit(LIMIT);
  return { kind: "business", id: business.id, name: business.name, messages: rows.map(toMessage) };
}

/** The latest messages about a household: its owners and adults only. */
export async function householdOutbox(deps: Pick<Deps, "db">, userId: string, householdId: string): Promise<OutboxView> {
  const { household, member } = await requireHouseholdMembership(deps.db, userId, householdId);
  if (!mayManageMembers(member.role)) throw new AppError(403, "forbidden", "Only household owners and adults may read the outbox.");
  const rows = await deps.db.select().from(outbox).where(eq(outbox.householdId, householdId)).orderBy(desc(outbox.createdAt)).limit(LIMIT);
  return { kind: "household", id: household.id, name: household.name, messages: rows.map(toMessage) };
}
