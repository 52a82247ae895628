// The chat pages: /chat and /chat/:id with plain links and forms (post and reload), upgraded by
// htmx and the page's live stream: regions re-fetch what changed when an event names them.
import { Hono } from "hono";
import { z } from "zod";
import { tryForm } from "../../http/forms";
import { redirectAfterPost, render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { safeRedirectTarget } from "../../http/safe-redirect";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseQuery, readForm } from "../../http/validate";
import { AppError, type FieldErrors } from "../../lib/errors";
import { ChatPage, ConversationHeader, MessageRun, SearchResults, type ConversationPanelProps } from "../../../views/chat/ChatPage";
import { ChatBadge, ConversationList } from "../../../views/chat/ConversationList";
import { Composer } from "../../../views/chat/Composer";
import { ConversationPeoplePage, EditMessagePage, NewConversationPage } from "../../../views/chat/ChatForms";
import { MessageItem } from "../../../views/chat/MessageItem";
import { attachmentLimit } from "./api";
import { openAttachment, uploadAttachment } from "./attachments";
import { mayManage, mayModerate, mayPost } from "./chat-rules";
import { addPeople, channelPlacesOf, contactsOf, conversationPeople, createConversation, getConversation, listConversations, removePerson, updateConversation } from "./conversations";
import { mentionHandle } from "./format";
import { deleteMessage, editMessage, getMessage, listMessages, markRead, postMessage, react, type MessageView } from "./messages";
import { presenceOf } from "../presence";
import { searchMessages } from "./search";

const PAGE = 50;
const seqQuery = z.object({ before: z.coerce.number().int().min(0).optional(), after: z.coerce.number().int().min(0).optional(), replyTo: z.string().max(64).optional() });

