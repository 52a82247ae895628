CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_channel_id_idx` ON `events` (`channel`,`id`);--> statement-breakpoint
CREATE INDEX `events_at_idx` ON `events` (`at`);