ALTER TABLE `ledger_entries` ADD `model` text;--> statement-breakpoint
ALTER TABLE `ledger_entries` ADD `request_count` integer;--> statement-breakpoint
ALTER TABLE `ledger_entries` ADD `prompt_tokens` integer;--> statement-breakpoint
ALTER TABLE `ledger_entries` ADD `completion_tokens` integer;--> statement-breakpoint
ALTER TABLE `ledger_entries` ADD `detail` text;