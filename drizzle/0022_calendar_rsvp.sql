CREATE TABLE `calendar_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`user_id` text,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `calendar_events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `calendar_comments_event_idx` ON `calendar_comments` (`event_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `calendar_comments_user_idx` ON `calendar_comments` (`user_id`);--> statement-breakpoint
CREATE TABLE `calendar_guests` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'needs-action' NOT NULL,
	`comment` text,
	`responded_at` integer,
	`occurrence_answers` text DEFAULT '{}' NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `calendar_events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_guests_event_email_idx` ON `calendar_guests` (`event_id`,`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_guests_token_idx` ON `calendar_guests` (`token_hash`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `calendar_method` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `calendar_body` text;--> statement-breakpoint
ALTER TABLE `calendar_attendees` ADD `comment` text;--> statement-breakpoint
ALTER TABLE `calendar_attendees` ADD `responded_at` integer;--> statement-breakpoint
ALTER TABLE `calendar_attendees` ADD `occurrence_answers` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `calendar_attendees` ADD `pending` text;