// The chat JSON API over real HTTP on a real database: the three kinds of conversation, who may
// read and write what (another tenant's ids answer 404 everywhere), messages with their limits,
// reactions, read marks, files, and search; every change announced on /api/events.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents, chatAttachments, events, messages } from "../../schema";
import { pruneUnsentAttachments, UNSENT_ATTACHMENT_MS } from "./index";
import { createTestApp, type TestApp } from "../../test/app";
import { addHouseholdMember, api, business, household, person, json, signedIn, unit, type Person } from "../../test/people";
import { jsonEvents, SseReader } from "../../test/sse";

let t: TestApp;
let ada: Person; // owner of Acme
let bob: Person; // member of Acme
let cat: Person; // member of Acme, in the Sales department
let eve: Person; // owner of Globex: shares nothing with Acme's people
let kid: Person; // child in Ada's household
let acme: string;
let globex: string;
let home: string;
let sales: string;

beforeAll(async () => {
  t = await createTestApp();
  const people = await Promise.all(["Ada Lovelace", "Bob Stone", "Cat Reyes", "Eve Moss", "Kid Lovelace"].map((name) => person(t, name)));
  [ada, bob, cat, eve, kid] = people as [Person, Person, Person, Person, Person];
  acme = await business(t, ada, [[bob, "member"], [cat, "member"]], "Acme");
  globex = await business(t, eve, [], "Globex");
  home = await household(t, ada, "Lovelace home");
  await addHouseholdMember(t, home, kid, "child");
  sales = (await unit(t, ada, acme, "department", "Sales")).id;
  const moved = await api(t, ada, `/api/businesses/${acme}/members/${cat.id}`, { method: "PATCH", json: { departmentId: sales } });
  expect(moved.status).toBe(200);
});
afterAll(() => t.close());

const create = (who: Person, body: unknown) => api(t, who, "/api/conversations", { method: "POST", json: body });
const post = (who: Person, id: string, text: string, extra: Record<string, unknown> = {}) => api(t, who, `/api/conversations/${id}/messages`, { method: "POST", json: { text, ...extra } });

