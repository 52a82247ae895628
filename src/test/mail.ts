// Test support: what the mailer recorded in the outbox, and the invitation links in it.
import { expect } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { outbox } from "../schema";
import type { TestApp } from "./app";

/** The messages recorded for one address, oldest first. */
export async function mailTo(t: TestApp, email: string) {
  // Oldest first; messages of the same millisecond in the order they were written.
  return t.deps.db.select().from(outbox).where(eq(outbox.toAddress, email)).orderBy(outbox.createdAt, sql`rowid`);
}

/** The invitation path (/invitations/<token>) in a message body. */
export function linkIn(text: string): string {
  const match = /https?:\/\/[^/\s]+(\/invitations\/[a-z2-7]+)/.exec(text);
  if (!match) throw new Error(`no invitation link in: ${text}`);
  return match[1]!;
}

/** The invitation path in the last message to this address. */
export async function latestLink(t: TestApp, email: string): Promise<string> {
  const messages = await mailTo(t, email);
  expect(messages.length).toBeGreaterThan(0);
  return linkIn(messages.at(-1)!.textBody);
}
