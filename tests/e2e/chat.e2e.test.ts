// Chat in headless Chromium (issue 10): two people of one business in two browser contexts. A
// message typed by one appears for the other without a reload, with the unread badge and the
// author's presence changing live; the server is killed and started again mid-conversation and the
// page catches up with nothing lost; and the chat works with JavaScript off.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { apiCall, confirmedAccount, isSamePage, markPage, signInAs, startE2E, type E2E } from "./support";

const TIMEOUT = 120_000;

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

/** Resolves once the page's live stream is open (htmx's SSE extension says so on the body). */
async function streamOpen(page: Page) {
  await page.waitForFunction(() => (window as unknown as { __sseOpen?: number }).__sseOpen !== undefined);
}

// Connection errors while the server is down are expected; anything else on the console is a bug.
// (htmx logs each htmx:sseError event object as "[object Event]".)
const whileDown = /ERR_CONNECTION_REFUSED|EventSource|net::ERR_|status of 503|^\[object Event\]$/;

describe("chat in Chromium", () => {
  let ada: Awaited<ReturnType<typeof confirmedAccount>>;
  let bob: Awaited<ReturnType<typeof confirmedAccount>>;
  let conversation: string;

  beforeAll(async () => {
    ada = await confirmedAccount(e2e, "Ada Chat", "ada.chat@example.com");
    bob = await confirmedAccount(e2e, "Bob Chat", "bob.chat@example.com");
    const { business } = await apiCall(e2e, "/api/businesses", { json: { name: "Talk Ltd", kind: "company" }, token: ada.bearer });
    // Bob joins the way the invitation would leave it (the invitation journey is tested elsewhere).
    await e2e.database.execute({ sql: "insert into business_members (business_id, user_id, role, joined_at) values (?, ?, 'member', ?)", args: [business.id, bob.id, Date.now()] });
    conversation = (await apiCall(e2e, "/api/conversations", { json: { type: "direct", userIds: [bob.id] }, token: ada.bearer })).conversation.id;
  });

  test(
    "a message typed by one appears for the other without a reload; unread badge and presence change live; a server restart loses nothing",
    async () => {
      const bobSession = await e2e.newPage();
      const adaSession = await e2e.newPage();
      for (const session of [bobSession, adaSession]) {
        await session.context.addInitScript(() => {
          document.addEventListener("htmx:sseOpen", () => ((window as unknown as { __sseOpen?: number }).__sseOpen = Date.now()));
        });
      }
      const ada$ = adaSession.page;
      const bob$ = bobSession.page;

      // Ada waits on her home page; Bob is offline until he opens a page.
      await signInAs(ada$, ada.email);
      await streamOpen(ada$);
      await markPage(ada$);
      await signInAs(bob$, bob.email);
      await bob$.goto(`/chat/${conversation}`);
      await streamOpen(bob$);
      await bob$.locator("#composer-text").fill("Hello Ada, are you there?");
      await bob$.locator("#composer-text").press("Enter");
      // Bob's own page shows it (the stream names the conversation; the tail fetches it).
      await bob$.locator("#message-list .message-text", { hasText: "Hello Ada, are you there?" }).waitFor();

      // Ada's header badge counts it, live.
      await ada$.locator("#chat-badge .unread-badge", { hasText: "1" }).waitFor();
      expect(await isSamePage(ada$)).toBe(true);

      await ada$.goto(`/chat/${conversation}`);
      await streamOpen(ada$);
      await ada$.locator("#message-list .message-text", { hasText: "Hello Ada, are you there?" }).waitFor();
      // Bob's dot beside his message: he has a page open.
      const bobDot = ada$.locator(`#message-list span.presence[sse-swap="presence-${bob.id}"]`).first();
      expect(await bobDot.getAttribute("class")).toMatch(/presence-(online|away)/);
      await markPage(ada$);

      // Live both ways, in order.
      await ada$.locator("#composer-text").fill("Yes! **Bold** hello");
      await ada$.getByRole("button", { name: "Send", exact: true }).click();
      await bob$.locator("#message-list strong", { hasText: "Bold" }).waitFor();
      await bob$.locator("#composer-text").fill("Great");
      await bob$.locator("#composer-text").press("Enter");
      await ada$.locator("#message-list .message-text", { hasText: "Great" }).waitFor();
      expect(await isSamePage(ada$)).toBe(true);

      // Bob sets "do not disturb": his dot changes on Ada's page without a reload.
      await apiCall(e2e, "/api/presence/status", { method: "PUT", json: { status: "dnd", text: "Focus time" }, token: bob.bearer });
      await ada$.locator(`#message-list span.presence-dnd[sse-swap="presence-${bob.id}"]`).first().waitFor();

      // The server dies mid-conversation and comes back on the same port and database.
      await e2e.restart();
      // Written while Ada's page is still reconnecting: it must arrive once the stream resumes.
      await apiCall(e2e, `/api/conversations/${conversation}/messages`, { json: { text: "Sent while you were reconnecting" }, token: bob.bearer });
      await ada$.locator("#message-list .message-text", { hasText: "Sent while you were reconnecting" }).waitFor({ timeout: 30_000 });
      await apiCall(e2e, `/api/conversations/${conversation}/messages`, { json: { text: "And one after" }, token: bob.bearer });
      await ada$.locator("#message-list .message-text", { hasText: "And one after" }).waitFor();
      expect(await isSamePage(ada$)).toBe(true);

      // Nothing lost, nothing doubled: the page shows each message once, in order.
      const texts = await ada$.locator("#message-list .message-text").allInnerTexts();
      expect(texts.map((text) => text.trim())).toEqual(["Hello Ada, are you there?", "Yes! Bold hello", "Great", "Sent while you were reconnecting", "And one after"]);

      const unexpected = [...adaSession.errors, ...bobSession.errors].filter((error) => !whileDown.test(error));
      expect(unexpected).toEqual([]);
      await adaSession.context.close();
      await bobSession.context.close();
      expect(e2e.serverErrors()).toEqual([]);
    },
    TIMEOUT,
  );

  test(
    "with JavaScript off: post with the form, the page reloads with the message; reply and react with plain forms",
    async () => {
      const { context, page, errors } = await e2e.newPage({ javaScriptEnabled: false });
      await signInAs(page, bob.email);
      await page.goto(`/chat/${conversation}`);
      await page.locator("#composer-text").fill("Typed without JavaScript");
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await page.waitForURL((url) => url.pathname === `/chat/${conversation}` && url.hash === "#latest");
      await page.locator("#message-list .message-text", { hasText: "Typed without JavaScript" }).waitFor();
      // Reply: the link opens the composer with the quote.
      await page.locator(".message", { hasText: "And one after" }).getByRole("link", { name: "Reply" }).click();
      await page.locator(".composer-reply", { hasText: "And one after" }).waitFor();
      await page.locator("#composer-text").fill("Replying, no JS");
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await page.locator(".message", { hasText: "Replying, no JS" }).locator(".message-quote", { hasText: "And one after" }).waitFor();
      // An empty message is refused beside the field.
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await page.locator("#composer-text-error", { hasText: "Write a message first." }).waitFor();
      expect(errors.filter((error) => !/status of 400/.test(error))).toEqual([]);
      await context.close();
    },
    TIMEOUT,
  );
});