describe("conversations", () => {
  test("a direct conversation with someone who shares a context; asking again returns the same one (200)", async () => {
    const first = await json(create(ada, { type: "direct", userIds: [bob.id] }), 201);
    expect(first.conversation.kind).toBe("direct");
    expect(first.conversation.title).toBe("Bob Stone");
    const again = await json(create(bob, { type: "direct", userIds: [ada.id] }), 200);
    expect(again.conversation.id).toBe(first.conversation.id);
    expect(again.conversation.title).toBe("Ada Lovelace");
  });

  test("no direct conversation or group with a stranger, with oneself, or with two people", async () => {
    const stranger = await json(create(ada, { type: "direct", userIds: [eve.id] }), 400);
    expect(stranger.error.details.fieldErrors.userIds[0]).toContain("share a business or household");
    await json(create(ada, { type: "direct", userIds: [ada.id] }), 400);
    await json(create(ada, { type: "direct", userIds: [bob.id, cat.id] }), 400);
    await json(create(ada, { type: "group", userIds: [bob.id, eve.id] }), 400);
    await json(create(ada, { type: "group", userIds: ["not an id!"] }), 400);
    await json(create(ada, { type: "wormhole" }), 400);
  });

  test("channels: admins create them, members cannot, outsiders get 404; rules must name the business's own departments", async () => {
    await json(create(bob, { type: "channel", name: "random", contextType: "business", contextId: acme }), 403);
    await json(create(eve, { type: "channel", name: "x", contextType: "business", contextId: acme }), 404);
    const bad = await json(create(ada, { type: "channel", name: "x", contextType: "business", contextId: acme, allowedDepartments: ["aaaaaaaaaaaaaaaaaaaaaaaaaa"] }), 400);
    expect(bad.error.details.fieldErrors.allowedDepartments).toBeDefined();
    const general = await json(create(ada, { type: "channel", name: "general", contextType: "business", contextId: acme }), 201);
    const salesOnly = await json(create(ada, { type: "channel", name: "sales", contextType: "business", contextId: acme, allowedDepartments: [sales] }), 201);
    const titles = async (who: Person) => (await json(api(t, who, "/api/conversations"), 200)).conversations.map((c: { title: string }) => c.title);
    expect(await titles(bob)).toContain("general");
    expect(await titles(bob)).not.toContain("sales");
    expect(await titles(cat)).toContain("sales");
    expect(await titles(eve)).toEqual([]);
    // Reading a channel one's rules keep one out of is the same 404 as a missing one.
    await json(api(t, bob, `/api/conversations/${salesOnly.conversation.id}`), 404);
    await json(api(t, bob, `/api/conversations/${salesOnly.conversation.id}/messages`), 404);
    await json(post(bob, salesOnly.conversation.id, "let me in"), 404);
    expect((await json(api(t, bob, `/api/conversations/${general.conversation.id}`), 200)).conversation.context).toEqual({ type: "business", id: acme, name: "Acme" });
  });

  test("another tenant's conversation answers 404 on every route, the same as a missing one", async () => {
    const theirs = (await json(create(ada, { type: "group", name: "acme only", userIds: [bob.id] }), 201)).conversation.id;
    const message = (await json(post(ada, theirs, "private"), 201)).message.id;
    for (const id of [theirs, "zzzzzzzzzzzzzzzzzzzzzzzzzz"]) {
      const routes: Array<[string, string, unknown?]> = [
        ["GET", `/api/conversations/${id}`],
        ["PATCH", `/api/conversations/${id}`, { name: "mine now" }],
        ["POST", `/api/conversations/${id}/members`, { userIds: [eve.id] }],
        ["DELETE", `/api/conversations/${id}/members/${bob.id}`],
        ["GET", `/api/conversations/${id}/messages`],
        ["POST", `/api/conversations/${id}/messages`, { text: "hi" }],
        ["POST", `/api/conversations/${id}/read`, {}],
      ];
      for (const [method, path, body] of routes) {
        const answer = await json(api(t, eve, path, { method, json: body }), 404);
        expect(answer.error.code).toBe("not_found");
      }
    }
    for (const id of [message, "zzzzzzzzzzzzzzzzzzzzzzzzzz"]) {
      await json(api(t, eve, `/api/messages/${id}`, { method: "PATCH", json: { text: "x" } }), 404);
      await json(api(t, eve, `/api/messages/${id}`, { method: "DELETE" }), 404);
      await json(api(t, eve, `/api/messages/${id}/reactions`, { method: "POST", json: { emoji: "👍" } }), 404);
    }
    const [stored] = await t.deps.db.select().from(messages).where(eq(messages.id, message));
    expect(stored!.text).toBe("private");
  });

  test("groups: members rename and add people who share a context; the starter removes; anyone leaves; archived is read-only (409)", async () => {
    const group = (await json(create(bob, { type: "group", name: "lunch", userIds: [cat.id] }), 201)).conversation.id;
    expect((await json(api(t, cat, `/api/conversations/${group}`, { method: "PATCH", json: { name: "Lunch club" } }), 200)).conversation.name).toBe("Lunch club");
    await json(api(t, cat, `/api/conversations/${group}/members`, { method: "POST", json: { userIds: [eve.id] } }), 400);
    await json(api(t, cat, `/api/conversations/${group}/members`, { method: "POST", json: { userIds: [ada.id] } }), 204);
    await json(api(t, cat, `/api/conversations/${group}/members/${ada.id}`, { method: "DELETE" }), 403);
    await json(api(t, bob, `/api/conversations/${group}/members/${ada.id}`, { method: "DELETE" }), 204);
    await json(api(t, ada, `/api/conversations/${group}`), 404);
    await json(api(t, cat, `/api/conversations/${group}/members/${cat.id}`, { method: "DELETE" }), 204);
    await json(api(t, cat, `/api/conversations/${group}`), 404);
    await json(api(t, bob, `/api/conversations/${group}`, { method: "PATCH", json: { archived: true } }), 200);
    const refused = await json(post(bob, group, "anyone?"), 409);
    expect(refused.error.code).toBe("archived");
    await json(api(t, bob, `/api/conversations/${group}/messages`), 200);
  });
});

