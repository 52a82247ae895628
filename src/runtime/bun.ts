// The Bun entry: an embedded libSQL file by default, static files from static/, one process.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { getConnInfo } from "hono/bun";
import { serveStatic } from "hono/bun";
import { Hono } from "hono";
import { createApp } from "../app";
import { ConfigError, parseConfig, type Config } from "../config";
import { openDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { jsonLogger, type Deps } from "../deps";
import { billingEntitlements, stripeClient } from "../features/billing";
import { seedDatabase } from "../seed";
import { BUN_TIMING, liveSignal, withStreamSeconds } from "../features/realtime";
import { startPresence } from "../features/presence";
import { runScheduledJobs, scheduledTasks } from "../jobs";
import { sendDueReminders } from "../features/calendar";
import { clientAddressFrom } from "../http/client-address";
import { bunMailer } from "./bun-mailer";
import { bunPasswordHasher } from "./bun-password";
import { diskStorage } from "./disk-storage";
import { bunHop } from "./bun-outside-fetch";
import { outsideFetcher } from "../lib/outside-fetch";

export async function buildBunDeps(config: Config): Promise<Deps & { close: () => void }> {
  const file = config.DATABASE_URL.startsWith("file:") ? config.DATABASE_URL.slice(5) : null;
  if (file) mkdirSync(dirname(file), { recursive: true });
  const { db, client } = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  await migrateDatabase(db);
  await seedDatabase(db, config.DEFAULT_COUNTRY);
  const log = jsonLogger(config);
  return {
    config,
    db,
    now: Date.now,
    passwords: bunPasswordHasher,
    clientAddress: clientAddressFrom(config, (c) => getConnInfo(c).remote.address ?? ""),
    fetch: globalThis.fetch,
    log,
    mailer: bunMailer(config, { db, now: Date.now, log }),
    storage: diskStorage(config.STORAGE_DIR),
    live: liveSignal(withStreamSeconds(BUN_TIMING, config.EVENTS_STREAM_SECONDS)),
    fetchOutside: outsideFetcher(bunHop, config.OUTSIDE_FETCH_PRIVATE === "on"),
    entitlements: billingEntitlements(db, Date.now),
    stripe: stripeClient(config),
    close: () => client.close(),
  };
}

/** The app plus static files: what `Bun.serve` answers with. */
export function withStatic(deps: Deps) {
  const site = new Hono();
  site.use(
    "/static/*",
    serveStatic({
      root: "./",
      onFound: (_path, c) => {
        c.header("Cache-Control", deps.config.isProduction ? "public, max-age=86400" : "no-cache");
      },
    }),
  );
  site.route("/", createApp(deps));
  return site;
}

if (import.meta.main) {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const deps = await buildBunDeps(config);
  const site = withStatic(deps);
  const server = Bun.serve({ port: config.PORT, fetch: site.fetch, idleTimeout: 120 });
  // The scheduled job (src/jobs.ts): pruning, digests, … Every task is safe on several instances at once.
  const tasks = scheduledTasks({ presence: false, reminders: false });
  const minutely = setInterval(() => void runScheduledJobs(deps, tasks).catch(() => {}), config.JOBS_INTERVAL_SECONDS * 1000);
  // Reminders on their own, faster timer: due within seconds, not a minute. The claim in the database keeps them single.
  const reminders = setInterval(() => void sendDueReminders(deps).catch((error) => deps.log({ level: "error", msg: "reminders failed", error: String(error) })), config.REMINDERS_INTERVAL_SECONDS * 1000);
  // One presence timer per process: refreshes this instance's connections, sweeps everyone's that ran out.
  const stopPresence = startPresence(deps);
  deps.log({ level: "info", msg: "listening", url: `http://localhost:${server.port}`, database: config.DATABASE_URL.split("?")[0]!.replace(/\/\/[^@/]*@/, "//***@"), mode: config.NODE_ENV });
  const stop = () => {
    clearInterval(minutely);
    clearInterval(reminders);
    stopPresence();
    server.stop();
    deps.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
