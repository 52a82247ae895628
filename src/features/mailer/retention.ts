// Retention of the outbox (src/jobs.ts): every message older than RETENTION_MAIL_DAYS goes, sent,
// failed or kept for the in-app outbox alike — a message is final once recorded (sending is not queued).
import { lt } from "drizzle-orm";
import { pruneRows } from "../../db/prune";
import type { Db } from "../../db/types";
import { outbox } from "./schema";

export function pruneOutbox(db: Db, before: number): Promise<number> {
  return pruneRows(db, outbox, outbox.id, lt(outbox.createdAt, before));
}
