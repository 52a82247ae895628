import { and, count, desc, eq, gte, sql } from "drizzle-orm";
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

/** How many entries of `action` about `targetId` each UTC day since `since` ("YYYY-MM-DD" → count): for charts. */
export async function auditCountsByDay(db: Db, action: string, targetId: string, since: number): Promise<Map<string, number>> {
  const day = sql<string>`strftime('%Y-%m-%d', ${auditEvents.at} / 1000, 'unixepoch')`;
  const rows = await db
    .select({ day, n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId), gte(auditEvents.at, since)))
    .groupBy(day);
  return new Map(rows.map((r) => [r.day, r.n]));
}

export async function recentAuditEvents(db: Db, limit: number): Promise<AuditEventRow[]> {
  return db.select().from(auditEvents).orderBy(desc(auditEvents.at)).limit(limit);
}
