CREATE TABLE `block_id_counters` (
	`prefix` text PRIMARY KEY NOT NULL,
	`last_serial` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `block_ids` (
	`id` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`user_id` text NOT NULL,
	`town_id` text NOT NULL,
	`serial` integer NOT NULL,
	`source` text NOT NULL,
	`issued_at` integer NOT NULL,
	`retired_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`town_id`) REFERENCES `towns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `block_ids_value_unique` ON `block_ids` (`value`);--> statement-breakpoint
CREATE INDEX `block_ids_user_idx` ON `block_ids` (`user_id`,`issued_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `block_ids_current_idx` ON `block_ids` (`user_id`) WHERE retired_at is null;--> statement-breakpoint
CREATE INDEX `block_ids_town_idx` ON `block_ids` (`town_id`);--> statement-breakpoint
CREATE TABLE `countries` (
	`id` text PRIMARY KEY NOT NULL,
	`alpha3` text NOT NULL,
	`numeric` text NOT NULL,
	`name` text NOT NULL,
	`calling_code` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reference_seeds` (
	`name` text PRIMARY KEY NOT NULL,
	`applied_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `regions` (
	`id` text PRIMARY KEY NOT NULL,
	`country_id` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`country_id`) REFERENCES `countries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `regions_country_code_idx` ON `regions` (`country_id`,`code`);--> statement-breakpoint
CREATE TABLE `towns` (
	`id` text PRIMARY KEY NOT NULL,
	`region_id` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `towns_region_code_idx` ON `towns` (`region_id`,`code`);--> statement-breakpoint
ALTER TABLE `users` ADD `block_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_block_id_unique` ON `users` (`block_id`);