describe("messages", () => {
  let general: string;
  beforeAll(async () => {
    general = (await json(create(ada, { type: "channel", name: "announcements", contextType: "business", contextId: acme }), 201)).conversation.id;
  });

  test("a post is 201 {message} with its id, and reaches the readers' streams as chat.message with conversationId and messageId", async () => {
    const reader = new SseReader(await t.app.request("/api/events", { headers: { authorization: `Bearer ${bob.token}` } }));
    const outsider = new SseReader(await t.app.request("/api/events", { headers: { authorization: `Bearer ${eve.token}` } }));
    const { message } = await json(post(ada, general, "Hello **team**, see https://example.com"), 201);
    expect(message.html).toBe('Hello <strong>team</strong>, see <a href="https://example.com" rel="noopener noreferrer nofollow" target="_blank">https://example.com</a>');
    const [event] = jsonEvents(await reader.until((m) => m.data.includes('"chat.message"'))).slice(-1);
    expect(event!.payload).toMatchObject({ conversationId: general, messageId: message.id });
    expect(jsonEvents(await outsider.drain(300)).filter((e) => e.type.startsWith("chat."))).toEqual([]);
    await Promise.all([reader.close(), outsider.close()]);
  });

  test("empty, blank and over-long messages are 400 and store nothing", async () => {
    const before = (await json(api(t, ada, `/api/conversations/${general}`), 200)).conversation.lastSeq;
    for (const text of ["", "   \n  ", "x".repeat(10_001)]) await json(post(ada, general, text), 400);
    await json(post(ada, general, "ok", { replyTo: "zzzzzzzzzzzzzzzzzzzzzzzzzz" }), 400);
    await json(api(t, ada, `/api/conversations/${general}/messages`, { method: "POST", json: { text: 5 } }), 400);
    expect((await json(api(t, ada, `/api/conversations/${general}`), 200)).conversation.lastSeq).toBe(before);
    await json(post(ada, general, "x".repeat(10_000)), 201);
  });

  test("edit and delete your own (shown as edited / deleted); not someone else's; admins delete any in their channels, audited", async () => {
    const { message } = await json(post(bob, general, "typo teh"), 201);
    await json(api(t, cat, `/api/messages/${message.id}`, { method: "PATCH", json: { text: "hacked" } }), 403);
    await json(api(t, cat, `/api/messages/${message.id}`, { method: "DELETE" }), 403);
    const edited = (await json(api(t, bob, `/api/messages/${message.id}`, { method: "PATCH", json: { text: "typo the" } }), 200)).message;
    expect(edited.text).toBe("typo the");
    expect(edited.editedAt).not.toBeNull();
    const other = (await json(post(cat, general, "off topic"), 201)).message;
    await json(api(t, ada, `/api/messages/${other.id}`, { method: "DELETE" }), 204);
    const audit = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, "chat.message_delete"));
    expect(audit.at(-1)!.details).toMatchObject({ messageId: other.id, authorId: cat.id });
    await json(api(t, bob, `/api/messages/${message.id}`, { method: "DELETE" }), 204);
    const { messages } = await json(api(t, bob, `/api/conversations/${general}/messages?limit=5`), 200);
    const deleted = messages.find((m: { id: string }) => m.id === message.id);
    expect(deleted).toMatchObject({ text: "", html: "" });
    expect(deleted.deletedAt).not.toBeNull();
    await json(api(t, bob, `/api/messages/${message.id}`, { method: "PATCH", json: { text: "back" } }), 409);
  });

  test("replies quote the message; mentions resolve to the conversation's people", async () => {
    const first = (await json(post(bob, general, "Who has the keys?"), 201)).message;
    const reply = (await json(post(ada, general, "@catreyes has them, not @nobody", { replyTo: first.id }), 201)).message;
    expect(reply.replyTo).toMatchObject({ id: first.id, authorName: "Bob Stone", excerpt: "Who has the keys?" });
    expect(reply.mentions).toEqual([cat.id]);
    expect(reply.html).toContain(`<span class="mention" data-user-id="${cat.id}">@Cat Reyes</span>`);
    expect(reply.html).toContain("@nobody");
  });

  test("reactions: one emoji each, added once, removed; counts and mine per reader", async () => {
    const { message } = await json(post(bob, general, "Ship it?"), 201);
    await json(api(t, ada, `/api/messages/${message.id}/reactions`, { method: "POST", json: { emoji: "👍" } }), 201);
    await json(api(t, ada, `/api/messages/${message.id}/reactions`, { method: "POST", json: { emoji: "👍" } }), 201);
    const seen = (await json(api(t, cat, `/api/messages/${message.id}/reactions`, { method: "POST", json: { emoji: "👍" } }), 201)).message;
    expect(seen.reactions).toEqual([{ emoji: "👍", count: 2, mine: true }]);
    await json(api(t, cat, `/api/messages/${message.id}/reactions`, { method: "POST", json: { emoji: "<script>" } }), 400);
    const after = (await json(api(t, cat, `/api/messages/${message.id}/reactions?emoji=${encodeURIComponent("👍")}`, { method: "DELETE" }), 200)).message;
    expect(after.reactions).toEqual([{ emoji: "👍", count: 1, mine: false }]);
  });

  test("unread counts others' messages after the read mark; posting or reading moves it", async () => {
    const group = (await json(create(ada, { type: "group", userIds: [bob.id] }), 201)).conversation.id;
    await json(post(ada, group, "one"), 201);
    await json(post(ada, group, "two"), 201);
    const unread = async (who: Person) => (await json(api(t, who, `/api/conversations/${group}`), 200)).conversation.unread;
    expect(await unread(bob)).toBe(2);
    expect(await unread(ada)).toBe(0);
    expect((await json(api(t, bob, `/api/conversations/${group}/read`, { method: "POST", json: { seq: 1 } }), 200)).lastReadSeq).toBe(1);
    expect(await unread(bob)).toBe(1);
    await json(api(t, bob, `/api/conversations/${group}/read`, { method: "POST", json: {} }), 200);
    expect(await unread(bob)).toBe(0);
    // A read mark never goes back.
    await json(api(t, bob, `/api/conversations/${group}/read`, { method: "POST", json: { seq: 0 } }), 200);
    expect(await unread(bob)).toBe(0);
  });

  test("history pages newest first by cursor, with nothing skipped or repeated", async () => {
    const group = (await json(create(ada, { type: "group", userIds: [cat.id] }), 201)).conversation.id;
    for (let i = 1; i <= 7; i++) await json(post(ada, group, `m${i}`), 201);
    const seen: string[] = [];
    let cursor: number | null = null;
    do {
      const page: { messages: Array<{ text: string }>; nextCursor: number | null } = await json(api(t, cat, `/api/conversations/${group}/messages?limit=3${cursor ? `&before=${cursor}` : ""}`), 200);
      seen.push(...page.messages.map((m) => m.text));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["m7", "m6", "m5", "m4", "m3", "m2", "m1"]);
    await json(api(t, cat, `/api/conversations/${group}/messages?limit=0`), 400);
    await json(api(t, cat, `/api/conversations/${group}/messages?limit=1000`), 400);
    await json(api(t, cat, `/api/conversations/${group}/messages?before=x`), 400);
  });

  test("posting is limited per user: 429 with Retry-After", async () => {
    const limited = await createTestApp({ CHAT_MESSAGES_PER_MINUTE: "3" });
    try {
      const [a, b] = [await person(limited, "Al"), await person(limited, "Bo")];
      await business(limited, a, [[b, "member"]]);
      const dm = (await json(api(limited, a, "/api/conversations", { method: "POST", json: { type: "direct", userIds: [b.id] } }), 201)).conversation.id;
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => api(limited, a, `/api/conversations/${dm}/messages`, { method: "POST", json: { text: `burst ${i}` } })));
      expect(results.filter((r) => r.status === 201).length).toBe(3);
      const refused = results.find((r) => r.status === 429)!;
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      // Starting conversations is limited too (60 an hour), counted in the same transaction.
      const starts = await Promise.all(Array.from({ length: 62 }, () => api(limited, b, "/api/conversations", { method: "POST", json: { type: "direct", userIds: [a.id] } })));
      expect(starts.filter((r) => r.status === 429).length).toBe(2);
    } finally {
      limited.close();
    }
  });
});