export function chatPages() {
  return new Hono<AppEnv>()
    .get("/chat", async (c) => {
      const { user } = requireUser(c);
      const conversations = await listConversations(c.var.deps, user.id);
      return render(c, { title: "Chat", fragment: <ChatPage conversations={conversations} panel={null} /> });
    })
    .get("/chat/new", async (c) => {
      const { user } = requireUser(c);
      return render(c, { title: "New conversation", fragment: <NewConversationPage {...await newPageProps(c, user.id)} /> });
    })
    .post("/chat/new", async (c) => {
      const { user } = requireUser(c);
      const form = await readForm(c);
      const userIds = form.lists.userIds ?? [];
      const outcome = await tryForm(c, () =>
        createConversation(c.var.deps, user.id, { type: userIds.length === 1 ? "direct" : "group", userIds, name: (form.values.name ?? "").trim().slice(0, 80) }, requestMeta(c)),
      );
      if (outcome.ok) return redirectAfterPost(c, `/chat/${outcome.value.conversation.id}`);
      return render(c, { title: "New conversation", status: outcome.status, fragment: <NewConversationPage {...await newPageProps(c, user.id)} errors={outcome.errors} values={form.values} selected={userIds} /> });
    })
    .post("/chat/channels", async (c) => {
      const { user } = requireUser(c);
      const form = await readForm(c);
      const [contextType, contextId] = (form.values.place ?? "").split(":");
      const departmentId = form.values.departmentId || undefined;
      const outcome = await tryForm(
        c,
        () =>
          createConversation(
            c.var.deps,
            user.id,
            {
              type: "channel",
              name: (form.values.name ?? "").trim().slice(0, 80),
              contextType: contextType === "business" || contextType === "household" ? contextType : undefined,
              contextId: contextId || undefined,
              allowedDepartments: departmentId && contextType === "business" ? [departmentId] : [],
            },
            requestMeta(c),
          ),
        { alsoShow: [403, 404] },
      );
      if (outcome.ok) return redirectAfterPost(c, `/chat/${outcome.value.conversation.id}`);
      const values = { channelName: form.values.name ?? "", place: form.values.place ?? "", departmentId: form.values.departmentId ?? "" };
      return render(c, { title: "New conversation", status: outcome.status, fragment: <NewConversationPage {...await newPageProps(c, user.id)} channelErrors={outcome.errors} values={values} /> });
    })
    .get("/chat/search", async (c) => {
      const { user } = requireUser(c);
      const query = parseQuery(c, z.object({ q: z.string().max(200, "Search for at most 200 characters.").default("") }));
      if (!query.ok) return render(c, { title: "Search messages", status: 400, fragment: <SearchResults q={query.values.q ?? ""} hits={[]} error={(query.errors.q ?? []).join(" ")} /> });
      const hits = query.data.q ? await searchMessages(c.var.deps, user.id, query.data.q, 30) : [];
      return render(c, { title: "Search messages", fragment: <SearchResults q={query.data.q} hits={hits} /> });
    })
    .get("/chat/list", async (c) => {
      const { user } = requireUser(c);
      const current = c.req.query("current");
      return render(c, { title: "Chat", fragment: <ConversationList conversations={await listConversations(c.var.deps, user.id)} current={current} /> });
    })
    .get("/chat/badge", async (c) => {
      const { user } = requireUser(c);
      const unread = (await listConversations(c.var.deps, user.id)).reduce((sum, conversation) => sum + conversation.unread, 0);
      return render(c, { title: "Chat", fragment: <ChatBadge unread={unread} /> });
    })
    .get("/chat/attachments/:id", async (c) => {
      const { user } = requireUser(c);
      const { row, object } = await openAttachment(c.var.deps, user.id, c.req.param("id"));
      // Only sniffed images are ever shown inline (and never SVG); everything else is a download.
      const inline = c.req.query("inline") === "1" && row.contentType.startsWith("image/");
      const name = encodeURIComponent(row.fileName);
      c.header("Content-Type", row.contentType);
      c.header("Content-Disposition", `${inline ? "inline" : "attachment"}; filename="${row.fileName.replace(/[^\x20-\x7e]/g, "_")}"; filename*=UTF-8''${name}`);
      c.header("X-Content-Type-Options", "nosniff");
      c.header("Cache-Control", "private, max-age=3600");
      c.header("Content-Security-Policy", "default-src 'none'; sandbox");
      return c.body(object.body as ReadableStream);
    })
    .get("/chat/messages/:id", async (c) => {
      const { user } = requireUser(c);
      const message = await getMessage(c.var.deps, user.id, c.req.param("id"));
      if (!wantsFragment(c)) return c.redirect(`/chat/${message.conversationId}#msg-${message.id}`, 302);
      const { standing, row } = await getConversation(c.var.deps, user.id, message.conversationId);
      const presence = await authorPresence(c, [message]);
      return render(c, { title: "Message", fragment: <MessageItem message={message} mayPost={mayPost(row, standing) === null} mayModerate={mayModerate(row, standing)} presence={message.author ? presence.get(message.author.id) : undefined} /> });
    })
    .get("/chat/messages/:id/edit", async (c) => {
      const { user } = requireUser(c);
      const message = await getMessage(c.var.deps, user.id, c.req.param("id"));
      if (!message.mine) throw new AppError(403, "forbidden", "You can only edit your own messages.");
      return render(c, { title: "Edit message", fragment: <EditMessagePage messageId={message.id} conversationId={message.conversationId} text={message.text} /> });
    })
    .post("/chat/messages/:id/edit", async (c) => {
      const { user } = requireUser(c);
      const form = await readForm(c);
      const outcome = await tryForm(c, () => editMessage(c.var.deps, user.id, c.req.param("id"), form.values.text ?? ""));
      if (outcome.ok) return redirectAfterPost(c, `/chat/${outcome.value.conversationId}#msg-${outcome.value.id}`);
      const message = await getMessage(c.var.deps, user.id, c.req.param("id"));
      return render(c, { title: "Edit message", status: outcome.status, fragment: <EditMessagePage messageId={message.id} conversationId={message.conversationId} text={form.values.text ?? ""} errors={outcome.errors} /> });
    })
    .post("/chat/messages/:id/delete", async (c) => {
      const { user } = requireUser(c);
      const message = await getMessage(c.var.deps, user.id, c.req.param("id"));
      await deleteMessage(c.var.deps, user.id, message.id, requestMeta(c));
      return afterAction(c, `/chat/${message.conversationId}`);
    })
    .post("/chat/messages/:id/react", async (c) => {
      const { user } = requireUser(c);
      const form = await readForm(c);
      const emoji = form.values.emoji ?? "";
      const current = await getMessage(c.var.deps, user.id, c.req.param("id"));
      const mine = current.reactions.some((reaction) => reaction.emoji === emoji && reaction.mine);
      await react(c.var.deps, user.id, current.id, emoji, !mine);
      return afterAction(c, `/chat/${current.conversationId}#msg-${current.id}`);
    })
    .get("/chat/:id", async (c) => {
      const { user } = requireUser(c);
      const query = parseQuery(c, seqQuery);
      const before = query.ok ? query.data.before : undefined;
      const panel = await panelProps(c, user.id, c.req.param("id"), { before, replyTo: query.ok ? query.data.replyTo : undefined });
      // Opening the newest messages reads them.
      if (before === undefined) await markRead(c.var.deps, user.id, panel.conversation.id);
      const conversations = await listConversations(c.var.deps, user.id);
      return render(c, { title: panel.conversation.title || "Chat", fragment: <ChatPage conversations={conversations} panel={{ ...panel, conversation: conversations.find((item) => item.id === panel.conversation.id) ?? panel.conversation }} /> });
    })
    .get("/chat/:id/header", async (c) => {
      const { user } = requireUser(c);
      const { view, row, standing } = await getConversation(c.var.deps, user.id, c.req.param("id"));
      const people = await conversationPeople(c.var.deps.db, row);
      const presence = await presenceOf(c.var.deps, people.map((person) => person.id));
      return render(c, { title: view.title, fragment: <ConversationHeader conversation={view} people={people} mayManage={mayManage(row, standing)} viewerId={user.id} presence={presence} /> });
    })
    .get("/chat/:id/messages", async (c) => {
      const { user } = requireUser(c);
      const query = parseQuery(c, seqQuery);
      if (!query.ok) throw new AppError(400, "validation_failed", "Some query parameters are invalid.", { fieldErrors: query.errors });
      const conversationId = c.req.param("id");
      if (!wantsFragment(c)) return c.redirect(`/chat/${conversationId}${query.data.before !== undefined ? `?before=${query.data.before}` : ""}`, 302);
      const { after, before } = query.data;
      const page = await listMessages(c.var.deps, user.id, conversationId, after !== undefined ? { after, limit: 200 } : { before, limit: PAGE });
      const { row, standing } = await getConversation(c.var.deps, user.id, conversationId);
      const messages = after !== undefined ? page.messages : [...page.messages].reverse();
      if (after !== undefined && messages.length) await markRead(c.var.deps, user.id, conversationId);
      const last = after !== undefined ? (messages.at(-1)?.seq ?? after) : 0;
      const olderBefore = after === undefined && page.more ? (messages[0]?.seq ?? null) : null;
      return render(c, {
        title: "Messages",
        fragment: (
          <MessageRun conversationId={conversationId} messages={messages} olderBefore={olderBefore} after={last} mayPost={mayPost(row, standing) === null} mayModerate={mayModerate(row, standing)} live={after !== undefined} presence={await authorPresence(c, messages)} />
        ),
      });
    })
    .get("/chat/:id/mentions", async (c) => {
      const { user } = requireUser(c);
      const { row } = await getConversation(c.var.deps, user.id, c.req.param("id"));
      const q = (c.req.query("q") ?? "").toLowerCase().slice(0, 40);
      const people = (await conversationPeople(c.var.deps.db, row)).filter((person) => person.id !== user.id && mentionHandle(person.name).startsWith(q)).slice(0, 8);
      return c.json({ people: people.map((person) => ({ id: person.id, name: person.name, handle: mentionHandle(person.name) })) });
    })
    .post("/chat/:id/messages", attachmentLimit(), async (c) => {
      const { user } = requireUser(c);
      const conversationId = c.req.param("id");
      const body = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>);
      const text = typeof body.text === "string" ? body.text : "";
      const replyTo = typeof body.replyTo === "string" && body.replyTo ? body.replyTo : undefined;
      const next = typeof body.next === "string" ? safeRedirectTarget(body.next) : `/chat/${conversationId}`;
      const files = (Array.isArray(body.file) ? body.file : [body.file]).filter((file): file is File => file instanceof File && file.size > 0).slice(0, 10);
      const outcome = await tryForm(c, async () => {
        const attachmentIds: string[] = [];
        for (const file of files) attachmentIds.push((await uploadAttachment(c.var.deps, user.id, conversationId, file)).id);
        return postMessage(c.var.deps, user.id, conversationId, { text, replyTo, attachmentIds });
      });
      if (outcome.ok) {
        if (!wantsFragment(c)) return redirectAfterPost(c, `${next}#latest`);
        return render(c, { title: "Message", fragment: <Composer conversationId={conversationId} viewerId={user.id} closed={null} next={typeof body.next === "string" ? next : undefined} /> });
      }
      const composer = <Composer conversationId={conversationId} viewerId={user.id} closed={null} text={text} errors={outcome.errors} next={typeof body.next === "string" ? next : undefined} />;
      if (wantsFragment(c)) return render(c, { title: "Message", status: outcome.status, fragment: composer });
      const panel = await panelProps(c, user.id, conversationId, { replyTo });
      const conversations = await listConversations(c.var.deps, user.id);
      return render(c, { title: panel.conversation.title, status: outcome.status, fragment: <ChatPage conversations={conversations} panel={{ ...panel, composer: { ...panel.composer, text, errors: outcome.errors } }} /> });
    })
    .get("/chat/:id/people", async (c) => {
      const { user } = requireUser(c);
      return render(c, { title: "People", fragment: <ConversationPeoplePage {...await peopleProps(c, user.id, c.req.param("id"))} /> });
    })
    .post("/chat/:id/people", async (c) => {
      const { user } = requireUser(c);
      const form = await readForm(c);
      const outcome = await tryForm(c, () => addPeople(c.var.deps, user.id, c.req.param("id"), form.lists.userIds ?? []), { alsoShow: [403] });
      if (outcome.ok) return redirectAfterPost(c, `/chat/${c.req.param("id")}/people`);
      return render(c, { title: "People", status: outcome.status, fragment: <ConversationPeoplePage {...await peopleProps(c, user.id, c.req.param("id"))} errors={outcome.errors} /> });
    })
    .post("/chat/:id/people/:userId/remove", async (c) => {
      const { user } = requireUser(c);
      await removePerson(c.var.deps, user.id, c.req.param("id"), c.req.param("userId"));
      return redirectAfterPost(c, c.req.param("userId") === user.id ? "/chat" : `/chat/${c.req.param("id")}/people`);
    })
    .post("/chat/:id/settings", async (c) => {
      const { user } = requireUser(c);
      const form = await readForm(c);
      const name = (form.values.name ?? "").trim();
      const outcome = await tryForm(c, () =>
        name.length > 80 ? Promise.reject(new AppError(400, "validation_failed", "Too long.", { fieldErrors: { name: ["At most 80 characters."] } })) : updateConversation(c.var.deps, user.id, c.req.param("id"), { name, archived: form.values.archived === "on" }, requestMeta(c)),
        { alsoShow: [403] },
      );
      if (outcome.ok) return redirectAfterPost(c, `/chat/${c.req.param("id")}`);
      return render(c, { title: "People", status: outcome.status, fragment: <ConversationPeoplePage {...await peopleProps(c, user.id, c.req.param("id"))} errors={outcome.errors} /> });
    });
}

