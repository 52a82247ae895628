// JSON for scripts and module runtimes: conversations, their people, messages, reactions, read
// marks, files and search. Every id is looked up as the caller may see it: a conversation they
// cannot read answers 404, exactly like one that does not exist.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody, queryParams } from "../../http/validate";
import { createMiddleware } from "hono/factory";
import { tooLarge, uploadAttachment, UPLOAD_OVERHEAD_BYTES } from "./attachments";
import { addPeople, createConversation, getConversation, listConversations, removePerson, updateConversation } from "./conversations";
import { addMembersInput, createConversationInput, editMessageInput, historyQuery, listQuery, postMessageInput, reactionInput, readInput, searchQuery, updateConversationInput } from "./input";
import { deleteMessage, editMessage, listMessages, markRead, postMessage, react } from "./messages";
import { searchMessages } from "./search";

export function chatApi() {
  return new Hono<AppEnv>()
    .get("/api/conversations", queryParams(listQuery), async (c) => {
      const { user } = requireUser(c);
      return c.json({ conversations: await listConversations(c.var.deps, user.id, c.req.valid("query")) });
    })
    .post("/api/conversations", jsonBody(createConversationInput), async (c) => {
      const { user } = requireUser(c);
      const { conversation, created } = await createConversation(c.var.deps, user.id, c.req.valid("json"), requestMeta(c));
      return c.json({ conversation }, created ? 201 : 200);
    })
    .get("/api/conversations/:id", async (c) => {
      const { user } = requireUser(c);
      return c.json({ conversation: (await getConversation(c.var.deps, user.id, c.req.param("id"))).view });
    })
    .patch("/api/conversations/:id", jsonBody(updateConversationInput), async (c) => {
      const { user } = requireUser(c);
      return c.json({ conversation: await updateConversation(c.var.deps, user.id, c.req.param("id"), c.req.valid("json"), requestMeta(c)) });
    })
    .post("/api/conversations/:id/members", jsonBody(addMembersInput), async (c) => {
      const { user } = requireUser(c);
      await addPeople(c.var.deps, user.id, c.req.param("id"), c.req.valid("json").userIds);
      return c.body(null, 204);
    })
    .delete("/api/conversations/:id/members/:userId", async (c) => {
      const { user } = requireUser(c);
      await removePerson(c.var.deps, user.id, c.req.param("id"), c.req.param("userId"));
      return c.body(null, 204);
    })
    .get("/api/conversations/:id/messages", queryParams(historyQuery), async (c) => {
      const { user } = requireUser(c);
      const query = c.req.valid("query");
      const page = await listMessages(c.var.deps, user.id, c.req.param("id"), query);
      const last = page.messages.at(-1);
      const nextCursor = page.more && last && query.after === undefined ? last.seq : null;
      return c.json({ messages: page.messages, nextCursor });
    })
    .post("/api/conversations/:id/messages", jsonBody(postMessageInput), async (c) => {
      const { user } = requireUser(c);
      return c.json({ message: await postMessage(c.var.deps, user.id, c.req.param("id"), c.req.valid("json")) }, 201);
    })
    .post("/api/conversations/:id/read", jsonBody(readInput), async (c) => {
      const { user } = requireUser(c);
      return c.json(await markRead(c.var.deps, user.id, c.req.param("id"), c.req.valid("json").seq));
    })
    .post("/api/conversations/:id/attachments", attachmentLimit(), async (c) => {
      const { user } = requireUser(c);
      const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      return c.json({ attachment: await uploadAttachment(c.var.deps, user.id, c.req.param("id"), body.file) }, 201);
    })
    .patch("/api/messages/:id", jsonBody(editMessageInput), async (c) => {
      const { user } = requireUser(c);
      return c.json({ message: await editMessage(c.var.deps, user.id, c.req.param("id"), c.req.valid("json").text) });
    })
    .delete("/api/messages/:id", async (c) => {
      const { user } = requireUser(c);
      await deleteMessage(c.var.deps, user.id, c.req.param("id"), requestMeta(c));
      return c.body(null, 204);
    })
    .post("/api/messages/:id/reactions", jsonBody(reactionInput), async (c) => {
      const { user } = requireUser(c);
      return c.json({ message: await react(c.var.deps, user.id, c.req.param("id"), c.req.valid("json").emoji, true) }, 201);
    })
    .delete("/api/messages/:id/reactions", queryParams(reactionInput), async (c) => {
      const { user } = requireUser(c);
      return c.json({ message: await react(c.var.deps, user.id, c.req.param("id"), c.req.valid("query").emoji, false) });
    })
    .get("/api/chat/search", queryParams(searchQuery), async (c) => {
      const { user } = requireUser(c);
      const { q, limit } = c.req.valid("query");
      return c.json({ results: await searchMessages(c.var.deps, user.id, q, limit) });
    });
}

/** Upload routes carry their own limit (the app's 1 MB one skips them): a body past it is refused unread, 413. */
export function attachmentLimit() {
  return createMiddleware<AppEnv>((c, next) => {
    const max = c.var.deps.config.CHAT_ATTACHMENT_MAX_BYTES;
    return bodyLimit({
      maxSize: max + UPLOAD_OVERHEAD_BYTES,
      onError: () => {
        throw tooLarge(max);
      },
    })(c, next);
  });
}

/** Paths whose body limit is their own (see attachmentLimit). */
export function isChatUpload(method: string, path: string): boolean {
  return method === "POST" && /^\/(api\/conversations\/[^/]+\/attachments|chat\/[^/]+\/messages)$/.test(path);
}
