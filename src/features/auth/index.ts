// The auth feature's service API: what other features and src/pages may use. Its routes are in mount.ts.
export { deleteAllSessionsOf as endAllSessionsOf, lastSeenAt, listSessions, validateSessionToken, type NewSession, type SessionInfo, type SessionListItem } from "./sessions";
export { changeEmail, changePassword, createPlatformAdmin, endOtherSessions, hasPassword, revokeSession, setAccountStatus, updateName } from "./service";
export { clearSessionCookie, requestToken, setSessionCookie } from "./session-cookie";
export { pendingEmailChange } from "./email-verification";
export { twoFactorStatus } from "./two-factor";
export { listPasskeys } from "./passkeys";
export { linkedProviders } from "./linked-providers";
export { configuredProviders } from "./providers";
export { hasTwoFactor } from "./second-step";
export { emailChangeInput, nameInput, passwordChangeInput } from "./input";
export { signInErrorMessage } from "./oauth-messages";
export type { PublicUser } from "./users";
/** The users table, for read-only joins (member lists, search, admin lists); writes go through this feature's services. */
export { users } from "./schema";
export { backfillBlockIds, moveUser } from "./block-ids";
export { pruneExpiredSessions, pruneExpiredTokens } from "./retention";
export { deletionOfferOf, deletionOfferToken, disableForDeletion, enableAfterDeletionCancelled, useDeletionOffer } from "./deletion-offer";
export { confirmIdentity, findUser, openSession } from "./service";
export { clearPendingCookie, pendingCookie, setPendingCookie } from "./pending-cookie";
