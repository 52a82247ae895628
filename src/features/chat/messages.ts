// Messages: post (with mentions, a reply, attachments), edit and delete your own, moderators'
// deletes, reactions, read marks, and history by cursor. Each write announces itself on the
// conversation's channel in its own transaction.
import { and, asc, desc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import { newId } from "../../lib/crypto";
import { AppError, validationError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { users } from "../auth";
import { notify } from "../notifications";
import { channel, publish } from "../realtime";
import { countChatWrite } from "./chat-limits";
import { isEmoji, mayModerate, mayPost, MAX_MESSAGE_LENGTH } from "./chat-rules";
import { archived, conversationPeople, openConversation } from "./conversations";
import { formatMessage, mentionHandle, mentionedHandles, plainExcerpt } from "./format";
import { chatAttachments, conversationMembers, conversationReads, conversations, messageMentions, messageReactions, messages, type ConversationRow, type MessageRow } from "./schema";

export interface AttachmentView {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  isImage: boolean;
}

export interface MessageView {
  id: string;
  conversationId: string;
  seq: number;
  author: { id: string; name: string } | null;
  /** The text as written ("" once deleted). */
  text: string;
  /** The text as safe HTML (links, emphasis, code, quotes, mentions). */
  html: string;
  replyTo: { id: string; authorName: string; excerpt: string; deleted: boolean } | null;
  mentions: string[];
  reactions: Array<{ emoji: string; count: number; mine: boolean }>;
  attachments: AttachmentView[];
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  mine: boolean;
}

const noSuchMessage = () => new AppError(404, "not_found", "There is no such message, or you cannot read it.");

/** The text without control characters other than tabs and line breaks (they break search highlighting and terminals). */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
}

/** What a text may be: not only spaces, at most 10,000 characters (attachments allow an empty text). */
function checkText(text: string, hasAttachments: boolean) {
  if (text.length > MAX_MESSAGE_LENGTH) throw validationError({ text: [`A message holds at most ${MAX_MESSAGE_LENGTH.toLocaleString("en")} characters (this one has ${text.length.toLocaleString("en")}).`] });
  if (text.trim() === "" && !hasAttachments) throw validationError({ text: ["Write a message first."] });
}

export interface PostInput {
  text: string;
  replyTo?: string;
  attachmentIds?: string[];
}

/** Posts a message; returns its view. Limits: CHAT_MESSAGES_PER_MINUTE per user. */
export async function postMessage(deps: Deps, userId: string, conversationId: string, input: PostInput): Promise<MessageView> {
  const attachmentIds = [...new Set(input.attachmentIds ?? [])];
  input = { ...input, text: cleanText(input.text) };
  checkText(input.text, attachmentIds.length > 0);
  const row = await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const { conversation, standing } = await openConversation(tx, userId, conversationId);
    const refusal = mayPost(conversation, standing);
    if (refusal === "archived") throw archived();
    if (refusal === "read_only") throw new AppError(403, "read_only", "This household lets children read its conversations, not write in them.");
    if (refusal) throw new AppError(404, "not_found", "There is no such conversation, or you cannot read it.");
    await countChatWrite(tx, deps, userId, "post", now);
    if (input.replyTo) {
      const [parent] = await tx.select({ id: messages.id }).from(messages).where(and(eq(messages.id, input.replyTo), eq(messages.conversationId, conversationId))).limit(1);
      if (!parent) throw validationError({ replyTo: ["The message you reply to is not in this conversation."] });
    }
    if (attachmentIds.length) {
      const usable = await tx
        .select({ id: chatAttachments.id })
        .from(chatAttachments)
        .where(and(inArray(chatAttachments.id, attachmentIds), eq(chatAttachments.conversationId, conversationId), eq(chatAttachments.uploaderId, userId), sql`${chatAttachments.messageId} is null`));
      if (usable.length !== attachmentIds.length) throw validationError({ attachmentIds: ["Attach only files you uploaded to this conversation and have not sent yet."] });
    }
    const [{ seq }] = (await tx
      .update(conversations)
      .set({ lastSeq: sql`${conversations.lastSeq} + 1`, lastMessageAt: now })
      .where(eq(conversations.id, conversationId))
      .returning({ seq: conversations.lastSeq })) as [{ seq: number }];
    const message: MessageRow = { id: newId(), conversationId, seq, authorId: userId, text: input.text, replyToId: input.replyTo ?? null, createdAt: now, editedAt: null, deletedAt: null, deletedBy: null };
    await tx.insert(messages).values(message);
    if (attachmentIds.length) await tx.update(chatAttachments).set({ messageId: message.id }).where(inArray(chatAttachments.id, attachmentIds));
    const mentioned = await resolveMentions(tx, conversation, input.text, userId);
    if (mentioned.length) await tx.insert(messageMentions).values(mentioned.map((id) => ({ messageId: message.id, userId: id })));
    await markReadIn(tx, userId, conversationId, seq, now);
    await publish(tx, deps, { channel: channel.conversation(conversationId), type: "chat.message", payload: { conversationId, messageId: message.id, seq } });
    await notifyPeople(tx, deps, { conversation, message, mentioned });
    return message;
  });
  return (await messageViews(deps.db, userId, [row]))[0]!;
}

