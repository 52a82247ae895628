// The workspace feature's service API: what other features may use. Its routes are in mount.ts.
export { hasRole, requireMembership, requireRole, roleRank, type Membership } from "./access";
export { listContexts, type ContextLink } from "./contexts";
export { businessCounts, createUnit, listBusinessesOf, listUnits, type BusinessSummary, type Unit } from "./service";
export { BUSINESS_KINDS, BUSINESS_ROLES, type BusinessRole } from "./schema";
export { addBusinessMember } from "./members";
