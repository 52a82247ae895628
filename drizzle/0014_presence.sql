CREATE TABLE `presence_connections` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`instance_id` text NOT NULL,
	`opened_at` integer NOT NULL,
	`closed_at` integer,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `presence_connections_user_idx` ON `presence_connections` (`user_id`,`expires_at`);--> statement-breakpoint
CREATE INDEX `presence_connections_instance_idx` ON `presence_connections` (`instance_id`,`closed_at`);--> statement-breakpoint
CREATE INDEX `presence_connections_expires_idx` ON `presence_connections` (`expires_at`);--> statement-breakpoint
CREATE TABLE `user_status` (
	`user_id` text PRIMARY KEY NOT NULL,
	`mode` text DEFAULT 'auto' NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`dnd_until` integer,
	`last_active_at` integer DEFAULT 0 NOT NULL,
	`announced` text DEFAULT 'offline' NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_status_announced_idx` ON `user_status` (`announced`);