/** After a small action (react, delete): htmx needs nothing back (the stream redraws the message); a plain post goes back. */
function afterAction(c: AppContext, back: string) {
  if (c.req.header("hx-request") === "true") return c.body(null, 204);
  return redirectAfterPost(c, back);
}

/** The presence of the messages' authors, for the dots beside their names. */
function authorPresence(c: AppContext, messages: MessageView[]) {
  return presenceOf(c.var.deps, [...new Set(messages.flatMap((message) => (message.author ? [message.author.id] : [])))]);
}

async function newPageProps(c: AppContext, userId: string) {
  const [contacts, places] = await Promise.all([contactsOf(c.var.deps.db, userId), channelPlacesOf(c.var.deps.db, userId)]);
  return { contacts, places };
}

async function peopleProps(c: AppContext, userId: string, conversationId: string) {
  const { view, row, standing } = await getConversation(c.var.deps, userId, conversationId);
  const [people, contacts] = await Promise.all([conversationPeople(c.var.deps.db, row), row.kind === "group" ? contactsOf(c.var.deps.db, userId) : Promise.resolve([])]);
  const presence = await presenceOf(c.var.deps, people.map((person) => person.id));
  return { conversation: view, people, viewerId: userId, mayManage: mayManage(row, standing), mayRemoveOthers: row.createdBy === userId, contacts, presence };
}

