// Retention of the audit trail (src/jobs.ts): events older than RETENTION_AUDIT_DAYS go.
import { lt } from "drizzle-orm";
import { pruneRows } from "../../db/prune";
import type { Db } from "../../db/types";
import { auditEvents } from "./schema";

export function pruneAudit(db: Db, before: number): Promise<number> {
  return pruneRows(db, auditEvents, auditEvents.id, lt(auditEvents.at, before));
}
