// End-to-end support: a real server process on a free port with a fresh database, and headless Chromium.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { watchAccessibility } from "./accessibility";
import { startServerProcess } from "../../src/test/server-process";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface E2E {
  baseUrl: string;
  browser: Browser;
  /**
   * A new browser context (own cookies) and a page in it that records console errors and
   * accessibility violations (see `watchAccessibility`); closing the context throws on any violation.
   */
  newPage(options?: { javaScriptEnabled?: boolean }): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  /** Server log lines at level "error" (a 500 writes one). */
  serverErrors(): string[];
  /**
   * The path of the newest link starting with `prefix` in a mail the server sent to `email`, read
   * from the outbox table in the server's database — as the recipient would read their inbox (the
   * outbox pages redact links for human readers).
   */
  mailLink(email: string, prefix: string): Promise<string>;
  /** Follows the newest confirmation link mailed to `email` in `page` and presses Confirm. */
  confirmAddress(page: Page, email: string): Promise<void>;
  /**
   * Kills the server (SIGKILL, as a crash would) and starts it again on the same port and database; `env` adds
   * variables to the new process (an operator publishing new terms: TERMS_VERSION).
   */
  restart(env?: Record<string, string>): Promise<void>;
  /** The server's database, for setting up what the UI cannot (memberships without invitations). */
  database: ReturnType<typeof createClient>;
  stop(): Promise<void>;
}

// A 4xx answer to a form (422 invalid, 401 wrong credentials) is expected; Chromium logs each one.
const EXPECTED_CONSOLE = /^Failed to load resource: the server responded with a status of (401|422)\b/;

export async function startE2E(options: { host?: "127.0.0.1" | "localhost"; env?: Record<string, string> } = {}): Promise<E2E> {
  const logDir = mkdtempSync(join(tmpdir(), "bob-e2e-"));
  const logFile = join(logDir, "server.log");
  let server = await startServerProcess({ stdout: Bun.file(logFile), host: options.host, env: options.env });
  const { baseUrl } = server;
  const first = server;
  const databaseUrl = `file:${join(server.dir, "app.db")}`;
  const database = createClient({ url: databaseUrl });
  const logFiles = [logFile];

  let browser: Browser | undefined;
  const stop = async () => {
    database.close();
    await browser?.close().catch(() => {});
    await server.stop();
    if (server !== first) await first.stop();
    rmSync(logDir, { recursive: true, force: true });
  };

  try {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  } catch (error) {
    await stop();
    throw error;
  }

  const e2e: E2E = {
    baseUrl,
    browser,
    async newPage(options = {}) {
      const context = await browser!.newContext({ baseURL: baseUrl, javaScriptEnabled: options.javaScriptEnabled ?? true });
      context.setDefaultTimeout(10_000);
      // Chromium logs CSP violations to the console already; this makes sure each one is an error there.
      await context.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (event) => {
          const where = event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}` : "";
          console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}${where} on ${location.pathname}`);
        });
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" && !EXPECTED_CONSOLE.test(message.text())) errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
      await watchAccessibility(context, page, errors);
      return { context, page, errors };
    },
    serverErrors() {
      return logFiles
        .flatMap((file) => readFileSync(file, "utf8").split("\n"))
        .filter((line) => line.includes('"level":"error"'));
    },
    database,
    async restart(env = {}) {
      await server.kill();
      const next = join(logDir, `server-${logFiles.length}.log`);
      logFiles.push(next);
      server = await startServerProcess({ stdout: Bun.file(next), host: options.host, port: Number(new URL(baseUrl).port), databaseUrl, env });
    },
    async mailLink(email, prefix) {
      const { rows } = await database.execute({ sql: "select text_body from outbox where to_address = ? order by created_at desc, rowid desc", args: [email] });
      for (const row of rows) {
        for (const found of String(row.text_body).match(/https?:\/\/\S+/g) ?? []) {
          const link = new URL(found);
          if (link.origin === baseUrl && link.pathname.startsWith(prefix)) return link.pathname;
        }
      }
      throw new Error(`no ${prefix} link mailed to ${email}`);
    },
    async confirmAddress(page, email) {
      await page.goto(await e2e.mailLink(email, "/verify-email/"));
      await page.locator("main").getByRole("button", { name: "Confirm", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Address confirmed" }).waitFor();
    },
    stop,
  };
  return e2e;
}

declare global {
  interface Window {
    __samePage?: boolean;
  }
}

export const path = (page: Page) => new URL(page.url()).pathname;

/** Marks the document; `isSamePage` stays true until a page load replaces it or a whole page is swapped into it. */
export async function markPage(page: Page) {
  await page.evaluate(() => (window.__samePage = true));
}

export async function isSamePage(page: Page) {
  return page.evaluate(() => window.__samePage === true && document.querySelectorAll("main, .app-header").length === 2);
}


/** The password of the accounts the journeys make through the JSON API. */
export const JOURNEY_PASSWORD = "correct horse battery";

/** A JSON request to the server (POST unless said), as a script would; throws on anything but 2xx. */
export async function apiCall(e2e: E2E, path: string, init: { method?: string; json?: unknown; token?: string } = {}) {
  const response = await fetch(`${e2e.baseUrl}${path}`, {
    method: init.method ?? "POST",
    headers: { "content-type": "application/json", ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, any>>;
}

/** An account with a confirmed address, made through the JSON API: its id, address and a bearer token. */
export async function confirmedAccount(e2e: E2E, name: string, email: string) {
  const { user } = await apiCall(e2e, "/api/auth/register", { json: { name, email, password: JOURNEY_PASSWORD, acceptTerms: true } });
  const token = (await e2e.mailLink(email, "/verify-email/")).split("/").pop();
  await apiCall(e2e, "/api/auth/email/verify", { json: { token } });
  const { token: bearer } = await apiCall(e2e, "/api/auth/login", { json: { email, password: JOURNEY_PASSWORD } });
  return { id: user.id as string, email, bearer: bearer as string };
}

/** Signs in through the form (with JOURNEY_PASSWORD) and waits for /home. */
export async function signInAs(page: Page, email: string) {
  await page.goto("/login");
  const form = page.locator("#login-form");
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Password", { exact: true }).fill(JOURNEY_PASSWORD);
  await form.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/home");
}

/** A new page (as e2e.newPage) that notes when its live stream opens, for `streamOpen`. */
export async function livePage(e2e: E2E) {
  const session = await e2e.newPage();
  await session.context.addInitScript(() => {
    document.addEventListener("htmx:sseOpen", () => ((window as unknown as { __sseOpen?: number }).__sseOpen = Date.now()));
  });
  return session;
}

/** Resolves once the page's live stream is open (htmx's SSE extension says so; see `livePage`). */
export async function streamOpen(page: Page) {
  await page.waitForFunction(() => (window as unknown as { __sseOpen?: number }).__sseOpen !== undefined);
}

/** The sample module (examples/sample-module) on a local server of its own: another origin, as a module's would be. */
export async function startSampleModule(platformOrigin: string): Promise<{ origin: string; stop: () => void }> {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port;
  probe.stop(true);
  const origin = `http://127.0.0.1:${port}`;
  const child = Bun.spawn([process.execPath, "examples/sample-module/server.ts"], { env: { PATH: process.env.PATH ?? "", PORT: String(port), PLATFORM_ORIGIN: platformOrigin }, stdout: "ignore", stderr: "inherit" });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${origin}/app`).then((r) => r.ok, () => false)) break;
    await Bun.sleep(50);
  }
  return { origin, stop: () => child.kill() };
}
