PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_business_members` (
	`business_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`department_id` text,
	`position_id` text,
	`joined_at` integer NOT NULL,
	PRIMARY KEY(`business_id`, `user_id`),
	FOREIGN KEY (`business_id`) REFERENCES `businesses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "business_members_role_check" CHECK("__new_business_members"."role" in ('owner', 'admin', 'manager', 'member'))
);
--> statement-breakpoint
INSERT INTO `__new_business_members`("business_id", "user_id", "role", "department_id", "position_id", "joined_at") SELECT "business_id", "user_id", "role", "department_id", "position_id", "joined_at" FROM `business_members`;--> statement-breakpoint
DROP TABLE `business_members`;--> statement-breakpoint
ALTER TABLE `__new_business_members` RENAME TO `business_members`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `business_members_user_idx` ON `business_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `__new_household_members` (
	`household_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`joined_at` integer NOT NULL,
	PRIMARY KEY(`household_id`, `user_id`),
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "household_members_role_check" CHECK("__new_household_members"."role" in ('owner', 'adult', 'teen', 'child'))
);
--> statement-breakpoint
INSERT INTO `__new_household_members`("household_id", "user_id", "role", "joined_at") SELECT "household_id", "user_id", "role", "joined_at" FROM `household_members`;--> statement-breakpoint
DROP TABLE `household_members`;--> statement-breakpoint
ALTER TABLE `__new_household_members` RENAME TO `household_members`;--> statement-breakpoint
CREATE INDEX `household_members_user_idx` ON `household_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `__new_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`business_id` text,
	`household_id` text,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`department_id` text,
	`position_id` text,
	`token_hash` text NOT NULL,
	`invited_by` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`responded_at` integer,
	`responded_by` text,
	FOREIGN KEY (`business_id`) REFERENCES `businesses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`invited_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`responded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "invitations_role_check" CHECK(("__new_invitations"."business_id" is not null and "__new_invitations"."role" in ('owner', 'admin', 'manager', 'member')) or ("__new_invitations"."household_id" is not null and "__new_invitations"."role" in ('owner', 'adult', 'teen', 'child')))
);
--> statement-breakpoint
INSERT INTO `__new_invitations`("id", "business_id", "household_id", "email", "role", "department_id", "position_id", "token_hash", "invited_by", "status", "created_at", "expires_at", "responded_at", "responded_by") SELECT "id", "business_id", "household_id", "email", "role", "department_id", "position_id", "token_hash", "invited_by", "status", "created_at", "expires_at", "responded_at", "responded_by" FROM `invitations`;--> statement-breakpoint
DROP TABLE `invitations`;--> statement-breakpoint
ALTER TABLE `__new_invitations` RENAME TO `invitations`;--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_token_hash_unique` ON `invitations` (`token_hash`);--> statement-breakpoint
CREATE INDEX `invitations_business_idx` ON `invitations` (`business_id`,`status`);--> statement-breakpoint
CREATE INDEX `invitations_household_idx` ON `invitations` (`household_id`,`status`);--> statement-breakpoint
CREATE INDEX `invitations_email_idx` ON `invitations` (`email`,`status`);