CREATE TABLE `marketplace_modules` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`icon` text NOT NULL,
	`category` text NOT NULL,
	`contexts` text NOT NULL,
	`developer_id` text,
	`status` text DEFAULT 'active' NOT NULL,
	`suspended_reason` text,
	`webhook_secret_sealed` text NOT NULL,
	`pseudonym_salt` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`developer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "marketplace_modules_status_check" CHECK("marketplace_modules"."status" in ('active', 'suspended'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `marketplace_modules_slug_idx` ON `marketplace_modules` (`slug`);--> statement-breakpoint
CREATE INDEX `marketplace_modules_developer_idx` ON `marketplace_modules` (`developer_id`);--> statement-breakpoint
CREATE TABLE `module_developers` (
	`user_id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `module_installs` (
	`id` text PRIMARY KEY NOT NULL,
	`module_id` text NOT NULL,
	`context_type` text NOT NULL,
	`context_id` text NOT NULL,
	`version` text NOT NULL,
	`scopes` text NOT NULL,
	`installed_by` text,
	`installed_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`module_id`) REFERENCES `marketplace_modules`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`installed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `module_installs_context_idx` ON `module_installs` (`context_type`,`context_id`,`module_id`);--> statement-breakpoint
CREATE INDEX `module_installs_module_idx` ON `module_installs` (`module_id`);--> statement-breakpoint
CREATE TABLE `module_versions` (
	`module_id` text NOT NULL,
	`version` text NOT NULL,
	`manifest` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`rejected_reason` text,
	`submitted_at` integer NOT NULL,
	`reviewed_at` integer,
	`reviewed_by` text,
	PRIMARY KEY(`module_id`, `version`),
	FOREIGN KEY (`module_id`) REFERENCES `marketplace_modules`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reviewed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "module_versions_state_check" CHECK("module_versions"."state" in ('pending', 'approved', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE `module_webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`module_id` text NOT NULL,
	`event` text NOT NULL,
	`url` text NOT NULL,
	`body` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claimed_until` integer DEFAULT 0 NOT NULL,
	`last_status` integer,
	`last_error` text,
	`last_response` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`module_id`) REFERENCES `marketplace_modules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `module_webhook_deliveries_due_idx` ON `module_webhook_deliveries` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `module_webhook_deliveries_module_idx` ON `module_webhook_deliveries` (`module_id`,`created_at`);