describe("households", () => {
  test("children read household channels but post only when the household allows it", async () => {
    const family = (await json(create(ada, { type: "channel", name: "family", contextType: "household", contextId: home }), 201)).conversation.id;
    await json(post(ada, family, "Dinner at 7"), 201);
    expect((await json(api(t, kid, `/api/conversations/${family}/messages`), 200)).messages[0].text).toBe("Dinner at 7");
    expect((await json(post(kid, family, "ok!"), 403)).error.code).toBe("read_only");
    await json(create(kid, { type: "channel", name: "mine", contextType: "household", contextId: home }), 403);
    await json(api(t, eve, `/api/conversations/${family}`), 404);
    // The owner changes the household's policy on its page: now the child may write.
    const owner = await signedIn(t, ada);
    expect((await (await owner.request(`/household/${home}`)).text())).toContain("Children read them but do not write in them.");
    expect((await owner.request(`/household/${home}/chat-policy`, { method: "POST", form: { childrenMayPost: "on" } })).status).toBe(303);
    await json(post(kid, family, "ok!"), 201);
    // Only owners set it.
    const child = await signedIn(t, kid);
    expect((await child.request(`/household/${home}/chat-policy`, { method: "POST", form: {} })).status).toBe(403);
    await json(post(kid, family, "still ok"), 201);
  });
});

