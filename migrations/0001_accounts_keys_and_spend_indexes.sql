ALTER TABLE `api_keys` ADD `updated_at` integer;--> statement-breakpoint
CREATE INDEX `ledger_workspace_idx` ON `ledger_entries` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `ledger_account_kind_idx` ON `ledger_entries` (`account_id`,`kind`);