// The Workers entry: Deps from env bindings, built once per isolate on its first request.
// Migrations do not run here (the migrator reads drizzle/ from disk): before a deploy, run
// `DATABASE_URL=libsql://… DATABASE_AUTH_TOKEN=… npm run db:migrate`.
import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import { createApp, type App } from "../app";
import { ConfigError, parseConfig, type Config } from "../config";
import { jsonLogger, type Deps } from "../deps";
import { billingEntitlements, stripeClient } from "../features/billing";
import { fetchHop, outsideFetcher } from "../lib/outside-fetch";
import { outboxMailer } from "../features/mailer";
import { liveSignal, WORKER_TIMING, withStreamSeconds } from "../features/realtime";
import { runScheduledJobs, scheduledTasks } from "../jobs";
import { clientAddressFrom } from "../http/client-address";
import { portablePasswordHasher } from "../lib/password";
import { r2Storage, type R2BucketBinding } from "./r2-storage";
// Only types that do not clash with the DOM/Bun Request and Response the rest of the app uses.
import type { ExecutionContext, ScheduledController } from "@cloudflare/workers-types";

/** The bindings wrangler.toml declares; vars and secrets arrive as strings. */
interface Env {
  /** The [assets] binding: a Fetcher, typed here over the DOM Request and Response. */
  ASSETS: { fetch(request: Request): Promise<Response> };
  /** The [[r2_buckets]] binding for uploaded files (business logos). */
  UPLOADS?: R2BucketBinding;
  [name: string]: unknown;
}

const REMOTE_DATABASE = /^(libsql|https?|wss?):\/\//;

function buildDeps(env: Env): Deps {
  const strings = Object.fromEntries(Object.entries(env).filter(([, value]) => typeof value === "string")) as Record<string, string>;
  const config: Config = parseConfig(strings);
  if (!REMOTE_DATABASE.test(config.DATABASE_URL)) {
    throw new ConfigError(
      "Invalid configuration:\n  DATABASE_URL: Workers need a libsql://, https://, http:// or ws(s):// database " +
        `(got "${config.DATABASE_URL.split(":")[0]}:…"); set it with \`wrangler secret put DATABASE_URL\` or in .dev.vars`,
    );
  }
  const client = createClient({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
  const db = drizzle(client);
  return {
    config,
    db,
    now: Date.now,
    passwords: portablePasswordHasher,
    clientAddress: clientAddressFrom(config, (c) => c.req.header("cf-connecting-ip") ?? ""),
    // Unbound, workerd throws "Illegal invocation" when it is called as deps.fetch(…).
    fetch: globalThis.fetch.bind(globalThis),
    log: jsonLogger(config),
    // No SMTP socket on Workers: the outbox in the app is the transport.
    mailer: outboxMailer({ db, now: Date.now }),
    storage: r2Storage(env.UPLOADS),
    live: liveSignal(withStreamSeconds(WORKER_TIMING, config.EVENTS_STREAM_SECONDS)),
    fetchOutside: outsideFetcher(fetchHop, config.OUTSIDE_FETCH_PRIVATE === "on"),
    entitlements: billingEntitlements(db, Date.now),
    stripe: stripeClient(config),
  };
}

let deps: Deps | undefined;
let app: App | undefined;

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/static/")) {
      url.pathname = url.pathname.slice("/static".length);
      const asset = await env.ASSETS.fetch(new Request(url, request));
      // Like Bun's serveStatic, a missing file falls through to the app's own 404 page.
      if (asset.status !== 404) return asset;
    }
    if (!app) {
      try {
        deps ??= buildDeps(env);
        app = createApp(deps);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", msg: error.message }));
        return new Response(`${error.message}\n`, { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
      }
    }
    return app.fetch(request, env, ctx);
  },

  /**
   * The Cron Trigger of wrangler.toml (every minute): the scheduled job of src/jobs.ts, as Bun runs
   * it in the process. A failed task is logged and fails the run.
   */
  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    deps ??= buildDeps(env);
    const report = await runScheduledJobs(deps, scheduledTasks({ presence: true, reminders: true }));
    const failed = Object.keys(report.failed);
    if (failed.length) throw new Error(`scheduled task(s) failed (${controller.cron}): ${failed.join(", ")}`);
  },
};
