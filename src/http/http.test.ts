import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { eq } from "drizzle-orm";
import { users } from "../schema";
import { createApp } from "../app";
import { AppError } from "../lib/errors";
import { createTestApp, loginToken, registerUser, type TestApp } from "../test/app";
import { handleError, handleNotFound } from "./errors";
import type { AppEnv } from "./types";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await registerUser(t.app, "csrf@example.com");
});
afterAll(() => t.close());

describe("secure headers", () => {
  test("every response carries HSTS, nosniff, a referrer policy, no framing and a strict CSP", async () => {
    for (const path of ["/login", "/health", "/api/auth/me", "/nowhere"]) {
      const response = await t.app.request(path);
      expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      const csp = response.headers.get("content-security-policy")!;
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).not.toContain("unsafe-eval");
      expect(response.headers.get("x-request-id")).toBeTruthy();
    }
  });

  test("pages have no inline script and configure htmx without eval", async () => {
    const html = await (await t.app.request("/login")).text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).toContain('src="/static/htmx.min.js"');
    expect(html).toContain("&quot;allowEval&quot;:false");
  });
});

describe("static files", () => {
  test("static/htmx.min.js is the pinned htmx.org release from package.json", async () => {
    const pinned = (await import("../../package.json")).devDependencies["htmx.org"];
    const shipped = await Bun.file(new URL("../../node_modules/htmx.org/dist/htmx.min.js", import.meta.url)).text();
    const served = await Bun.file(new URL("../../static/htmx.min.js", import.meta.url)).text();
    expect((await import("htmx.org/package.json")).version).toBe(pinned);
    expect(served).toBe(shipped);
  });

  test("the scripts a page loads stay under the 25 KB gzipped budget", async () => {
    // The sign-in page loads the most: htmx, app.js and the passkey script.
    const html = await (await t.app.request("/login")).text();
    const sources = [...html.matchAll(/<script[^>]*\ssrc="\/static\/([^"]+)"/g)].map((m) => m[1]!);
    expect(sources).toEqual(["htmx.min.js", "app.js", "passkeys.js"]);
    let gzipped = 0;
    for (const source of sources) gzipped += Bun.gzipSync(await Bun.file(new URL(`../../static/${source}`, import.meta.url)).bytes()).length;
    expect(gzipped).toBeLessThan(25 * 1024);
  });

  test("a signed-in page (the chat, the heaviest) stays under the budget with the live stream's extension, chat.js, calendar.js and the module bridge", async () => {
    const { signedInBrowser } = await import("../test/app");
    const browser = await signedInBrowser(t.app, "csrf@example.com");
    const html = await (await browser.request("/chat")).text();
    const sources = [...html.matchAll(/<script[^>]*\ssrc="\/static\/([^"]+)"/g)].map((m) => m[1]!);
    expect(sources).toEqual(["htmx.min.js", "htmx-ext-sse.min.js", "app.js", "chat.js", "calendar.js", "module-bridge.js"]);
    let gzipped = 0;
    for (const source of sources) gzipped += Bun.gzipSync(await Bun.file(new URL(`../../static/${source}`, import.meta.url)).bytes()).length;
    expect(gzipped).toBeLessThan(25 * 1024);
  });

  test("static/htmx-ext-sse.min.js is the pinned htmx-ext-sse release", async () => {
    const pinned = (await import("../../package.json")).devDependencies["htmx-ext-sse"];
    expect((await import("htmx-ext-sse/package.json")).version).toBe(pinned);
    const shipped = await Bun.file(new URL("../../node_modules/htmx-ext-sse/dist/sse.min.js", import.meta.url)).text();
    expect(await Bun.file(new URL("../../static/htmx-ext-sse.min.js", import.meta.url)).text()).toBe(shipped);
  });
});

