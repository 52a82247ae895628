import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { ErasedPerson } from "../privacy";

export const DELETION_STATUSES = ["pending", "cancelled", "erasing", "erased"] as const;
export type DeletionStatus = (typeof DELETION_STATUSES)[number];

/**
 * A request to erase an account. `user_id` has no foreign key on purpose: the row must outlive the
 * user row while the job finishes (a resumed run), and once erased it keeps only the tombstone.
 */
export const deletionRequests = sqliteTable(
  "deletion_requests",
  {
    id: text("id").primaryKey(),
    /** The account; the tombstone once erased. */
    userId: text("user_id").notNull(),
    requestedAt: integer("requested_at").notNull(),
    eraseAfter: integer("erase_after").notNull(),
    /** Who asked: the person ("self") or a platform admin ("admin") — a kind, never an id. */
    requestedBy: text("requester_kind", { enum: ["self", "admin"] }).notNull(),
    /** An admin's reason (required for them); null for the person's own request, and once erased. */
    reason: text("reason"),
    status: text("status", { enum: DELETION_STATUSES }).notNull().default("pending"),
    cancelledAt: integer("cancelled_at"),
    /** When a job run claimed it; a claim older than CLAIM_STALE_MS is taken over (a crashed run). */
    claimedAt: integer("claimed_at"),
    /** The id that replaces the person's in rows others keep; chosen at the claim, the same on a resumed run. */
    tombstone: text("tombstone"),
    /** The person's address, name and Block IDs as read at the claim (the erasers scrub these); cleared once erased. */
    person: text("person", { mode: "json" }).$type<ErasedPerson>(),
    /** Rows changed per feature so far; a feature named here is done (a resumed run skips it). */
    counts: text("counts", { mode: "json" }).$type<Record<string, number>>().notNull().default({}),
    proofMailedAt: integer("proof_mailed_at"),
    erasedAt: integer("erased_at"),
  },
  (t) => [index("deletion_requests_user_idx").on(t.userId, t.status), index("deletion_requests_due_idx").on(t.status, t.eraseAfter)],
);

/** What an erasure leaves behind: when, how many rows per feature, the tombstone — nothing that names the person. */
export const erasureProofs = sqliteTable(
  "erasure_proofs",
  {
    id: text("id").primaryKey(),
    erasedAt: integer("erased_at").notNull(),
    requestedAt: integer("requested_at").notNull(),
    /** Who asked: the person ("self") or a platform admin ("admin") — a kind, never an id. */
    requestedBy: text("requester_kind", { enum: ["self", "admin"] }).notNull(),
    tombstone: text("tombstone").notNull(),
    /** Rows changed per feature ({"chat": 12, "auth": 1, …}). */
    counts: text("counts", { mode: "json" }).$type<Record<string, number>>().notNull(),
    /** How the proof mail fared before the address went: "sent" (SMTP took it), "outbox" (no SMTP configured) or "failed". */
    mailStatus: text("mail_status", { enum: ["sent", "outbox", "failed", "none"] }).notNull(),
  },
  (t) => [index("erasure_proofs_erased_idx").on(t.erasedAt)],
);

export type DeletionRequestRow = typeof deletionRequests.$inferSelect;
export type ErasureProofRow = typeof erasureProofs.$inferSelect;
