CREATE TABLE `deletion_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`requested_at` integer NOT NULL,
	`erase_after` integer NOT NULL,
	`requester_kind` text NOT NULL,
	`reason` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`cancelled_at` integer,
	`claimed_at` integer,
	`tombstone` text,
	`person` text,
	`counts` text DEFAULT '{}' NOT NULL,
	`proof_mailed_at` integer,
	`erased_at` integer
);
--> statement-breakpoint
CREATE INDEX `deletion_requests_user_idx` ON `deletion_requests` (`user_id`,`status`);--> statement-breakpoint
CREATE INDEX `deletion_requests_due_idx` ON `deletion_requests` (`status`,`erase_after`);--> statement-breakpoint
CREATE TABLE `erasure_proofs` (
	`id` text PRIMARY KEY NOT NULL,
	`erased_at` integer NOT NULL,
	`requested_at` integer NOT NULL,
	`requester_kind` text NOT NULL,
	`tombstone` text NOT NULL,
	`counts` text NOT NULL,
	`mail_status` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `erasure_proofs_erased_idx` ON `erasure_proofs` (`erased_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `disabled_reason` text;