describe("files", () => {
  let dm: string;
  beforeAll(async () => {
    dm = (await json(create(ada, { type: "direct", userIds: [cat.id] }), 201)).conversation.id;
  });
  const upload = (who: Person, conversationId: string, bytes: Uint8Array<ArrayBuffer>, name: string) => {
    const form = new FormData();
    form.set("file", new File([bytes], name, { type: "text/html" }));
    return t.app.request(`/api/conversations/${conversationId}/attachments`, { method: "POST", body: form, headers: { authorization: `Bearer ${who.token}` } });
  };
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

  test("the type is sniffed from the bytes; a file joins the message it is sent with; only readers download it, as an attachment", async () => {
    const image = (await json(upload(ada, dm, png, "../../evil\u0000.png"), 201)).attachment;
    expect(image).toMatchObject({ contentType: "image/png", isImage: true, fileName: "evil.png", size: png.length });
    const page = (await json(upload(ada, dm, new TextEncoder().encode("<script>alert(1)</script>"), "page.html"), 201)).attachment;
    expect(page.contentType).toBe("application/octet-stream");
    // Before it is sent, the file is its uploader's alone.
    expect((await t.app.request(`/chat/attachments/${image.id}`, { headers: { authorization: `Bearer ${cat.token}` } })).status).toBe(404);
    const { message } = await json(post(ada, dm, "", { attachmentIds: [image.id, page.id] }), 201);
    expect(message.attachments.map((a: { id: string }) => a.id).sort()).toEqual([image.id, page.id].sort());
    const download = await t.app.request(`/chat/attachments/${page.id}`, { headers: { authorization: `Bearer ${cat.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toStartWith("attachment;");
    expect(download.headers.get("content-type")).toBe("application/octet-stream");
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await t.app.request(`/chat/attachments/${page.id}`, { headers: { authorization: `Bearer ${eve.token}` } })).status).toBe(404);
    // A file cannot be sent twice, or into another conversation.
    await json(post(ada, dm, "again", { attachmentIds: [image.id] }), 400);
  });

  test("files count against the plan of their space: past its storage, an upload is refused naming the plan; others' space is not touched", async () => {
    // Ada's own space already holds all but 5 bytes of the Free plan's 1 GB (a row standing for earlier files).
    const filler = { id: "filler-attachment", conversationId: dm, uploaderId: ada.id, messageId: null, storageKey: "chat/none", fileName: "big.bin", contentType: "application/octet-stream", size: 1024 ** 3 - 5, createdAt: t.deps.now() };
    await t.deps.db.insert(chatAttachments).values(filler);
    try {
      const refused = await json(upload(ada, dm, png, "one-too-many.png"), 413);
      expect(refused.error.code).toBe("storage_limit");
      expect(refused.error.message).toContain("The Free plan allows 1.0 GB of files here");
      // The same conversation, another person's upload: their own space, with room.
      await json(upload(cat, dm, png, "cats.png"), 201);
    } finally {
      await t.deps.db.delete(chatAttachments).where(eq(chatAttachments.id, filler.id));
    }
    await json(upload(ada, dm, png, "room-again.png"), 201);
  });

  test("a file uploaded and never sent is pruned after a day, bytes and all; sent files stay", async () => {
    const lonely = (await json(upload(ada, dm, png, "draft.png"), 201)).attachment;
    const [row] = await t.deps.db.select().from(chatAttachments).where(eq(chatAttachments.id, lonely.id));
    expect(await t.deps.storage.get(row!.storageKey)).not.toBeNull();
    expect(await pruneUnsentAttachments(t.deps, t.deps.now() - UNSENT_ATTACHMENT_MS)).toBe(0);
    expect(await pruneUnsentAttachments(t.deps, t.deps.now() + 1)).toBeGreaterThanOrEqual(1);
    expect(await t.deps.db.select().from(chatAttachments).where(eq(chatAttachments.id, lonely.id))).toEqual([]);
    expect(await t.deps.storage.get(row!.storageKey)).toBeNull();
    // The files sent with messages earlier in this file are still there.
    expect((await t.deps.db.select().from(chatAttachments)).length).toBeGreaterThan(0);
  });

  test("a file over the limit is 413, and nothing is stored", async () => {
    const small = await createTestApp({ CHAT_ATTACHMENT_MAX_BYTES: "2048" });
    try {
      const [a, b] = [await person(small, "Al"), await person(small, "Bo")];
      await business(small, a, [[b, "member"]]);
      const conversation = (await json(api(small, a, "/api/conversations", { method: "POST", json: { type: "direct", userIds: [b.id] } }), 201)).conversation.id;
      const form = new FormData();
      form.set("file", new File([new Uint8Array(4096)], "big.bin"));
      const response = await small.app.request(`/api/conversations/${conversation}/attachments`, { method: "POST", body: form, headers: { authorization: `Bearer ${a.token}` } });
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    } finally {
      small.close();
    }
  });
});

describe("search", () => {
  test("finds words in the conversations the caller can read, ranked and highlighted, and nothing else", async () => {
    const group = (await json(create(bob, { type: "group", userIds: [cat.id] }), 201)).conversation.id;
    await json(post(bob, group, "The quarterly <b>report</b> is ready"), 201);
    const theirs = (await json(create(eve, { type: "channel", name: "globex", contextType: "business", contextId: globex }), 201)).conversation.id;
    await json(post(eve, theirs, "Globex quarterly report, secret"), 201);
    const { results } = await json(api(t, cat, "/api/chat/search?q=quarterly%20rep"), 200);
    expect(results.map((r: { conversationId: string }) => r.conversationId)).toEqual([group]);
    expect(results[0].snippet).toBe("The <mark>quarterly</mark> &lt;b&gt;<mark>report</mark>&lt;/b&gt; is ready");
    expect((await json(api(t, eve, "/api/chat/search?q=ready"), 200)).results).toEqual([]);
  });

  test("odd input is only words: quotes, operators and column filters neither fail nor widen", async () => {
    for (const q of ['"', "quarterly OR secret", "text:secret", "NEAR(a b)", "*", "-", "\u0002", "a".repeat(200), "' or 1=1 --"]) {
      const { results } = await json(api(t, cat, `/api/chat/search?q=${encodeURIComponent(q)}`), 200);
      expect(results.every((r: { snippet: string }) => !r.snippet.includes("secret"))).toBe(true);
    }
    await json(api(t, cat, `/api/chat/search?q=${"a".repeat(201)}`), 400);
  });
});

test("a failed post announces nothing", async () => {
  const before = await t.deps.db.$count(events);
  await json(post(ada, "zzzzzzzzzzzzzzzzzzzzzzzzzz", "hello"), 404);
  expect(await t.deps.db.$count(events)).toBe(before);
});

describe("notifications", () => {
  test("a mention notifies the person mentioned, in the post's transaction, and reaches their stream as notification.created", async () => {
    const group = (await json(create(ada, { type: "group", name: "Keys", userIds: [bob.id, cat.id] }), 201)).conversation.id;
    const reader = new SseReader(await t.app.request("/api/events", { headers: { authorization: `Bearer ${cat.token}` } }));
    const { message } = await json(post(ada, group, "@catreyes can you lock up?"), 201);
    const [created] = jsonEvents(await reader.until((m) => m.data.includes('"notification.created"'))).slice(-1);
    expect(created!.channel).toBe(`user:${cat.id}`);
    await reader.close();
    const { notifications } = await json(api(t, cat, "/api/notifications"), 200);
    expect(notifications[0]).toMatchObject({ kind: "chat.mention", title: "Ada Lovelace mentioned you in Keys", body: "@catreyes can you lock up?", url: `/chat/${group}#msg-${message.id}` });
    // Bob was not mentioned: nothing for him from this post.
    const bobs = (await json(api(t, bob, "/api/notifications"), 200)).notifications as Array<{ url: string }>;
    expect(bobs.some((n) => n.url.includes(message.id))).toBe(false);
  });

  test("a direct message notifies the other person, unless they turned direct messages off", async () => {
    const dm = (await json(create(bob, { type: "direct", userIds: [cat.id] }), 201)).conversation.id;
    await json(post(bob, dm, "psst"), 201);
    const first = (await json(api(t, cat, "/api/notifications"), 200)).notifications[0];
    expect(first).toMatchObject({ kind: "chat.direct", title: "Bob Stone sent you a message", body: "psst" });
    await json(api(t, cat, "/api/notifications/preferences", { method: "PUT", json: { preferences: { "chat.direct": "off" } } }), 200);
    await json(post(bob, dm, "psst again"), 201);
    expect((await json(api(t, cat, "/api/notifications"), 200)).notifications[0].body).toBe("psst");
  });
});
