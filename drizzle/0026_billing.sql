CREATE TABLE `billing_customers` (
	`context` text PRIMARY KEY NOT NULL,
	`stripe_customer_id` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_customers_stripe_idx` ON `billing_customers` (`stripe_customer_id`);--> statement-breakpoint
CREATE TABLE `billing_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`stripe_created` integer NOT NULL,
	`handled_at` integer NOT NULL,
	`outcome` text NOT NULL,
	CONSTRAINT "billing_events_outcome_check" CHECK("billing_events"."outcome" in ('applied', 'acknowledged'))
);
--> statement-breakpoint
CREATE INDEX `billing_events_handled_idx` ON `billing_events` (`handled_at`);--> statement-breakpoint
CREATE TABLE `billing_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`context` text NOT NULL,
	`stripe_customer_id` text NOT NULL,
	`status` text NOT NULL,
	`items` text NOT NULL,
	`current_period_end` integer,
	`cancel_at_period_end` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `billing_subscriptions_context_idx` ON `billing_subscriptions` (`context`);