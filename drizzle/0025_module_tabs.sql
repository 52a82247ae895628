CREATE TABLE `business_module_tabs` (
	`business_id` text NOT NULL,
	`module_id` text NOT NULL,
	`label` text NOT NULL,
	`description` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`business_id`, `module_id`),
	FOREIGN KEY (`business_id`) REFERENCES `businesses`(`id`) ON UPDATE no action ON DELETE cascade
);
