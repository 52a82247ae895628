// Webhooks to a module's server: queued in the transaction of what they report (installed, uninstalled,
// scopes_changed, and the privacy export's and erasure's data_request and redact), sent by the scheduled job, signed
// with HMAC-SHA256 over "<timestamp>.<body>" with the module's own secret, retried with back-off, every attempt's
// answer kept for the developer portal. Sent through deps.fetchOutside: never to a private address, never a
// redirect followed.
import { and, desc, eq, lte } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Db, Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { openSecret } from "../../lib/secret-box";
import type { ModuleManifest } from "./manifest";
import { WEBHOOK_SECRET_PURPOSE } from "./registry";
import { marketplaceModules, moduleWebhookDeliveries, type MarketplaceModuleRow, type WebhookDeliveryRow, type WebhookEvent } from "./schema";

export const SIGNATURE_HEADER = "BoB-Signature";
export const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 3600_000;
const CLAIM_MS = 60_000;
const RESPONSE_KEPT = 500;

/** After `attempts` failures, how long until the next try (30 s doubling, at most 6 hours). */
export const retryDelay = (attempts: number) => Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);

/** The signature header's value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export async function signatureHeader(secret: string, timestampSeconds: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${timestampSeconds}.${body}`)));
  return `t=${timestampSeconds},v1=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Queues one webhook in the caller's transaction; nothing when the version names no webhook address. */
export async function queueWebhook(tx: Tx, deps: Pick<Deps, "now">, module: Pick<MarketplaceModuleRow, "id" | "slug">, manifest: Pick<ModuleManifest, "webhookUrl">, event: WebhookEvent, data: Record<string, unknown>): Promise<string | null> {
  if (!manifest.webhookUrl) return null;
  const id = newId();
  const now = deps.now();
  const body = JSON.stringify({ id, event, createdAt: new Date(now).toISOString(), module: { id: module.id, slug: module.slug }, data });
  await tx.insert(moduleWebhookDeliveries).values({ id, moduleId: module.id, event, url: manifest.webhookUrl, body, nextAttemptAt: now, createdAt: now });
  return id;
}

export interface DeliveryOutcome {
  sent: number;
  delivered: number;
  failed: number;
}

/** Sends the due deliveries (the scheduled job); each is claimed first, so two instances never send one at once. */
export async function sendDueWebhooks(deps: Pick<Deps, "db" | "now" | "config" | "fetchOutside" | "log">, limit = 50): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome = { sent: 0, delivered: 0, failed: 0 };
  const due = await deps.db
    .select({ id: moduleWebhookDeliveries.id })
    .from(moduleWebhookDeliveries)
    .where(and(eq(moduleWebhookDeliveries.state, "pending"), lte(moduleWebhookDeliveries.nextAttemptAt, deps.now())))
    .orderBy(moduleWebhookDeliveries.nextAttemptAt)
    .limit(limit);
  for (const { id } of due) {
    const claimed = await claim(deps, id);
    if (!claimed) continue;
    outcome.sent++;
    const result = await attempt(deps, claimed);
    if (result === "delivered") outcome.delivered++;
    else if (result === "failed") outcome.failed++;
  }
  return outcome;
}

async function claim(deps: Pick<Deps, "db" | "now">, id: string): Promise<(WebhookDeliveryRow & { secretSealed: string }) | null> {
  const now = deps.now();
  return writeTransaction(deps.db, async (tx) => {
    const [row] = await tx
      .update(moduleWebhookDeliveries)
      .set({ claimedUntil: now + CLAIM_MS })
      .where(and(eq(moduleWebhookDeliveries.id, id), eq(moduleWebhookDeliveries.state, "pending"), lte(moduleWebhookDeliveries.nextAttemptAt, now), lte(moduleWebhookDeliveries.claimedUntil, now)))
      .returning();
    if (!row) return null;
    const [module] = await tx.select({ secretSealed: marketplaceModules.webhookSecretSealed }).from(marketplaceModules).where(eq(marketplaceModules.id, row.moduleId));
    return module ? { ...row, secretSealed: module.secretSealed } : null;
  });
}

async function attempt(deps: Pick<Deps, "db" | "now" | "config" | "fetchOutside" | "log">, row: WebhookDeliveryRow & { secretSealed: string }): Promise<"delivered" | "retry" | "failed"> {
  const secret = await openSecret(deps.config.secretKeys, WEBHOOK_SECRET_PURPOSE, row.secretSealed);
  let status: number | null = null;
  let error: string | null = null;
  let response: string | null = null;
  try {
    const answer = await deps.fetchOutside({
      url: row.url,
      method: "POST",
      body: row.body,
      headers: { "content-type": "application/json", "user-agent": "BlockOnBlock-Webhooks/1", "bob-delivery": row.id, "bob-event": row.event, [SIGNATURE_HEADER.toLowerCase()]: await signatureHeader(secret, Math.floor(deps.now() / 1000), row.body) },
      timeoutMs: 10_000,
      maxBytes: 64 * 1024,
    });
    status = answer.status;
    response = new TextDecoder().decode(answer.body.slice(0, RESPONSE_KEPT * 4)).slice(0, RESPONSE_KEPT);
    if (status < 200 || status >= 300) error = `Answered ${status}.`;
  } catch (thrown) {
    error = thrown instanceof Error ? thrown.message.slice(0, 300) : "The address could not be reached.";
  }
  const attempts = row.attempts + 1;
  const now = deps.now();
  const result = error === null ? "delivered" : attempts >= MAX_ATTEMPTS ? "failed" : "retry";
  await writeTransaction(deps.db, (tx) =>
    tx
      .update(moduleWebhookDeliveries)
      .set({
        attempts,
        lastStatus: status,
        lastError: error,
        lastResponse: response,
        claimedUntil: 0,
        state: result === "retry" ? "pending" : result,
        deliveredAt: result === "delivered" ? now : null,
        nextAttemptAt: result === "retry" ? now + retryDelay(attempts) : row.nextAttemptAt,
      })
      .where(eq(moduleWebhookDeliveries.id, row.id)),
  );
  if (result !== "delivered") deps.log({ level: "warn", msg: "module webhook not delivered", deliveryId: row.id, moduleId: row.moduleId, attempts, error });
  return result;
}

/** The module's deliveries, newest first, for its developer. */
export async function deliveriesOf(db: Db, moduleId: string, limit = 50): Promise<WebhookDeliveryRow[]> {
  return db.select().from(moduleWebhookDeliveries).where(eq(moduleWebhookDeliveries.moduleId, moduleId)).orderBy(desc(moduleWebhookDeliveries.createdAt)).limit(limit);
}

export function deliveryJson(row: WebhookDeliveryRow) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return { id: row.id, event: row.event, url: row.url, state: row.state, attempts: row.attempts, lastStatus: row.lastStatus, lastError: row.lastError, lastResponse: row.lastResponse, createdAt: iso(row.createdAt), deliveredAt: iso(row.deliveredAt), nextAttemptAt: row.state === "pending" ? iso(row.nextAttemptAt) : null };
}
