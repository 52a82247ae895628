// The mailer's personal data: the messages sent to the person's address (the outbox).
import { eq, or, sql } from "drizzle-orm";
import { mentionsPerson, scrubPerson, type PersonalDataSource } from "../privacy";
import { users } from "../auth";
import { outbox } from "./schema";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const mailerPersonalData: PersonalDataSource = {
  feature: "mailer",
  tables: [{ table: outbox, columns: ["to_address"], erasure: "delete", note: "mail to the person's address goes; mail to others that names them keeps its place, their name and address replaced" }],
  async exportFor(db, userId) {
    const [account] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
    if (!account) return { messages: [] };
    const rows = await db.select().from(outbox).where(sql`lower(${outbox.toAddress}) = lower(${account.email})`);
    // Bodies are left out: they hold one-time links (sign-in, confirmation) that must not travel in an archive.
    return { messages: rows.map((row) => ({ to: row.toAddress, subject: row.subject, transport: row.transport, createdAt: iso(row.createdAt), sentAt: iso(row.sentAt) })) };
  },
  // Runs after the erasure job has mailed its proof (so that message, too, is taken from the outbox).
  async erase({ tx, userId, person, tombstone }) {
    const theirs = await tx.delete(outbox).where(sql`lower(${outbox.toAddress}) = lower(${person.email})`);
    const named = await tx
      .update(outbox)
      .set({
        subject: scrubPerson(outbox.subject, person, userId, tombstone),
        textBody: scrubPerson(outbox.textBody, person, userId, tombstone),
        htmlBody: scrubPerson(outbox.htmlBody, person, userId, tombstone),
      })
      .where(or(mentionsPerson(outbox.subject, person, userId), mentionsPerson(outbox.textBody, person, userId), mentionsPerson(sql`coalesce(${outbox.htmlBody}, '')`, person, userId)));
    return theirs.rowsAffected + named.rowsAffected;
  },
};