/**
 * In the post's transaction: everyone it mentions ("chat.mention"), and in a direct conversation
 * the other person ("chat.direct"); their preferences decide whether it shows, mails or nothing.
 */
async function notifyPeople(tx: Tx, deps: Deps, post: { conversation: ConversationRow; message: MessageRow; mentioned: string[] }) {
  const { conversation, message, mentioned } = post;
  const [author] = await tx.select({ name: users.name }).from(users).where(eq(users.id, message.authorId!)).limit(1);
  const who = author?.name ?? "Someone";
  const where = conversation.kind === "direct" ? "a direct message" : conversation.name ? `${conversation.kind === "channel" ? "#" : ""}${conversation.name}` : "a group";
  const url = `/chat/${conversation.id}#msg-${message.id}`;
  const body = plainExcerpt(message.text) || "(a file)";
  for (const userId of mentioned) await notify(tx, deps, userId, { kind: "chat.mention", title: `${who} mentioned you in ${where}`, body, url });
  if (conversation.kind === "direct") {
    const [other] = await tx
      .select({ id: conversationMembers.userId })
      .from(conversationMembers)
      .where(and(eq(conversationMembers.conversationId, conversation.id), sql`${conversationMembers.userId} <> ${message.authorId}`))
      .limit(1);
    if (other && !mentioned.includes(other.id)) await notify(tx, deps, other.id, { kind: "chat.direct", title: `${who} sent you a message`, body, url });
  }
}

/** The people of the conversation the text @mentions (not the author). */
async function resolveMentions(tx: Tx, conversation: ConversationRow, text: string, authorId: string): Promise<string[]> {
  const handles = new Set(mentionedHandles(text));
  if (handles.size === 0) return [];
  const people = await conversationPeople(tx as unknown as Db, conversation);
  return people.filter((person) => person.id !== authorId && handles.has(mentionHandle(person.name))).map((person) => person.id);
}

/** The message with the conversation it is in, if the caller may read it; 404 otherwise. */
async function openMessage(db: Db | Tx, userId: string, messageId: string) {
  const [message] = await db.select().from(messages).where(eq(messages.id, messageId)).limit(1);
  if (!message) throw noSuchMessage();
  const opened = await openConversation(db, userId, message.conversationId).catch(() => {
    throw noSuchMessage();
  });
  return { message, ...opened };
}

export async function getMessage(deps: Pick<Deps, "db">, userId: string, messageId: string): Promise<MessageView> {
  const { message } = await openMessage(deps.db, userId, messageId);
  return (await messageViews(deps.db, userId, [message]))[0]!;
}

export async function editMessage(deps: Deps, userId: string, messageId: string, sent: string): Promise<MessageView> {
  const text = cleanText(sent);
  checkText(text, false);
  const row = await writeTransaction(deps.db, async (tx) => {
    const { message, conversation } = await openMessage(tx, userId, messageId);
    if (message.authorId !== userId) throw new AppError(403, "forbidden", "You can only edit your own messages.");
    if (message.deletedAt !== null) throw new AppError(409, "deleted", "This message was deleted.");
    if (conversation.archivedAt !== null) throw archived();
    const [updated] = await tx.update(messages).set({ text, editedAt: deps.now() }).where(eq(messages.id, messageId)).returning();
    await tx.delete(messageMentions).where(eq(messageMentions.messageId, messageId));
    const mentioned = await resolveMentions(tx, conversation, text, userId);
    if (mentioned.length) await tx.insert(messageMentions).values(mentioned.map((id) => ({ messageId, userId: id })));
    await publish(tx, deps, { channel: channel.conversation(conversation.id), type: "chat.message.updated", payload: { conversationId: conversation.id, messageId } });
    return updated!;
  });
  return (await messageViews(deps.db, userId, [row]))[0]!;
}

