CREATE TABLE `billing_invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`context` text NOT NULL,
	`subscription_id` text,
	`number` text,
	`currency` text NOT NULL,
	`subtotal` integer NOT NULL,
	`tax` integer NOT NULL,
	`total` integer NOT NULL,
	`amount_paid` integer NOT NULL,
	`amount_due` integer NOT NULL,
	`status` text NOT NULL,
	`hosted_url` text,
	`pdf_url` text,
	`period_start` integer,
	`period_end` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `billing_invoices_context_idx` ON `billing_invoices` (`context`,`created_at`);--> statement-breakpoint
ALTER TABLE `billing_subscriptions` ADD `past_due_since` integer;