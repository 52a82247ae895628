// The workspace feature's service API: what other features may use. Its routes are in mount.ts.
export { hasRole, requireMembership, requireRole, roleRank, type Membership } from "./access";
/** Middleware: 403 on a route of a module hidden from this member (pages, fragments, JSON alike). */
export { moduleGate } from "./module-gate";
export { addModuleTab, memberSeesModule, removeModuleTab } from "./module-config";
export { marketplaceTabId } from "./modules";
export type { TabRenderer } from "./tab-content";
export { listContexts, type ContextLink } from "./contexts";
export { businessCoMembers, businessCounts, businessIdsOf, businessPlacesOf, type BusinessPlace, createUnit, listBusinessesOf, listUnits, type BusinessSummary, type Unit } from "./service";
export { BUSINESS_KINDS, BUSINESS_ROLES, type BusinessKind, type BusinessRole } from "./schema";
export { addBusinessMember, businessMemberEmails, selectMembers, type MemberQuery, type MemberView } from "./members";
export { businessDirectory, businessNames, businessWithMembers, countBusinesses, type BusinessNames, type BusinessWithMembers, type DirectoryBusiness } from "./directory";
export { businessesSolelyOwnedBy } from "./sole-owner";