/** Deletes your own message, or (business admins, in their channels) anyone's — audited. The row stays, shown as deleted. */
export async function deleteMessage(deps: Deps, userId: string, messageId: string, meta: RequestMeta): Promise<void> {
  const keys = await writeTransaction(deps.db, async (tx) => {
    const { message, conversation, standing } = await openMessage(tx, userId, messageId);
    const own = message.authorId === userId;
    if (!own && !mayModerate(conversation, standing)) throw new AppError(403, "forbidden", "You can only delete your own messages.");
    if (message.deletedAt !== null) return [];
    const now = deps.now();
    await tx.update(messages).set({ text: "", deletedAt: now, deletedBy: userId }).where(eq(messages.id, messageId));
    await tx.delete(messageMentions).where(eq(messageMentions.messageId, messageId));
    await tx.delete(messageReactions).where(eq(messageReactions.messageId, messageId));
    const files = await tx.delete(chatAttachments).where(eq(chatAttachments.messageId, messageId)).returning({ key: chatAttachments.storageKey });
    if (!own) {
      await recordAudit(tx, now, meta, {
        actorUserId: userId,
        action: "chat.message_delete",
        targetType: conversation.contextType ?? "conversation",
        targetId: conversation.contextId ?? conversation.id,
        details: { conversationId: conversation.id, messageId, authorId: message.authorId },
      });
    }
    await publish(tx, deps, { channel: channel.conversation(conversation.id), type: "chat.message.deleted", payload: { conversationId: conversation.id, messageId } });
    return files.map((file) => file.key);
  });
  // The rows are gone with the commit; the bytes go after it (a failure leaves an orphan file, never a dangling row).
  for (const key of keys) await deps.storage.delete(key).catch(() => {});
}

/** Adds (or with `add: false` removes) the caller's reaction; idempotent either way. */
export async function react(deps: Deps, userId: string, messageId: string, emoji: string, add: boolean): Promise<MessageView> {
  if (!isEmoji(emoji)) throw validationError({ emoji: ["A reaction is one emoji."] });
  const row = await writeTransaction(deps.db, async (tx) => {
    const { message, conversation, standing } = await openMessage(tx, userId, messageId);
    if (message.deletedAt !== null) throw new AppError(409, "deleted", "This message was deleted.");
    if (add) {
      const refusal = mayPost(conversation, standing);
      if (refusal === "archived") throw archived();
      if (refusal) throw new AppError(403, "read_only", "You can read this conversation, not react in it.");
      const distinct = await tx.select({ n: sql<number>`count(distinct ${messageReactions.emoji})` }).from(messageReactions).where(eq(messageReactions.messageId, messageId));
      if (Number(distinct[0]?.n ?? 0) >= 20) throw validationError({ emoji: ["A message holds at most 20 different reactions."] });
      await tx.insert(messageReactions).values({ messageId, userId, emoji, createdAt: deps.now() }).onConflictDoNothing();
    } else {
      await tx.delete(messageReactions).where(and(eq(messageReactions.messageId, messageId), eq(messageReactions.userId, userId), eq(messageReactions.emoji, emoji)));
    }
    await publish(tx, deps, { channel: channel.conversation(conversation.id), type: "chat.message.updated", payload: { conversationId: conversation.id, messageId } });
    return message;
  });
  return (await messageViews(deps.db, userId, [row]))[0]!;
}

/** History by cursor: `before` a seq, newest first (the API), or `after` a seq, oldest first (the page catching up). */
export async function listMessages(deps: Pick<Deps, "db">, userId: string, conversationId: string, page: { before?: number; after?: number; limit: number }) {
  const { conversation } = await openConversation(deps.db, userId, conversationId);
  const ascending = page.after !== undefined;
  const rows = await deps.db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), page.before !== undefined ? lt(messages.seq, page.before) : undefined, ascending ? gt(messages.seq, page.after!) : undefined))
    .orderBy(ascending ? asc(messages.seq) : desc(messages.seq))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  return { conversation, messages: await messageViews(deps.db, userId, kept), more };
}

