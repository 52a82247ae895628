import type { Context } from "hono";
import type Stripe from "stripe";
import type { Config } from "./config";
import type { Db } from "./db/types";
import type { OutsideFetch } from "./lib/outside-fetch";
import type { PasswordHasher } from "./lib/password";

/** What storage hands back: the bytes (or a stream of them) and the type they were stored with. */
export interface StoredObject {
  body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>;
  contentType: string;
}

/**
 * Files kept outside the database (business logos): local disk on Bun, an R2 bucket on Workers.
 * Keys are ids the app generates (`a-z0-9_-` segments joined by `/`), never user-supplied paths.
 */
export interface Storage {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** null when there is no such object. */
  get(key: string): Promise<StoredObject | null>;
  /** Removing a missing object is not an error. */
  delete(key: string): Promise<void>;
}

/** One message to one person. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** An iMIP part (RFC 6047): calendar apps show it as an invitation (REQUEST) or a cancellation (CANCEL). */
  calendar?: { method: "REQUEST" | "CANCEL"; content: string };
}

/** What the message is about, so that business admins (or household owners and adults) can read it. */
export interface MailContext {
  businessId?: string | null;
  householdId?: string | null;
}

/**
 * What became of a message: "sent" (an SMTP server took it), "outbox" (no SMTP configured: the
 * outbox in the app is where it is read) or "failed" (SMTP refused or was unreachable; `error` says why).
 */
export interface MailDelivery {
  id: string;
  status: "sent" | "outbox" | "failed";
  error: string | null;
}

/** The mailer port in Deps (features/mailer records the outbox; runtime/bun-mailer also sends by SMTP). Every message is recorded in the outbox table first, whatever the transport. */
export interface Mailer {
  readonly transport: "smtp" | "outbox";
  send(message: MailMessage, context: MailContext): Promise<MailDelivery>;
}

export type LogEntry = Record<string, unknown> & { level: "info" | "warn" | "error"; msg: string };

/**
 * How this instance's open event streams hear of new rows in the event log (features/realtime).
 * Every instance also polls the log, so rows written by other instances arrive too.
 */
export interface LiveSignal {
  /**
   * True where one poller per instance feeds every stream (Bun); false where each stream polls the
   * log for itself (Workers: one request may not wait on I/O another request started).
   */
  readonly shared: boolean;
  /** How often the log is polled for rows this instance was not told about. */
  readonly pollMs: number;
  /** How long a stream lives before it ends itself with a `retry:` hint; the client resumes by Last-Event-ID. */
  readonly streamMs: number;
  /** How often a quiet stream sends a comment, so proxies and idle timeouts keep it open. */
  readonly heartbeatMs: number;
  /** Names this instance in presence rows, so a crashed instance's rows can expire together. */
  readonly instanceId: string;
  /** Says "the log has new rows" to this instance's streams (called after a commit that published). */
  notify(): void;
  /** Calls `listener` on each notify; returns the function that stops it. */
  listen(listener: () => void): () => void;
}

/** Everything the app needs from the outside world; each runtime builds its own. */
export interface Deps {
  config: Config;
  db: Db;
  /** Milliseconds since the epoch; tests move it to check expiry. */
  now: () => number;
  passwords: PasswordHasher;
  /** The address of the client that sent this request, as the runtime knows it. */
  clientAddress: (c: Context) => string;
  /** OAuth providers fetch through this, so tests and proxies can see the traffic. */
  fetch: typeof fetch;
  log: (entry: LogEntry) => void;
  /** Records every message in the outbox; on Bun with SMTP_URL also sends it (features/mailer). */
  mailer: Mailer;
  /** Uploaded files (runtime/disk-storage on Bun, runtime/r2-storage on Workers). */
  storage: Storage;
  /** Wakes the event streams (features/realtime); see LiveSignal. */
  live: LiveSignal;
  /** Reads addresses users give us (calendar subscriptions), never into a private network (lib/outside-fetch). */
  fetchOutside: OutsideFetch;
  /** What a space has paid for (features/billing's subscriptions: without Stripe there are none, so no paid module runs). */
  entitlements: Entitlements;
  /** Stripe (features/billing/stripe-client.ts); null without STRIPE_SECRET_KEY: no billing, every space free. */
  stripe: Stripe | null;
}

/** Whether a space ("business:<id>", "household:<id>", "personal:<id>") holds a paid feature ("module:<id>"). */
export interface Entitlements {
  has(context: string, feature: string): Promise<boolean>;
  /** The limits of the plan the space is on (members, installed modules, stored bytes) and that plan's name. */
  limits(context: string): Promise<{ plan: { id: string; name: string }; seats: number; modules: number; storageBytes: number }>;
  /** Counts usage of a metered feature ("module_api_calls") for the space this month. */
  count(context: string, metric: UsageMetric, quantity?: number): Promise<void>;
}

export type UsageMetric = "module_api_calls";

export function jsonLogger(config: Config): Deps["log"] {
  if (config.LOG_LEVEL === "silent") return () => {};
  return (entry) => console.log(JSON.stringify({ time: new Date().toISOString(), ...entry }));
}
