import { describe, expect, test } from "bun:test";
import { redirectAfterPost, render, wantsFragment } from "./render";
import { BOOSTED, bareApp, HTMX } from "./error-app.fixture";
import type { AppContext } from "./types";

function app() {
  const app = bareApp();
  app.get("/sync", (c: AppContext) => render(c, { title: "Sync", status: 422, fragment: <p id="frag">part</p>, page: () => <main id="page"><p id="frag">part</p></main> }));
  app.get("/async", (c: AppContext) =>
    render(c, { title: "Async", fragment: <p id="frag">part</p>, page: async () => <main id="page">{await Promise.resolve("loaded")}</main> }),
  );
  app.get("/alone", (c: AppContext) => render(c, { title: "Alone", fragment: <p id="frag">part</p> }));
  app.get("/wants", (c: AppContext) => c.text(String(wantsFragment(c))));
  app.post("/after", (c: AppContext) => redirectAfterPost(c, "/next"));
  return app;
}

describe("render", () => {
  test("htmx gets the fragment alone; a page load the page in the shell; the status either way", async () => {
    const fragment = await app().request("/sync", { headers: HTMX });
    expect(fragment.status).toBe(422);
    expect(fragment.headers.get("vary")).toContain("HX-Request");
    expect(fragment.headers.get("cache-control")).toBe("no-store");
    expect(await fragment.text()).toBe('<p id="frag">part</p>');
    const page = await app().request("/sync");
    expect(page.status).toBe(422);
    const html = await page.text();
    expect(html).toContain("<html");
    expect(html).toContain('<main id="page">');
    expect(html).toContain("<title>Sync");
  });

  test("a page builder may be async; it is built only for a whole page", async () => {
    const html = await (await app().request("/async")).text();
    expect(html).toContain('<main id="page">loaded</main>');
    expect(await (await app().request("/async", { headers: HTMX })).text()).toBe('<p id="frag">part</p>');
  });

  test("without a page the fragment stands alone in the shell; a boosted request gets the whole page", async () => {
    const html = await (await app().request("/alone", { headers: BOOSTED })).text();
    expect(html).toContain("<html");
    expect(html).toContain('<p id="frag">part</p>');
    expect(await (await app().request("/wants", { headers: BOOSTED })).text()).toBe("false");
    expect(await (await app().request("/wants", { headers: { ...HTMX, "hx-history-restore-request": "true" } })).text()).toBe("false");
    expect(await (await app().request("/wants", { headers: HTMX })).text()).toBe("true");
  });
});

describe("redirectAfterPost", () => {
  test("a 303 for a plain post, HX-Redirect (204) for any htmx request", async () => {
    const plain = await app().request("/after", { method: "POST" });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe("/next");
    for (const headers of [HTMX, BOOSTED]) {
      const htmx = await app().request("/after", { method: "POST", headers });
      expect(htmx.status).toBe(204);
      expect(htmx.headers.get("hx-redirect")).toBe("/next");
    }
  });
});