describe("CSRF", () => {
  const login = (headers: Record<string, string>) =>
    t.app.request("http://localhost/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ email: "csrf@example.com", password: "correct horse battery staple" }),
    });

  test("a cross-site request is refused with a JSON 403 under /api", async () => {
    const crossOrigin = await login({ origin: "https://evil.example" });
    expect(crossOrigin.status).toBe(403);
    expect(((await crossOrigin.json()) as { error: { code: string } }).error.code).toBe("csrf_rejected");
    expect((await login({ "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await login({ "sec-fetch-site": "same-site" })).status).toBe(403);
    expect((await login({ origin: "null" })).status).toBe(403);
  });

  test("same-origin browsers and non-browser clients pass", async () => {
    expect((await login({ origin: "http://localhost", "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await login({})).status).toBe(200);
  });

  test("form posts from another site are refused with an HTML page", async () => {
    const response = await t.app.request("http://localhost/logout", { method: "POST", headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("text/html");
  });

  test("a cookie-authenticated state change from another site does nothing", async () => {
    const token = await loginToken(t.app, "csrf@example.com");
    const response = await t.app.request("http://localhost/api/auth/logout", { method: "POST", headers: { cookie: `session=${token}`, "sec-fetch-site": "cross-site" } });
    expect(response.status).toBe(403);
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  test("GET never changes state: there is no GET logout", async () => {
    const token = await loginToken(t.app, "csrf@example.com");
    const response = await t.app.request("/logout", { headers: { cookie: `session=${token}` } });
    expect(response.status).toBe(404);
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});

describe("errors", () => {
  test("unknown API paths answer JSON 404, unknown pages an HTML 404 page", async () => {
    const api = await t.app.request("/api/nothing-here");
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: { code: "not_found", message: "No such endpoint.", details: {} } });
    const page = await t.app.request("/nothing-here");
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain("Page not found");
    expect(html).toContain("<header");
  });

  test("an unexpected failure is a 500 without a stack trace, logged with the request id", async () => {
    const logged: Record<string, unknown>[] = [];
    const app = new Hono<AppEnv>();
    app.use(async (c, next) => {
      c.set("deps", { ...t.deps, log: (entry) => logged.push(entry) });
      c.set("requestId", "req-1");
      c.set("user", null);
      await next();
    });
    app.onError(handleError);
    app.notFound(handleNotFound);
    app.get("/api/boom", () => {
      throw new Error("secret internals at /srv/app.ts:12");
    });
    app.get("/boom", () => {
      throw new Error("secret internals at /srv/app.ts:12");
    });
    app.get("/api/teapot", () => {
      throw new AppError(409, "conflict", "Already there", { field: "x" });
    });
    const api = await app.request("/api/boom");
    expect(api.status).toBe(500);
    const text = await api.text();
    expect(text).not.toContain("secret internals");
    expect(JSON.parse(text).error.code).toBe("internal_error");
    const page = await app.request("/boom");
    expect(page.status).toBe(500);
    expect(await page.text()).not.toContain("secret internals");
    expect(logged.some((e) => e.requestId === "req-1" && String(e.error).includes("secret internals"))).toBe(true);
    expect(await (await app.request("/api/teapot")).json()).toEqual({ error: { code: "conflict", message: "Already there", details: { field: "x" } } });
  });

  test("an oversized body is a 413, not a 500", async () => {
    const response = await t.app.request("/api/auth/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ acceptTerms: true, email: "big@example.com", password: "x".repeat(2_000_000), name: "Big" }),
    });
    expect(response.status).toBe(413);
  });
});

describe("request log", () => {
  test("one structured line per request with method, path, status, duration and request id", async () => {
    const lines: Record<string, unknown>[] = [];
    const app = createApp({ ...t.deps, log: (entry) => lines.push(entry) });
    await app.request("/health", { headers: { "x-request-id": "trace-42" } });
    const requestLines = lines.filter((l) => l.msg === "request");
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({ method: "GET", path: "/health", status: 200, requestId: "trace-42" });
    expect(typeof requestLines[0]!.durationMs).toBe("number");
  });
});

describe("secrets in URLs", () => {
  test("one-time link tokens never reach the request log; other paths keep their ids", async () => {
    const lines: Record<string, unknown>[] = [];
    const app = createApp({ ...t.deps, log: (entry) => lines.push(entry) });
    const token = "abcdefghijklmnopqrstuvwxyz234567";
    const paths = [
      `/invitations/${token}`,
      `/invitations/${token}/accept`,
      `/verify-email/${token}`,
      `/reset-password/${token}?utm=${token}`,
      `/invitations/received/inv123`,
      `/verify-email/resend`,
    ];
    for (const path of paths) await app.request(path, { method: path.endsWith("accept") ? "POST" : "GET" });
    const logged = lines.filter((l) => l.msg === "request").map((l) => l.path);
    expect(JSON.stringify(lines)).not.toContain(token);
    expect(logged).toEqual([
      "/invitations/:token",
      "/invitations/:token/accept",
      "/verify-email/:token",
      "/reset-password/:token",
      "/invitations/received/inv123",
      "/verify-email/resend",
    ]);
  });
});

describe("caching", () => {
  test("JSON answers, errors included, say Cache-Control: no-store", async () => {
    const token = await loginToken(t.app, "csrf@example.com");
    for (const path of ["/api/auth/me", "/api/auth/sessions", "/api/businesses", "/api/nothing-here"]) {
      const response = await t.app.request(path, { headers: { authorization: `Bearer ${token}` } });
      expect(response.headers.get("cache-control")).toBe("no-store");
    }
    expect((await t.app.request("/api/auth/me")).headers.get("cache-control")).toBe("no-store");
  });
});

describe("health", () => {
  const HEALTH_TOKEN = "monitor-token-0123456789abcdef";

  test("200 while the database answers: only ok to the world, the details to a platform admin", async () => {
    const response = await t.app.request("/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    await registerUser(t.app, "health-admin@example.com", "Health Admin");
    await t.deps.db.update(users).set({ isPlatformAdmin: true }).where(eq(users.email, "health-admin@example.com"));
    const admin = await loginToken(t.app, "health-admin@example.com");
    expect(await (await t.app.request("/health", { headers: { authorization: `Bearer ${admin}` } })).json()).toEqual({ status: "ok", db: "ok" });
    await registerUser(t.app, "health-member@example.com", "Health Member");
    const member = await loginToken(t.app, "health-member@example.com");
    expect(await (await t.app.request("/health", { headers: { authorization: `Bearer ${member}` } })).json()).toEqual({ status: "ok" });
  });

  test("503 when the database is unreachable; why only with the monitor's token", async () => {
    const broken = await createTestApp({ HEALTH_TOKEN });
    broken.close();
    const world = await broken.app.request("/health");
    expect(world.status).toBe(503);
    expect(await world.json()).toEqual({ status: "error" });
    const wrong = await broken.app.request("/health", { headers: { authorization: "Bearer monitor-token-0123456789abcdeX" } });
    expect(await wrong.json()).toEqual({ status: "error" });
    const monitor = await broken.app.request("/health", { headers: { authorization: `Bearer ${HEALTH_TOKEN}` } });
    expect(monitor.status).toBe(503);
    const body = (await monitor.json()) as { status: string; db: string; reason: string };
    expect(body.status).toBe("error");
    expect(body.db).toBe("unreachable");
    expect(body.reason.length).toBeGreaterThan(0);
  });
});
