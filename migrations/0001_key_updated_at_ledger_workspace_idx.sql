ALTER TABLE `api_keys` ADD `updated_at` integer;--> statement-breakpoint
CREATE INDEX `ledger_workspace_idx` ON `ledger_entries` (`workspace_id`,`created_at`);