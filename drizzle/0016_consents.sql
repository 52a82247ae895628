CREATE TABLE `consent_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`purpose` text NOT NULL,
	`version` text NOT NULL,
	`granted` integer NOT NULL,
	`at` integer NOT NULL,
	`how` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "consent_records_how_check" CHECK("consent_records"."how" in ('signup', 'profile', 'api', 'sign-in'))
);
--> statement-breakpoint
CREATE INDEX `consent_records_user_purpose_idx` ON `consent_records` (`user_id`,`purpose`,`id`);