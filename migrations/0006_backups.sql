-- Backup runs (services/backups.ts): state while queue steps dump D1 to R2, then the result.
CREATE TABLE `backup_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`trigger` text NOT NULL,
	`requested_by` text,
	`started_at` text NOT NULL,
	`finished_at` text,
	`schema` text NOT NULL,
	`bookmark` text,
	`progress` text NOT NULL,
	`size_bytes` integer DEFAULT 0 NOT NULL,
	`rows` integer DEFAULT 0 NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `backup_runs_started_idx` ON `backup_runs` (`started_at`);
