// Chat's personal data: the conversations one is in, what one wrote, reacted, was mentioned in,
// read up to, and the files one uploaded. Others keep shared conversations: erasure turns the
// person's messages into "deleted user" (author null) rather than taking them from everyone.
import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { afterCommit } from "../../db/transaction";
import type { PersonalDataSource } from "../privacy";
import { chatAttachments, conversationMembers, conversationReads, conversations, messageMentions, messageReactions, messages } from "./schema";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const chatPersonalData: PersonalDataSource = {
  feature: "chat",
  tables: [
    { table: conversations, columns: ["created_by"], erasure: "anonymize", note: "conversations stay with their other people; who started one becomes null, a direct one loses its key (it names both ids)" },
    { table: conversationMembers, columns: ["user_id"], erasure: "cascade" },
    { table: conversationReads, columns: ["user_id"], erasure: "cascade" },
    { table: messages, columns: ["author_id", "deleted_by"], erasure: "anonymize", note: "shown as from a deleted user to the others in the conversation" },
    { table: messageMentions, columns: ["user_id"], erasure: "cascade" },
    { table: messageReactions, columns: ["user_id"], erasure: "cascade" },
    { table: chatAttachments, columns: ["uploader_id"], erasure: "anonymize", note: "files sent to others stay with the message; unsent ones go, with their stored file" },
  ],
  async filesFor(db, userId) {
    const rows = await db.select().from(chatAttachments).where(eq(chatAttachments.uploaderId, userId));
    return rows.map((row) => ({ path: `chat/${row.conversationId}/${row.id}-${row.fileName}`, storageKey: row.storageKey }));
  },
  async exportFor(db, userId) {
    const [memberOf, written, reactions, mentions, reads, files] = await Promise.all([
      db.select({ id: conversationMembers.conversationId }).from(conversationMembers).where(eq(conversationMembers.userId, userId)),
      db.select().from(messages).where(eq(messages.authorId, userId)),
      db.select().from(messageReactions).where(eq(messageReactions.userId, userId)),
      db.select({ messageId: messageMentions.messageId }).from(messageMentions).where(eq(messageMentions.userId, userId)),
      db.select().from(conversationReads).where(eq(conversationReads.userId, userId)),
      db.select().from(chatAttachments).where(eq(chatAttachments.uploaderId, userId)),
    ]);
    const ids = [...new Set([...memberOf.map((row) => row.id), ...written.map((row) => row.conversationId)])];
    const theirs = await db
      .select()
      .from(conversations)
      .where(ids.length ? or(inArray(conversations.id, ids), eq(conversations.createdBy, userId)) : eq(conversations.createdBy, userId));
    return {
      conversations: theirs.map((row) => ({ id: row.id, kind: row.kind, name: row.name, contextType: row.contextType, contextId: row.contextId, createdByYou: row.createdBy === userId, createdAt: iso(row.createdAt), archivedAt: iso(row.archivedAt) })),
      messages: written.map((row) => ({ id: row.id, conversationId: row.conversationId, text: row.text, replyTo: row.replyToId, createdAt: iso(row.createdAt), editedAt: iso(row.editedAt), deletedAt: iso(row.deletedAt) })),
      reactions: reactions.map((row) => ({ messageId: row.messageId, emoji: row.emoji, createdAt: iso(row.createdAt) })),
      mentionedIn: mentions.map((row) => row.messageId),
      readMarks: reads.map((row) => ({ conversationId: row.conversationId, lastReadSeq: row.lastReadSeq })),
      // The files themselves go into the archive beside this JSON (their storage keys name them there).
      files: files.map((row) => ({ id: row.id, conversationId: row.conversationId, messageId: row.messageId, fileName: row.fileName, contentType: row.contentType, size: row.size, storageKey: row.storageKey, createdAt: iso(row.createdAt) })),
    };
  },
  async erase({ tx, deps, userId }) {
    const unsent = await tx
      .delete(chatAttachments)
      .where(and(eq(chatAttachments.uploaderId, userId), isNull(chatAttachments.messageId)))
      .returning({ storageKey: chatAttachments.storageKey });
    afterCommit(tx, () => {
      for (const { storageKey } of unsent) void deps.storage.delete(storageKey).catch((error) => deps.log({ level: "error", msg: "erasure: attachment not deleted", error: String(error) }));
    });
    const results = await Promise.all([
      tx.update(chatAttachments).set({ uploaderId: null }).where(eq(chatAttachments.uploaderId, userId)),
      tx.update(messages).set({ authorId: null }).where(eq(messages.authorId, userId)),
      tx.update(messages).set({ deletedBy: null }).where(eq(messages.deletedBy, userId)),
      tx.update(conversations).set({ createdBy: null }).where(eq(conversations.createdBy, userId)),
      tx.update(conversations).set({ directKey: null }).where(sql`instr(${conversations.directKey}, ${userId}) > 0`),
      tx.delete(conversationMembers).where(eq(conversationMembers.userId, userId)),
      tx.delete(conversationReads).where(eq(conversationReads.userId, userId)),
      tx.delete(messageMentions).where(eq(messageMentions.userId, userId)),
      tx.delete(messageReactions).where(eq(messageReactions.userId, userId)),
    ]);
    return unsent.length + results.reduce((sum, result) => sum + result.rowsAffected, 0);
  },
};