/** Moves the caller's read mark forward (never back) to `seq`, or to the newest message. */
export async function markRead(deps: Deps, userId: string, conversationId: string, seq?: number): Promise<{ lastReadSeq: number }> {
  return writeTransaction(deps.db, async (tx) => {
    const { conversation } = await openConversation(tx, userId, conversationId);
    const target = Math.min(seq ?? conversation.lastSeq, conversation.lastSeq);
    const moved = await markReadIn(tx, userId, conversationId, target, deps.now());
    if (moved) await publish(tx, deps, { channel: channel.user(userId), type: "chat.read", payload: { conversationId, seq: target } });
    return { lastReadSeq: Math.max(target, moved ? target : 0) };
  });
}

async function markReadIn(tx: Tx, userId: string, conversationId: string, seq: number, now: number): Promise<boolean> {
  const result = await tx
    .insert(conversationReads)
    .values({ conversationId, userId, lastReadSeq: seq, updatedAt: now })
    .onConflictDoUpdate({
      target: [conversationReads.conversationId, conversationReads.userId],
      set: { lastReadSeq: seq, updatedAt: now },
      setWhere: sql`${conversationReads.lastReadSeq} < ${seq}`,
    });
  return result.rowsAffected > 0;
}

/** Views of messages for one reader: authors, mentions, the quoted message, reactions and files, in five queries whatever the number. */
export async function messageViews(db: Db, viewerId: string, rows: MessageRow[]): Promise<MessageView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const replyIds = [...new Set(rows.map((row) => row.replyToId).filter((id): id is string => id !== null))];
  const [mentions, reactions, files, replies] = await Promise.all([
    db.select({ messageId: messageMentions.messageId, id: users.id, name: users.name }).from(messageMentions).innerJoin(users, eq(users.id, messageMentions.userId)).where(inArray(messageMentions.messageId, ids)),
    db.select().from(messageReactions).where(inArray(messageReactions.messageId, ids)).orderBy(asc(messageReactions.createdAt)),
    db.select().from(chatAttachments).where(inArray(chatAttachments.messageId, ids)).orderBy(asc(chatAttachments.createdAt)),
    replyIds.length ? db.select().from(messages).where(inArray(messages.id, replyIds)) : Promise.resolve([] as MessageRow[]),
  ]);
  const authorIds = [...new Set([...rows, ...replies].map((row) => row.authorId).filter((id): id is string => id !== null))];
  const authors = new Map((authorIds.length ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, authorIds)) : []).map((user) => [user.id, user]));
  const replyById = new Map(replies.map((row) => [row.id, row]));
  return rows.map((row) => {
    const mentioned = mentions.filter((mention) => mention.messageId === row.id);
    const reply = row.replyToId ? replyById.get(row.replyToId) : undefined;
    const grouped = new Map<string, { emoji: string; count: number; mine: boolean }>();
    for (const reaction of reactions.filter((r) => r.messageId === row.id)) {
      const entry = grouped.get(reaction.emoji) ?? { emoji: reaction.emoji, count: 0, mine: false };
      entry.count++;
      entry.mine ||= reaction.userId === viewerId;
      grouped.set(reaction.emoji, entry);
    }
    return {
      id: row.id,
      conversationId: row.conversationId,
      seq: row.seq,
      author: row.authorId ? (authors.get(row.authorId) ?? null) : null,
      text: row.text,
      html: row.deletedAt === null ? formatMessage(row.text, mentioned.map((m) => ({ id: m.id, name: m.name, handle: mentionHandle(m.name) }))) : "",
      replyTo: reply
        ? { id: reply.id, authorName: (reply.authorId && authors.get(reply.authorId)?.name) || "Former member", excerpt: reply.deletedAt === null ? plainExcerpt(reply.text, 120) : "", deleted: reply.deletedAt !== null }
        : null,
      mentions: mentioned.map((m) => m.id),
      reactions: [...grouped.values()],
      attachments: files.filter((file) => file.messageId === row.id).map((file) => ({ id: file.id, fileName: file.fileName, contentType: file.contentType, size: file.size, isImage: file.contentType.startsWith("image/") })),
      createdAt: new Date(row.createdAt).toISOString(),
      editedAt: row.editedAt === null ? null : new Date(row.editedAt).toISOString(),
      deletedAt: row.deletedAt === null ? null : new Date(row.deletedAt).toISOString(),
      mine: row.authorId === viewerId,
    };
  });
}
