// Marketplace modules in headless Chromium (issue 14): the sample module (examples/sample-module) runs on a second
// local server — another origin — and is installed into a business from the marketplace's consent screen. In its
// tab it gets a token over the bridge, reads the person's context, adds an event that the calendar then shows, and
// sends a notification the header's bell counts live. A frame reaching for parent.document or the top window, and
// a message from anything but the frame, get nowhere; the bridge resizes the frame within bounds and moves the page
// only within the space (the sample's "Open this space's calendar"). Suspending the module turns its tab into the suspended state
// without a reload.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { apiCall, confirmedAccount, isSamePage, livePage, markPage, signInAs, startE2E, startSampleModule, streamOpen, type E2E } from "./support";

const TIMEOUT = 120_000;

let e2e: E2E;
let sample: { origin: string; stop: () => void };
let sampleOrigin: string;

beforeAll(async () => {
  e2e = await startE2E({ env: { MODULES_LOCAL_URLS: "on" } });
  sample = await startSampleModule(e2e.baseUrl);
  sampleOrigin = sample.origin;
});
afterAll(async () => {
  sample?.stop();
  await e2e?.stop();
});

test(
  "the sample module in a business tab: bridge token, context, calendar event, live notification; escapes blocked; suspension live",
  async () => {
    const admin = await confirmedAccount(e2e, "Ada Admin", "ada.modules@example.com");
    await e2e.database.execute({ sql: "update users set is_platform_admin = 1 where id = ?", args: [admin.id] });
    const dev = await confirmedAccount(e2e, "Dana Dev", "dana.modules@example.com");
    const owner = await confirmedAccount(e2e, "Olive Owner", "olive.modules@example.com");
    const { business } = await apiCall(e2e, "/api/businesses", { json: { name: "Modules Ltd", kind: "company" }, token: owner.bearer });
    const { business: otherBusiness } = await apiCall(e2e, "/api/businesses", { json: { name: "Olive's Other Ltd", kind: "company" }, token: owner.bearer });

    await apiCall(e2e, "/api/developer", { token: dev.bearer });
    const { module } = await apiCall(e2e, "/api/developer/modules", { json: { slug: "sample", name: "Sample Module", description: "The sample.", category: "productivity", contexts: ["business", "personal"] }, token: dev.bearer });
    const manifest = { entryUrl: `${sampleOrigin}/app`, scopes: ["profile.read", "context.read", "calendar.write", "notifications.send"], bridge: ["ready", "getToken", "navigate", "notify", "resize"] };
    await apiCall(e2e, `/api/developer/modules/${module.id}/versions`, { json: { version: "1.0.0", manifest }, token: dev.bearer });
    await apiCall(e2e, `/api/admin/modules/${module.id}/versions/1.0.0/approve`, { token: admin.bearer });

    // Olive installs it from the marketplace, through the consent screen.
    const side = await livePage(e2e);
    const { page } = side;
    await signInAs(page, owner.email);
    await page.goto("/marketplace");
    await page.getByRole("link", { name: "Sample Module" }).click();
    await page.locator("li", { hasText: "Modules Ltd" }).getByRole("link", { name: "Install" }).click();
    await page.getByRole("heading", { name: "Install Sample Module 1.0.0 in Modules Ltd?" }).waitFor();
    const tokenRequests: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/token")) tokenRequests.push(request.url());
    });
    await page.getByRole("button", { name: "Allow and install" }).click();
    await page.waitForURL(`**/business/${business.id}/workspace/m/${module.id}`);
    await streamOpen(page);

    // In its tab: the module got a token over the bridge and read the context through its own server.
    const frame = page.frameLocator("iframe[data-module-frame]");
    await frame.getByText("Hello Olive Owner in Modules Ltd (business)").waitFor();
    expect(tokenRequests.length).toBe(1);
    expect(await page.locator("[data-module-loading]").isHidden()).toBe(true);

    // It adds an event, which the business calendar shows.
    await frame.getByRole("button", { name: /Add “Planning with the sample module”/ }).click();
    await frame.getByText(/Event added: Planning with the sample module/).waitFor();
    // It sends a notification: the bell counts it live, and the bridge's notify shows a toast.
    await frame.getByRole("button", { name: "Send me a notification" }).click();
    await page.locator("#notification-count").getByText("1").waitFor();
    await page.locator("#toast").getByText("The sample module sent you a notification.").waitFor();

    // What a malicious frame would try.
    const moduleFrame = page.frames().find((f) => f.url().startsWith(sampleOrigin))!;
    expect(await moduleFrame.evaluate(() => { try { return String(window.parent.document.title); } catch (error) { return (error as Error).name; } })).toBe("SecurityError");
    const before = page.url();
    expect(await moduleFrame.evaluate(() => { try { window.top!.location.href = "https://example.com/phish"; return "navigated"; } catch (error) { return (error as Error).name; } })).toBe("SecurityError");
    expect(page.url()).toBe(before);
    // A message from anything but the frame (here the page itself, as another script would) gets no token: the
    // bridge would fetch one at once, and same-window messages arrive in order, so once a marker sent after it
    // arrives, the forged one has been handled.
    const fetchedTokens = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let tokenFetches = 0;
          const realFetch = window.fetch;
          window.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
            if (String(input).includes("/token")) tokenFetches++;
            return realFetch(input, init);
          }) as typeof fetch;
          window.addEventListener("message", (event) => {
            if (event.data === "marker") resolve(tokenFetches);
          });
          window.postMessage({ bob: 1, id: 99, type: "getToken" }, "*");
          window.postMessage("marker", "*");
        }),
    );
    expect(fetchedTokens).toBe(0);

    // The bridge as the module speaks it: a message to the platform's origin, the answer that carries its id.
    const bridge = (message: Record<string, unknown>) =>
      moduleFrame.evaluate(
        (message) =>
          new Promise<Record<string, unknown>>((resolve) => {
            const id = 1000 + Math.floor(Math.random() * 1e6);
            window.addEventListener("message", function answer(event) {
              if (event.data?.id !== id) return;
              window.removeEventListener("message", answer);
              resolve(event.data);
            });
            window.parent.postMessage({ bob: 1, id, ...message }, document.documentElement.getAttribute("data-platform")!);
          }),
        message,
      );
    const frameElement = page.locator("iframe[data-module-frame]");
    // resize: the sample asked for its own height once it started; a module's height is taken, out of range is not.
    await page.waitForFunction(() => /^\d+px$/.test(document.querySelector<HTMLIFrameElement>("iframe[data-module-frame]")!.style.height));
    expect(await bridge({ type: "resize", height: 640 })).toMatchObject({ type: "resized", height: 640 });
    expect((await frameElement.boundingBox())!.height).toBe(640);
    expect(await bridge({ type: "resize", height: 99_999 })).toMatchObject({ type: "error", error: "bad_height" });
    expect(await bridge({ type: "resize", height: 12 })).toMatchObject({ type: "error", error: "bad_height" });
    expect((await frameElement.boundingBox())!.height).toBe(640);
    // navigate: the ready answer names the space's pages; anywhere outside this space is refused and the page stays.
    expect(await bridge({ type: "ready" })).toMatchObject({ context: "business", home: `/business/${business.id}/workspace`, calendar: `/business/${business.id}/workspace/calendar` });
    const here = page.url();
    for (const path of [
      "//evil.example/",
      "https://evil.example/",
      "/\\evil.example",
      "javascript:alert(1)",
      "/admin-portal",
      `/business/${otherBusiness.id}/workspace`,
      `/business/${business.id}/workspaceX`,
      `/business/${business.id}/workspace/../../../admin-portal`,
      `/business/${business.id}/workspace/%2e%2e/x`,
      `/business/${business.id}/workspace?next=//evil.example`,
      `/business/${business.id}/workspace//evil.example`,
    ]) {
      expect({ path, answer: await bridge({ type: "navigate", path }) }).toMatchObject({ path, answer: { type: "error", error: "outside_context" } });
    }
    expect(page.url()).toBe(here);
    // The sample's own button asks for the space's calendar: the page moves to the business calendar tab.
    await frame.getByRole("button", { name: "Open this space’s calendar" }).click();
    await page.waitForURL(`**/business/${business.id}/workspace/calendar`);

    // The calendar shows what the module added; from the workspace, the tab bar opens the module again.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.goto(`/calendar?view=week&date=${tomorrow}`);
    await page.locator('.cal-ev:has-text("Planning with the sample module")').first().waitFor();

    await page.goto(`/business/${business.id}/workspace`);
    await page.locator("#workspace-tabs").getByRole("link", { name: "Sample Module" }).click();
    await page.waitForURL(`**/business/${business.id}/workspace/m/${module.id}`);
    await streamOpen(page);
    await frame.getByText("Hello Olive Owner in Modules Ltd (business)").waitFor();
    // Suspended by a platform admin in the admin portal (another browser): the open tab turns to the suspended state, no reload.
    await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
    const portal = await livePage(e2e);
    await signInAs(portal.page, admin.email);
    await portal.page.goto("/admin-portal/modules");
    const entry = portal.page.locator(".module-suspensions li", { hasText: "Sample Module" });
    await entry.getByLabel("Reason").fill("Checking a report.");
    await entry.getByRole("button", { name: "Suspend" }).click();
    await portal.page.locator(".module-suspensions li", { hasText: "Checking a report." }).waitFor();
    await page.getByText("This module is suspended").waitFor();
    expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
    expect(await page.locator("iframe[data-module-frame]").count()).toBe(0);
    // Lifted: the page loads again and the module runs.
    await portal.page.locator(".module-suspensions li", { hasText: "Sample Module" }).getByRole("button", { name: "Lift the suspension" }).click();
    await frame.getByText("Hello Olive Owner in Modules Ltd (business)").waitFor();
    expect(portal.errors).toEqual([]);
    await portal.context.close();

    // Chromium logs the refused top navigation as an error: that one is expected.
    expect(side.errors.filter((e) => !e.includes("Unsafe attempt to initiate navigation"))).toEqual([]);
    await side.context.close();
    expect(e2e.serverErrors()).toEqual([]);
  },
  TIMEOUT,
);

