// The chat pages without JavaScript (plain forms, 303 and reload) and the fragments htmx and the
// live stream fetch, over real HTTP with a cookie session.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type Browser, type TestApp } from "../../test/app";
import { api, business, person, signedIn, type Person } from "../../test/people";
import { SseReader } from "../../test/sse";

let t: TestApp;
let ada: Person;
let bob: Person;
let eve: Person;
let acme: string;
let adaBrowser: Browser;
let bobBrowser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  ada = await person(t, "Ada Lovelace");
  bob = await person(t, "Bob Stone");
  eve = await person(t, "Eve Moss");
  acme = await business(t, ada, [[bob, "member"]], "Acme");
  adaBrowser = await signedIn(t, ada);
  bobBrowser = await signedIn(t, bob);
});
afterAll(() => t.close());

const htmx = { "hx-request": "true" };

describe("without JavaScript", () => {
  let conversation: string;

  test("start a direct conversation from /chat/new, post with a plain form, and read it after the redirect", async () => {
    const form = await (await adaBrowser.request("/chat/new")).text();
    expect(form).toContain(`value="${bob.id}"`);
    expect(form).not.toContain(eve.id);
    const created = await adaBrowser.request("/chat/new", { method: "POST", form: { userIds: bob.id } });
    expect(created.status).toBe(303);
    conversation = created.headers.get("location")!.split("/").pop()!;
    const posted = await adaBrowser.request(`/chat/${conversation}/messages`, { method: "POST", form: { text: "Hello <Bob> **welcome**" } });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toBe(`/chat/${conversation}#latest`);
    const page = await (await bobBrowser.request(`/chat/${conversation}`)).text();
    expect(page).toContain("Hello &lt;Bob&gt; <strong>welcome</strong>");
    expect(page).toContain('id="composer"');
    expect(page).toContain(`sse:chat-${conversation}`);
  });

  test("an empty message comes back with the error beside the field, and nothing is posted", async () => {
    const response = await adaBrowser.request(`/chat/${conversation}/messages`, { method: "POST", form: { text: "   " } });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('id="composer-text-error"');
    expect(html).toContain("Write a message first.");
  });

  test("reply, react, edit and delete through plain forms", async () => {
    const { messages } = (await (await api(t, bob, `/api/conversations/${conversation}/messages`)).json()) as { messages: Array<{ id: string }> };
    const target = messages[0]!.id;
    expect((await (await bobBrowser.request(`/chat/${conversation}?replyTo=${target}`)).text())).toContain("Replying to");
    expect((await bobBrowser.request(`/chat/${conversation}/messages`, { method: "POST", form: { text: "Thanks!", replyTo: target } })).status).toBe(303);
    expect((await bobBrowser.request(`/chat/messages/${target}/react`, { method: "POST", form: { emoji: "🎉" } })).status).toBe(303);
    const mine = ((await (await api(t, bob, `/api/conversations/${conversation}/messages?limit=1`)).json()) as { messages: Array<{ id: string; replyTo: { id: string } }> }).messages[0]!;
    expect(mine.replyTo.id).toBe(target);
    expect((await bobBrowser.request(`/chat/messages/${mine.id}/edit`)).status).toBe(200);
    expect((await adaBrowser.request(`/chat/messages/${mine.id}/edit`)).status).toBe(403);
    expect((await bobBrowser.request(`/chat/messages/${mine.id}/edit`, { method: "POST", form: { text: "Thanks a lot!" } })).status).toBe(303);
    expect((await bobBrowser.request(`/chat/messages/${mine.id}/delete`, { method: "POST", form: {} })).status).toBe(303);
    const page = await (await adaBrowser.request(`/chat/${conversation}`)).text();
    expect(page).toContain("This message was deleted.");
    expect(page).toContain("🎉 1");
  });

  test("someone else's conversation is the same 404 page as a missing one", async () => {
    const eveBrowser = await signedIn(t, eve);
    for (const path of [`/chat/${conversation}`, "/chat/zzzzzzzzzzzzzzzzzzzzzzzzzz", `/chat/${conversation}/people`]) {
      expect((await eveBrowser.request(path)).status).toBe(404);
    }
    expect((await eveBrowser.request(`/chat/${conversation}/messages`, { method: "POST", form: { text: "hi" } })).status).toBe(404);
  });
});