const CLOSED = { archived: "This conversation is archived: it can be read, not written to.", read_only: "This household lets children read its conversations, not write in them.", not_found: "You cannot write here." } as const;

async function panelProps(c: AppContext, userId: string, conversationId: string, options: { before?: number; replyTo?: string; errors?: FieldErrors }): Promise<ConversationPanelProps> {
  const { view, row, standing } = await getConversation(c.var.deps, userId, conversationId);
  const [page, people] = await Promise.all([listMessages(c.var.deps, userId, conversationId, { before: options.before, limit: PAGE }), conversationPeople(c.var.deps.db, row)]);
  const messages = [...page.messages].reverse();
  const refusal = mayPost(row, standing);
  const quoted = options.replyTo ? await getMessage(c.var.deps, userId, options.replyTo).catch(() => null) : null;
  const replyTo = quoted && quoted.conversationId === conversationId && !quoted.deletedAt ? { id: quoted.id, authorName: quoted.author?.name ?? "Former member", excerpt: quoted.text.slice(0, 120) } : null;
  return {
    conversation: view,
    people,
    messages,
    olderBefore: page.more ? (messages[0]?.seq ?? null) : null,
    mayPost: refusal === null,
    mayModerate: mayModerate(row, standing),
    mayManage: mayManage(row, standing),
    composer: { conversationId, viewerId: userId, closed: refusal ? CLOSED[refusal] : null, replyTo, errors: options.errors },
    presence: await presenceOf(c.var.deps, [...new Set([...people.map((person) => person.id), ...messages.flatMap((message) => (message.author ? [message.author.id] : []))])]),
  };
}
