import { z } from "zod";
import { MAX_GROUP_MEMBERS, MAX_MESSAGE_LENGTH, MAX_NAME_LENGTH } from "./chat-rules";
import { CONTEXT_TYPES, CONVERSATION_KINDS } from "./schema";

const id = z.string().regex(/^[a-z0-9]{10,40}$/, "must be an id");
const ids = (max: number) => z.array(id).max(max);
const name = z.string().trim().max(MAX_NAME_LENGTH, `at most ${MAX_NAME_LENGTH} characters`);

export const idParam = z.object({ id });
export const memberParams = z.object({ id, userId: id });

export const createConversationInput = z
  .object({
    type: z.enum(CONVERSATION_KINDS),
    userIds: ids(MAX_GROUP_MEMBERS).optional(),
    name: name.optional(),
    contextType: z.enum(CONTEXT_TYPES).optional(),
    contextId: id.optional(),
    allowedRoles: z.array(z.string().max(20)).max(4).optional(),
    allowedDepartments: ids(200).optional(),
    allowedPositions: ids(200).optional(),
  })
  .strict();

export const updateConversationInput = z.object({ name: name.optional(), archived: z.boolean().optional() }).strict().refine((v) => v.name !== undefined || v.archived !== undefined, "Send a name or archived.");

export const addMembersInput = z.object({ userIds: ids(MAX_GROUP_MEMBERS).min(1) }).strict();

/** Not trimmed (spaces may matter, as in code); the service refuses a text of only spaces. */
export const messageText = z.string().max(MAX_MESSAGE_LENGTH, `A message holds at most ${MAX_MESSAGE_LENGTH.toLocaleString("en")} characters.`);

export const postMessageInput = z.object({ text: messageText.default(""), replyTo: id.optional(), attachmentIds: ids(10).optional() }).strict();
export const editMessageInput = z.object({ text: messageText }).strict();
export const reactionInput = z.object({ emoji: z.string().min(1).max(32) }).strict();

const seq = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const historyQuery = z.object({ before: seq.optional(), after: seq.optional(), limit: z.coerce.number().int().min(1).max(100).default(50) }).refine((q) => q.before === undefined || q.after === undefined, "Use before or after, not both.");
export const readInput = z.object({ seq: seq.optional() }).strict();
export const searchQuery = z.object({ q: z.string().max(200, "at most 200 characters"), limit: z.coerce.number().int().min(1).max(50).default(20) });
export const listQuery = z.object({ contextType: z.enum(CONTEXT_TYPES).optional(), contextId: id.optional() });