describe("with htmx and the live stream", () => {
  test("a new message reaches the page stream as an event naming the conversation, and the tail fetches it", async () => {
    const dm = ((await (await api(t, ada, "/api/conversations", { method: "POST", json: { type: "direct", userIds: [bob.id] } })).json()) as { conversation: { id: string; lastSeq: number } }).conversation;
    const stream = new SseReader(await bobBrowser.request(`/events`));
    const { message } = (await (await api(t, ada, `/api/conversations/${dm.id}/messages`, { method: "POST", json: { text: "live one" } })).json()) as { message: { id: string; seq: number } };
    const seen = await stream.until((m) => m.event === `chat-${dm.id}`);
    expect(seen.some((m) => m.event === "chat")).toBe(false); // the list event follows the conversation's
    expect((await stream.until((m) => m.event === "chat")).length).toBeGreaterThan(0);
    await stream.close();
    const tail = await bobBrowser.request(`/chat/${dm.id}/messages?after=${message.seq - 1}`, { headers: htmx });
    const html = await tail.text();
    expect(html).toContain("live one");
    expect(html).toContain(`/chat/${dm.id}/messages?after=${message.seq}`);
    // Fetching the tail read it: nothing unread left.
    expect(((await (await api(t, bob, `/api/conversations/${dm.id}`)).json()) as { conversation: { unread: number } }).conversation.unread).toBe(0);
  });

  test("history loads older messages before the first shown: the fragment for htmx (with the next loader), the page without JavaScript", async () => {
    const group = ((await (await api(t, ada, "/api/conversations", { method: "POST", json: { type: "group", name: "Long", userIds: [bob.id] } })).json()) as { conversation: { id: string } }).conversation.id;
    // Two authors, so neither meets the per-minute posting limit.
    for (let i = 1; i <= 55; i++) await api(t, i % 2 ? ada : bob, `/api/conversations/${group}/messages`, { method: "POST", json: { text: `line ${i}` } });
    const page = await (await bobBrowser.request(`/chat/${group}`)).text();
    expect(page).toContain("line 55");
    expect(page).not.toContain(">line 5<");
    expect(page).toContain(`/chat/${group}/messages?before=6`);
    const older = await (await bobBrowser.request(`/chat/${group}/messages?before=6`, { headers: htmx })).text();
    expect([...older.matchAll(/>line (\d+)</g)].map((m) => Number(m[1]))).toEqual([1, 2, 3, 4, 5]);
    expect(older).not.toContain("chat-older"); // the first message is shown: no loader left
    const plain = await (await bobBrowser.request(`/chat/${group}?before=6`)).text();
    expect(plain).toContain(">line 1<");
  });

  test("the header badge counts unread messages; the list marks them", async () => {
    const group = ((await (await api(t, ada, "/api/conversations", { method: "POST", json: { type: "group", name: "Ops", userIds: [bob.id] } })).json()) as { conversation: { id: string } }).conversation.id;
    await api(t, ada, `/api/conversations/${group}/messages`, { method: "POST", json: { text: "one" } });
    await api(t, ada, `/api/conversations/${group}/messages`, { method: "POST", json: { text: "two" } });
    const badge = await (await bobBrowser.request("/chat/badge", { headers: htmx })).text();
    expect(badge).toMatch(/unread-badge">\d+<span class="visually-hidden"> unread<\/span>/);
    expect(badge).not.toContain("load,");
    const list = await (await bobBrowser.request("/chat/list", { headers: htmx })).text();
    expect(list).toContain('<span class="badge unread-badge">2<span class="visually-hidden"> unread</span>');
  });

  test("an htmx post answers a fresh composer; a failed one the composer with its error and text", async () => {
    const dm = ((await (await api(t, ada, "/api/conversations", { method: "POST", json: { type: "direct", userIds: [bob.id] } })).json()) as { conversation: { id: string } }).conversation.id;
    const ok = await adaBrowser.request(`/chat/${dm}/messages`, { method: "POST", form: { text: "via htmx" }, headers: htmx });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<textarea id="composer-text"');
    const bad = await adaBrowser.request(`/chat/${dm}/messages`, { method: "POST", form: { text: "x".repeat(10_001) }, headers: htmx });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("at most 10,000 characters");
  });

  test("the workspace chat tab lists the business's channels and lets admins create one", async () => {
    const created = await adaBrowser.request("/chat/channels", { method: "POST", form: { place: `business:${acme}`, name: "general" } });
    expect(created.status).toBe(303);
    const tab = await (await bobBrowser.request(`/business/${acme}/workspace/chat`)).text();
    expect(tab).toContain("# general");
    expect(tab).not.toContain("New channel");
    expect(await (await adaBrowser.request(`/business/${acme}/workspace/chat`)).text()).toContain("New channel");
    const refused = await bobBrowser.request("/chat/channels", { method: "POST", form: { place: `business:${acme}`, name: "mine" } });
    expect(refused.status).toBe(403);
  });

  test("search page highlights, and escapes what people wrote", async () => {
    const dm = ((await (await api(t, ada, "/api/conversations", { method: "POST", json: { type: "direct", userIds: [bob.id] } })).json()) as { conversation: { id: string } }).conversation.id;
    await api(t, ada, `/api/conversations/${dm}/messages`, { method: "POST", json: { text: "<img src=x onerror=alert(1)> budget" } });
    const html = await (await bobBrowser.request("/chat/search?q=budget")).text();
    expect(html).toContain("<mark>budget</mark>");
    expect(html).not.toContain("<img src=x");
  });
});
