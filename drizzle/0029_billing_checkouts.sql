CREATE TABLE `billing_checkouts` (
	`session_id` text PRIMARY KEY NOT NULL,
	`context` text NOT NULL,
	`slot` text NOT NULL,
	`item` text NOT NULL,
	`url` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_checkouts_slot_idx` ON `billing_checkouts` (`context`,`slot`);