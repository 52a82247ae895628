// The mailer's personal data: the messages sent to the person's address (the outbox).
import { eq, sql } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { users } from "../auth";
import { outbox } from "./schema";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const mailerPersonalData: PersonalDataSource = {
  feature: "mailer",
  tables: [{ table: outbox, columns: ["to_address"], erasure: "delete", note: "mail to the person's address; its one-time links are long dead" }],
  async exportFor(db, userId) {
    const [account] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
    if (!account) return { messages: [] };
    const rows = await db.select().from(outbox).where(sql`lower(${outbox.toAddress}) = lower(${account.email})`);
    // Bodies are left out: they hold one-time links (sign-in, confirmation) that must not travel in an archive.
    return { messages: rows.map((row) => ({ to: row.toAddress, subject: row.subject, transport: row.transport, createdAt: iso(row.createdAt), sentAt: iso(row.sentAt) })) };
  },
};
