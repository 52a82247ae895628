import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../auth/schema";

export const CONVERSATION_KINDS = ["direct", "group", "channel"] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];
export const CONTEXT_TYPES = ["business", "household"] as const;
export type ContextType = (typeof CONTEXT_TYPES)[number];

/**
 * A direct conversation (two people), a group (up to 50 people, by invitation of its members), or
 * a channel of a business or household (read by every member its rules admit, like a module tab).
 */
export const conversations = sqliteTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: CONVERSATION_KINDS }).notNull(),
    /** Empty for a direct conversation (it is named by the other person). */
    name: text("name").notNull().default(""),
    /** Channels only: the business or household they belong to. */
    contextType: text("context_type", { enum: CONTEXT_TYPES }),
    contextId: text("context_id"),
    /** Channels of a business: who may read (empty = everyone), as the module rules are. */
    allowedRoles: text("allowed_roles", { mode: "json" }).$type<string[]>().notNull().default([]),
    allowedDepartments: text("allowed_departments", { mode: "json" }).$type<string[]>().notNull().default([]),
    allowedPositions: text("allowed_positions", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** Direct only: the two user ids sorted and joined by ":", so a second one with the same person is found. */
    directKey: text("direct_key"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    archivedAt: integer("archived_at"),
    /** The seq of the newest message (0 before the first). */
    lastSeq: integer("last_seq").notNull().default(0),
    lastMessageAt: integer("last_message_at"),
  },
  (t) => [
    uniqueIndex("conversations_direct_key_idx").on(t.directKey),
    index("conversations_context_idx").on(t.contextType, t.contextId),
    check("conversations_kind_check", sql`${t.kind} in ('direct', 'group', 'channel')`),
  ],
);

/** Who is in a direct or group conversation (channels have no member rows: their rules decide). */
export const conversationMembers = sqliteTable(
  "conversation_members",
  {
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    joinedAt: integer("joined_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] }), index("conversation_members_user_idx").on(t.userId)],
);

/** How far each reader has read a conversation (any kind), for unread counts. */
export const conversationReads = sqliteTable(
  "conversation_reads",
  {
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    lastReadSeq: integer("last_read_seq").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] }), index("conversation_reads_user_idx").on(t.userId)],
);

export const messages = sqliteTable(
  "messages",
  {
    id: text("id").primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    /** 1, 2, 3 … within the conversation: the order, the cursor for history, and unread counts. */
    seq: integer("seq").notNull(),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    text: text("text").notNull(),
    replyToId: text("reply_to_id"),
    createdAt: integer("created_at").notNull(),
    editedAt: integer("edited_at"),
    /** Deleted messages keep their place (shown as deleted); their text is emptied. */
    deletedAt: integer("deleted_at"),
    deletedBy: text("deleted_by"),
  },
  (t) => [uniqueIndex("messages_conversation_seq_idx").on(t.conversationId, t.seq), index("messages_author_idx").on(t.authorId)],
);

/** Who a message mentions (resolved when it is posted or edited). */
export const messageMentions = sqliteTable(
  "message_mentions",
  {
    messageId: text("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId] }), index("message_mentions_user_idx").on(t.userId)],
);

export const messageReactions = sqliteTable(
  "message_reactions",
  {
    messageId: text("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    emoji: text("emoji").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId, t.emoji] })],
);

/** A file uploaded to a conversation; attached to a message when that message is posted. */
export const chatAttachments = sqliteTable(
  "chat_attachments",
  {
    id: text("id").primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    uploaderId: text("uploader_id").references(() => users.id, { onDelete: "set null" }),
    messageId: text("message_id").references(() => messages.id, { onDelete: "cascade" }),
    storageKey: text("storage_key").notNull(),
    fileName: text("file_name").notNull(),
    /** Sniffed from the bytes, never taken from the upload. */
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("chat_attachments_message_idx").on(t.messageId), index("chat_attachments_conversation_idx").on(t.conversationId)],
);

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type AttachmentRow = typeof chatAttachments.$inferSelect;
