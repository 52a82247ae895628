CREATE TABLE `billing_usage` (
	`context` text NOT NULL,
	`period` text NOT NULL,
	`metric` text NOT NULL,
	`quantity` integer NOT NULL,
	`reported` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`context`, `period`, `metric`)
);
