import { desc } from "drizzle-orm";
import type { Db, Tx } from "../../db/types";
import { newId } from "../../lib/crypto";
import type { RequestMeta } from "../../http/types";
import { auditEvents, type AuditEventRow } from "./schema";

export type { RequestMeta };

export interface AuditEntry {
  actorUserId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details?: Record<string, unknown>;
}

/** Appends one audit event; pass the transaction so the event commits or rolls back with the change. */
export async function recordAudit(db: Db | Tx, at: number, meta: RequestMeta, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({
    id: newId(),
    at,
    actorUserId: entry.actorUserId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    ipAddress: meta.ipAddress,
    userAgent: meta.userAgent.slice(0, 512),
    requestId: meta.requestId,
    details: meta.viaModule ? { ...entry.details, viaModule: meta.viaModule } : (entry.details ?? {}),
  });
}

export async function recentAuditEvents(db: Db, limit: number): Promise<AuditEventRow[]> {
  return db.select().from(auditEvents).orderBy(desc(auditEvents.at)).limit(limit);
}
