// The admin portal's service API. Its routes (under /admin-portal, for platform admins only) are in mount.ts.
export { requirePlatformAdmin } from "./access";
// The admin lists' shared query handling, for the admin pages other features add (places, Block IDs).
export { listQuery } from "./input";
export { otherErrors, parseQuery } from "./query";
export { auditListPage, type AuditListItem } from "./audit-log";
