// Files in conversations: uploaded to a conversation first (type sniffed from the bytes, size
// limited), attached to a message when it is posted, served only to its readers — as a download,
// or inline for the images a page previews.
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { Deps, StoredObject } from "../../deps";
import type { Db, Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { AppError, validationError } from "../../lib/errors";
import { sniffFileType } from "../../lib/file-type";
import { mayPost } from "./chat-rules";
import { archived, openConversation } from "./conversations";
import { countChatWrite } from "./chat-limits";
import type { AttachmentView } from "./messages";
import { chatAttachments, conversations, type AttachmentRow } from "./schema";

/** Room for the multipart framing around the largest file a request may carry. */
export const UPLOAD_OVERHEAD_BYTES = 64 * 1024;

/** A name to show and to offer in Content-Disposition: the last path part, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, "").trim().slice(0, 200);
  return clean === "" || clean === "." || clean === ".." ? "file" : clean;
}

export const tooLarge = (max: number) => new AppError(413, "payload_too_large", `A file may be at most ${Math.round(max / 1024 / 1024)} MB.`, { fieldErrors: { file: [`A file may be at most ${Math.round(max / 1024 / 1024)} MB.`] } });

const gigabytes = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(bytes < 1024 ** 3 ? 2 : 1)} GB`;

const storageFull = (plan: { plan: { name: string }; storageBytes: number }, used: number) =>
  new AppError(413, "storage_limit", `The ${plan.plan.name} plan allows ${gigabytes(plan.storageBytes)} of files here, and ${gigabytes(used)} are used. Remove some files, or move to a bigger plan on the billing page.`, {
    fieldErrors: { file: [`No room left: the ${plan.plan.name} plan allows ${gigabytes(plan.storageBytes)} of files here.`] },
  });

/** The bytes of files stored in a space: its channels' attachments, or (one's own space) those one sent elsewhere. */
export async function storedBytes(db: Db | Tx, space: { type: "personal" | "business" | "household"; id: string }): Promise<number> {
  const where =
    space.type === "personal"
      ? and(eq(chatAttachments.uploaderId, space.id), isNull(conversations.contextId))
      : and(eq(conversations.contextType, space.type), eq(conversations.contextId, space.id));
  const [row] = await db.select({ bytes: sql<number>`coalesce(sum(${chatAttachments.size}), 0)` }).from(chatAttachments).innerJoin(conversations, eq(conversations.id, chatAttachments.conversationId)).where(where);
  return Number(row?.bytes ?? 0);
}

export async function uploadAttachment(deps: Deps, userId: string, conversationId: string, file: unknown): Promise<AttachmentView> {
  if (!(file instanceof Blob) || file.size === 0) throw validationError({ file: ["Choose a file to attach."] });
  const max = deps.config.CHAT_ATTACHMENT_MAX_BYTES;
  if (file.size > max) throw tooLarge(max);
  const { conversation, standing } = await openConversation(deps.db, userId, conversationId);
  const refusal = mayPost(conversation, standing);
  if (refusal === "archived") throw archived();
  if (refusal) throw new AppError(403, "read_only", "You can read this conversation, not write in it.");
  // Files count against the plan of the space they are in: a channel's business or household; direct and group
  // conversations, the uploader's own space.
  const space = conversation.contextType && conversation.contextId ? { type: conversation.contextType, id: conversation.contextId } : { type: "personal" as const, id: userId };
  const plan = await deps.entitlements.limits(`${space.type}:${space.id}`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const id = newId();
  const row: AttachmentRow = {
    id,
    conversationId,
    uploaderId: userId,
    messageId: null,
    storageKey: `chat/${conversationId}/${id}`,
    fileName: cleanFileName(file instanceof File ? file.name : ""),
    contentType: sniffFileType(bytes),
    size: bytes.length,
    createdAt: deps.now(),
  };
  await deps.storage.put(row.storageKey, bytes, row.contentType);
  try {
    await writeTransaction(deps.db, async (tx) => {
      await countChatWrite(tx, deps, userId, "upload");
      const used = await storedBytes(tx, space);
      if (used + row.size > plan.storageBytes) throw storageFull(plan, used);
      await tx.insert(chatAttachments).values(row);
    });
  } catch (error) {
    await deps.storage.delete(row.storageKey).catch(() => {});
    throw error;
  }
  return { id, fileName: row.fileName, contentType: row.contentType, size: row.size, isImage: row.contentType.startsWith("image/") };
}

/** A file for a reader of its conversation; a file not yet sent is its uploader's alone. 404 for everyone else. */
export async function openAttachment(deps: Pick<Deps, "db" | "storage">, userId: string, attachmentId: string): Promise<{ row: AttachmentRow; object: StoredObject }> {
  const missing = () => new AppError(404, "not_found", "There is no such file, or you cannot read it.");
  const [row] = await deps.db.select().from(chatAttachments).where(and(eq(chatAttachments.id, attachmentId), sql`(${chatAttachments.messageId} is not null or ${chatAttachments.uploaderId} = ${userId})`)).limit(1);
  if (!row) throw missing();
  await openConversation(deps.db, userId, row.conversationId).catch(() => {
    throw missing();
  });
  const object = await deps.storage.get(row.storageKey);
  if (!object) throw missing();
  return { row, object };
}

/** Files uploaded but never sent, older than `before`: their rows and bytes go (hourly on Bun, on the cron on Workers). */
export async function pruneUnsentAttachments(deps: Pick<Deps, "db" | "storage">, before: number): Promise<number> {
  const gone = await writeTransaction(deps.db, (tx) =>
    tx
      .delete(chatAttachments)
      .where(and(sql`${chatAttachments.messageId} is null`, lt(chatAttachments.createdAt, before)))
      .returning({ key: chatAttachments.storageKey }),
  );
  for (const { key } of gone) await deps.storage.delete(key).catch(() => {});
  return gone.length;
}

/** How long an uploaded file waits to be sent before it is pruned. */
export const UNSENT_ATTACHMENT_MS = 24 * 3600_000;
