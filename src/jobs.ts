// The scheduled job: everything the platform does on its own, in one place for both runtimes. Bun
// runs it once a minute in the process (src/runtime/bun.ts); Workers run it from the Cron Trigger
// of wrangler.toml (src/runtime/worker.ts `scheduled`). Every task is safe to run on several
// instances at once (claims in transactions, idempotent deletes), so no instance needs to lead.
import { payDueTransfers, usageJob } from "./features/billing";
import type { Deps } from "./deps";
import { PERSONAL_DATA } from "./personal-data";
import { pruneAudit } from "./features/audit";
import { pruneExpiredSessions, pruneExpiredTokens } from "./features/auth";
import { pruneUnsentAttachments, UNSENT_ATTACHMENT_MS } from "./features/chat";
import { pruneOutbox } from "./features/mailer";
import { pruneExports, runExports } from "./features/exports";
import { refreshDueSubscriptions, sendDueReminders } from "./features/calendar";
import { runErasures } from "./features/erasure";
import { sendDueWebhooks } from "./features/modules";
import { sendDigests } from "./features/notifications";
import { presenceTick } from "./features/presence";
import { LONGEST_WINDOW_MS, pruneHits } from "./features/ratelimit";
import { pruneEvents } from "./features/realtime";

export interface JobTask {
  name: string;
  /** Returns what it did (a count, or a summary) for the run's log line. */
  run(deps: Deps, now: number): Promise<unknown>;
}

export interface JobOptions {
  /** Bun keeps presence fresh on its own faster timer (startPresence); Workers have only the cron. */
  presence: boolean;
  /** Likewise reminders: Bun sends them from its own 15-second timer (runtime/bun.ts); Workers each minute. */
  reminders: boolean;
}

const DAY_MS = 24 * 3600_000;

/**
 * The retention policy: what is kept how long (the RETENTION_* and EVENTS_RETENTION_HOURS settings;
 * docs/privacy.md has the table). Each run deletes at most PRUNE_BATCH rows per table, so a backlog
 * clears over a few runs without holding the write lock.
 */
export function retentionTasks(): JobTask[] {
  return [
    { name: "sessions", run: (deps, now) => pruneExpiredSessions(deps, now, deps.config.RETENTION_SESSION_DAYS * DAY_MS) },
    { name: "signInTokens", run: (deps, now) => pruneExpiredTokens(deps, now) },
    { name: "rateLimitHits", run: (deps, now) => pruneHits(deps.db, now - LONGEST_WINDOW_MS) },
    { name: "events", run: (deps, now) => pruneEvents(deps.db, now - deps.config.EVENTS_RETENTION_HOURS * 3600_000) },
    { name: "outbox", run: (deps, now) => pruneOutbox(deps.db, now - deps.config.RETENTION_MAIL_DAYS * DAY_MS) },
    { name: "audit", run: (deps, now) => pruneAudit(deps.db, now - deps.config.RETENTION_AUDIT_DAYS * DAY_MS) },
    { name: "unsentAttachments", run: (deps, now) => pruneUnsentAttachments(deps, now - UNSENT_ATTACHMENT_MS) },
    { name: "expiredExports", run: (deps, now) => pruneExports(deps, now) },
  ];
}

export function scheduledTasks(options: JobOptions): JobTask[] {
  return [
    ...retentionTasks(),
    { name: "digests", run: async (deps) => (await sendDigests(deps)).mailed },
    { name: "exports", run: (deps) => runExports(deps, PERSONAL_DATA) },
    { name: "erasures", run: (deps, now) => runErasures(deps, PERSONAL_DATA, now) },
    { name: "calendarSubscriptions", run: (deps) => refreshDueSubscriptions(deps) },
    { name: "moduleWebhooks", run: async (deps) => (await sendDueWebhooks(deps)).sent },
    // Transfers that failed or waited for a developer's Stripe account are tried again.
    { name: "developerTransfers", run: (deps) => payDueTransfers(deps) },
    { name: "billingUsage", run: (deps) => usageJob(deps) },
    ...(options.presence ? [{ name: "presence", run: (deps: Deps) => presenceTick(deps) }] : []),
    ...(options.reminders ? [{ name: "reminders", run: (deps: Deps) => sendDueReminders(deps) }] : []),
  ];
}

export interface JobReport {
  done: Record<string, unknown>;
  failed: Record<string, string>;
}

/** Runs every task side by side; one failing does not stop the others. Logs one line per run. */
export async function runScheduledJobs(deps: Deps, tasks: JobTask[], now = deps.now()): Promise<JobReport> {
  const results = await Promise.allSettled(tasks.map((task) => task.run(deps, now)));
  const report: JobReport = { done: {}, failed: {} };
  results.forEach((result, index) => {
    const name = tasks[index]!.name;
    if (result.status === "fulfilled") report.done[name] = result.value ?? true;
    else report.failed[name] = String(result.reason);
  });
  for (const [name, error] of Object.entries(report.failed)) deps.log({ level: "error", msg: "scheduled task failed", task: name, error });
  deps.log({ level: "info", msg: "scheduled", ...report.done });
  return report;
}
