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
	CONSTRAINT "billing_ledger_kind_check" CHECK("billing_ledger"."kind" in ('sale', 'refund')),
	CONSTRAINT "billing_ledger_sum_check" CHECK("billing_ledger"."developer_share" + "billing_ledger"."platform_share" = "billing_ledger"."net")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_ledger_entry_idx` ON `billing_ledger` (`entry_key`);--> statement-breakpoint
CREATE INDEX `billing_ledger_developer_idx` ON `billing_ledger` (`developer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `billing_ledger_charge_idx` ON `billing_ledger` (`charge_id`);--> statement-breakpoint
CREATE TABLE `billing_transfers` (
	`id` text PRIMARY KEY NOT NULL,
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
CREATE UNIQUE INDEX `billing_transfers_once_idx` ON `billing_transfers` (`invoice_id`,`developer_id`);--> statement-breakpoint
CREATE INDEX `billing_transfers_developer_idx` ON `billing_transfers` (`developer_id`,`created_at`);