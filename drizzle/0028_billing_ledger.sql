CREATE TABLE `billing_connect_accounts` (
	`developer_id` text PRIMARY KEY NOT NULL,
	`stripe_account_id` text NOT NULL,
	`payouts_enabled` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `billing_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`entry_key` text NOT NULL,
	`kind` text NOT NULL,
	`invoice_id` text NOT NULL,
	`charge_id` text NOT NULL,
	`line_id` text NOT NULL,
	`context` text NOT NULL,
	`module_id` text,
	`developer_id` text,
	`currency` text NOT NULL,
	`gross` integer NOT NULL,
	`fee` integer NOT NULL,
	`net` integer NOT NULL,
	`developer_share` integer NOT NULL,
	`platform_share` integer NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "billing_ledger_kind_check" CHECK("billing_ledger"."kind" in ('sale', 'refund', 'dispute')),
	CONSTRAINT "billing_ledger_sum_check" CHECK("billing_ledger"."developer_share" + "billing_ledger"."platform_share" = "billing_ledger"."net")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_ledger_entry_idx` ON `billing_ledger` (`entry_key`);--> statement-breakpoint
CREATE INDEX `billing_ledger_developer_idx` ON `billing_ledger` (`developer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `billing_ledger_charge_idx` ON `billing_ledger` (`charge_id`);--> statement-breakpoint
CREATE TABLE `billing_transfer_reversals` (
	`id` text PRIMARY KEY NOT NULL,
	`source_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`developer_id` text NOT NULL,
	`currency` text NOT NULL,
	`amount` integer NOT NULL,
	`state` text NOT NULL,
	`stripe_reversal_id` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "billing_reversals_state_check" CHECK("billing_transfer_reversals"."state" in ('due', 'paid'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_reversals_once_idx` ON `billing_transfer_reversals` (`source_id`,`developer_id`);--> statement-breakpoint
CREATE INDEX `billing_reversals_developer_idx` ON `billing_transfer_reversals` (`developer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `billing_transfers` (
	`id` text PRIMARY KEY NOT NULL,
	`source_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`developer_id` text NOT NULL,
	`charge_id` text NOT NULL,
	`currency` text NOT NULL,
	`amount` integer NOT NULL,
	`state` text NOT NULL,
	`stripe_transfer_id` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "billing_transfers_state_check" CHECK("billing_transfers"."state" in ('due', 'paid'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_transfers_once_idx` ON `billing_transfers` (`source_id`,`developer_id`);--> statement-breakpoint
CREATE INDEX `billing_transfers_developer_idx` ON `billing_transfers` (`developer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `billing_usage` (
	`context` text NOT NULL,
	`period` text NOT NULL,
	`metric` text NOT NULL,
	`quantity` integer NOT NULL,
	`reported` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`context`, `period`, `metric`)
);
