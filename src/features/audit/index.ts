export { auditCountsByDay, recordAudit, recentAuditEvents, type AuditEntry, type RequestMeta } from "./service";
export { auditEventsPage, type AuditCursor, type AuditEventItem, type AuditMatch } from "./search";
export type { AuditEventRow } from "./schema";
export { pruneAudit } from "./retention";
