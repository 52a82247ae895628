CREATE TABLE `calendar_attendees` (
	`event_id` text NOT NULL,
	`user_id` text NOT NULL,
	`status` text DEFAULT 'needs-action' NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`event_id`, `user_id`),
	FOREIGN KEY (`event_id`) REFERENCES `calendar_events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `calendar_attendees_user_idx` ON `calendar_attendees` (`user_id`);--> statement-breakpoint
CREATE TABLE `calendar_events` (
	`id` text PRIMARY KEY NOT NULL,
	`calendar_id` text NOT NULL,
	`uid` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`location` text DEFAULT '' NOT NULL,
	`url` text DEFAULT '' NOT NULL,
	`color` text,
	`start` text NOT NULL,
	`end` text NOT NULL,
	`time_zone` text,
	`all_day` integer DEFAULT false NOT NULL,
	`rrule` text,
	`exdates` text DEFAULT '[]' NOT NULL,
	`rdates` text DEFAULT '[]' NOT NULL,
	`overrides` text DEFAULT '[]' NOT NULL,
	`visibility` text DEFAULT 'default' NOT NULL,
	`transparency` text DEFAULT 'opaque' NOT NULL,
	`sequence` integer DEFAULT 0 NOT NULL,
	`first_start_ms` integer NOT NULL,
	`last_end_ms` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`calendar_id`) REFERENCES `calendars`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `calendar_events_window_idx` ON `calendar_events` (`calendar_id`,`first_start_ms`);--> statement-breakpoint
CREATE INDEX `calendar_events_created_by_idx` ON `calendar_events` (`created_by`);--> statement-breakpoint
CREATE TABLE `calendar_shares` (
	`calendar_id` text NOT NULL,
	`user_id` text NOT NULL,
	`access` text NOT NULL,
	`shared_by` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`calendar_id`, `user_id`),
	FOREIGN KEY (`calendar_id`) REFERENCES `calendars`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`shared_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `calendar_shares_user_idx` ON `calendar_shares` (`user_id`);--> statement-breakpoint
CREATE TABLE `calendar_view_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`time_zone` text,
	`hidden_calendar_ids` text DEFAULT '[]' NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `calendars` (
	`id` text PRIMARY KEY NOT NULL,
	`context_type` text NOT NULL,
	`context_id` text NOT NULL,
	`owner_id` text,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`color` text DEFAULT '#2563eb' NOT NULL,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`is_primary` integer DEFAULT false NOT NULL,
	`member_access` text DEFAULT 'default' NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "calendars_context_check" CHECK("calendars"."context_type" in ('personal', 'business', 'household'))
);
--> statement-breakpoint
CREATE INDEX `calendars_context_idx` ON `calendars` (`context_type`,`context_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `calendars_primary_idx` ON `calendars` (`context_type`,`context_id`) WHERE "calendars"."is_primary" = 1;--> statement-breakpoint
CREATE INDEX `calendars_owner_idx` ON `calendars` (`owner_id`);--> statement-breakpoint
-- Every context has its primary calendar from the moment it exists: these triggers make it in the transaction
-- that makes the user, business or household, whatever path made it; the inserts after them give every context
-- that existed before this migration its own.
CREATE TRIGGER `calendars_primary_for_user` AFTER INSERT ON `users` BEGIN
	INSERT OR IGNORE INTO `calendars` (`id`, `context_type`, `context_id`, `owner_id`, `name`, `color`, `is_primary`, `created_by`, `created_at`, `updated_at`)
	VALUES (lower(hex(randomblob(16))), 'personal', NEW.`id`, NEW.`id`, 'Personal', '#2563eb', 1, NEW.`id`, NEW.`created_at`, NEW.`created_at`);
END;--> statement-breakpoint
CREATE TRIGGER `calendars_primary_for_business` AFTER INSERT ON `businesses` BEGIN
	INSERT OR IGNORE INTO `calendars` (`id`, `context_type`, `context_id`, `name`, `color`, `is_primary`, `created_by`, `created_at`, `updated_at`)
	VALUES (lower(hex(randomblob(16))), 'business', NEW.`id`, NEW.`name`, '#059669', 1, NEW.`created_by`, NEW.`created_at`, NEW.`created_at`);
END;--> statement-breakpoint
CREATE TRIGGER `calendars_primary_for_household` AFTER INSERT ON `households` BEGIN
	INSERT OR IGNORE INTO `calendars` (`id`, `context_type`, `context_id`, `name`, `color`, `is_primary`, `created_by`, `created_at`, `updated_at`)
	VALUES (lower(hex(randomblob(16))), 'household', NEW.`id`, NEW.`name`, '#d97706', 1, NEW.`created_by`, NEW.`created_at`, NEW.`created_at`);
END;--> statement-breakpoint
CREATE TRIGGER `calendars_gone_with_business` AFTER DELETE ON `businesses` BEGIN
	DELETE FROM `calendars` WHERE `context_type` = 'business' AND `context_id` = OLD.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `calendars_gone_with_household` AFTER DELETE ON `households` BEGIN
	DELETE FROM `calendars` WHERE `context_type` = 'household' AND `context_id` = OLD.`id`;
END;--> statement-breakpoint
INSERT OR IGNORE INTO `calendars` (`id`, `context_type`, `context_id`, `owner_id`, `name`, `color`, `is_primary`, `created_by`, `created_at`, `updated_at`)
	SELECT lower(hex(randomblob(16))), 'personal', `id`, `id`, 'Personal', '#2563eb', 1, `id`, `created_at`, `created_at` FROM `users`;--> statement-breakpoint
INSERT OR IGNORE INTO `calendars` (`id`, `context_type`, `context_id`, `name`, `color`, `is_primary`, `created_by`, `created_at`, `updated_at`)
	SELECT lower(hex(randomblob(16))), 'business', `id`, `name`, '#059669', 1, `created_by`, `created_at`, `created_at` FROM `businesses`;--> statement-breakpoint
INSERT OR IGNORE INTO `calendars` (`id`, `context_type`, `context_id`, `name`, `color`, `is_primary`, `created_by`, `created_at`, `updated_at`)
	SELECT lower(hex(randomblob(16))), 'household', `id`, `name`, '#d97706', 1, `created_by`, `created_at`, `created_at` FROM `households`;
