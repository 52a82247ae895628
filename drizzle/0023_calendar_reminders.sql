CREATE TABLE `calendar_reminders_sent` (
	`event_id` text NOT NULL,
	`user_id` text NOT NULL,
	`occurrence` text NOT NULL,
	`minutes` integer NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`event_id`, `user_id`, `occurrence`, `minutes`),
	FOREIGN KEY (`event_id`) REFERENCES `calendar_events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `calendar_reminders_sent_at_idx` ON `calendar_reminders_sent` (`sent_at`);--> statement-breakpoint
ALTER TABLE `calendar_events` ADD `reminders` text;--> statement-breakpoint
ALTER TABLE `calendars` ADD `default_reminders` text DEFAULT '[]' NOT NULL;