// The auth feature's service API: what other features may use. Its routes are in mount.ts.
export { validateSessionToken, type NewSession, type SessionInfo, type SessionListItem } from "./sessions";
export { setAccountStatus } from "./service";
export type { PublicUser } from "./users";
/** The users table, for read-only joins (member lists, search, admin lists); writes go through this feature's services. */
export { users } from "./schema";
export { backfillBlockIds, moveUser } from "./block-ids";
