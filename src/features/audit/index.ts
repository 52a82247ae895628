export { recordAudit, recentAuditEvents, type AuditEntry, type RequestMeta } from "./service";
export type { AuditEventRow } from "./schema";
