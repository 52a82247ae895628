// The erasure feature's service API: deletion requests and the erasure job. Its routes are in mount.ts.
export { runErasures, CLAIM_STALE_MS } from "./job";
export { activeRequestOf, adminCancelDeletion, adminRequestDeletion, cancelByOffer, cancelBySession, deletionJson, listErasureProofs, listPendingErasures, ownershipBlocks, requestDeletion, type DeletionView, type OwnershipBlock, type PendingErasure } from "./service";
export type { DeletionRequestRow, ErasureProofRow } from "./schema";