test(
  "a module that never says ready: after 15 s the tab says it did not start and offers to try again",
  async () => {
    const admin = await confirmedAccount(e2e, "Abe Admin", "abe.modules@example.com");
    await e2e.database.execute({ sql: "update users set is_platform_admin = 1 where id = ?", args: [admin.id] });
    const dev = await confirmedAccount(e2e, "Dora Dev", "dora.modules@example.com");
    const owner = await confirmedAccount(e2e, "Otto Owner", "otto.modules@example.com");
    const { business } = await apiCall(e2e, "/api/businesses", { json: { name: "Silent Ltd", kind: "company" }, token: owner.bearer });
    await apiCall(e2e, "/api/developer", { token: dev.bearer });
    // Its entry is a page of the sample's server that has no bridge script: it loads, and never says ready.
    const { module } = await apiCall(e2e, "/api/developer/modules", { json: { slug: "silent", name: "Silent Module", description: "Never ready.", category: "productivity", contexts: ["business"] }, token: dev.bearer });
    await apiCall(e2e, `/api/developer/modules/${module.id}/versions`, { json: { version: "1.0.0", manifest: { entryUrl: `${sampleOrigin}/not-a-page`, scopes: ["context.read"] } }, token: dev.bearer });
    await apiCall(e2e, `/api/admin/modules/${module.id}/versions/1.0.0/approve`, { token: admin.bearer });
    await apiCall(e2e, `/api/modules/${module.id}/installs`, { json: { context: `business:${business.id}`, scopes: ["context.read"] }, token: owner.bearer });

    const side = await livePage(e2e);
    const { page } = side;
    await signInAs(page, owner.email);
    await page.clock.install();
    await page.goto(`/business/${business.id}/workspace/m/${module.id}`);
    await page.getByText("Loading Silent Module…").waitFor();
    await page.clock.fastForward(14_000);
    expect(await page.locator("[data-module-error]").isHidden()).toBe(true);
    await page.clock.fastForward(1_500);
    await page.getByRole("alert").getByText("did not start").waitFor();
    expect(await page.locator("[data-module-loading]").isHidden()).toBe(true);
    expect(await page.locator("iframe[data-module-frame]").isHidden()).toBe(true);
    // Try again loads the tab's whole page afresh (the frame needs that response's CSP), loading state first.
    await markPage(page);
    await page.getByRole("link", { name: "Try again" }).click();
    await page.waitForURL(`**/business/${business.id}/workspace/m/${module.id}`);
    await page.getByText("Loading Silent Module…").waitFor();
    expect(await isSamePage(page)).toBe(false);

    await side.context.close();
    expect(e2e.serverErrors()).toEqual([]);
  },
  TIMEOUT,
);
