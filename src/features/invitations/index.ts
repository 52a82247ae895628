// The invitations feature's service API. Its routes are in mount.ts.
export { pendingInvitationsFor, pendingInvitationsForUser, type PendingForUser } from "./respond";
export { INVITATION_STATUSES, type InvitationStatus } from "./schema";
