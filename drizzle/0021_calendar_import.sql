CREATE TABLE `calendar_subscriptions` (
	`calendar_id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`created_by` text,
	`etag` text,
	`last_modified` text,
	`refresh_ms` integer NOT NULL,
	`next_refresh_at` integer NOT NULL,
	`last_refreshed_at` integer,
	`last_error` text,
	`failures` integer DEFAULT 0 NOT NULL,
	`claimed_until` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`calendar_id`) REFERENCES `calendars`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `calendar_subscriptions_due_idx` ON `calendar_subscriptions` (`next_refresh_at`);--> statement-breakpoint
ALTER TABLE `calendar_events` ADD `recurrence_id` text;--> statement-breakpoint
CREATE INDEX `calendar_events_uid_idx` ON `calendar_events` (`calendar_id`,`uid`);--> statement-breakpoint
ALTER TABLE `calendars` ADD `subscribed` integer DEFAULT false NOT NULL;