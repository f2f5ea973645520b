-- For /metrics: open sockets per live table (reported by its room when the count changes),
-- and how long each rules search took. Platform settings an operator changes at run time.
ALTER TABLE `game_sessions` ADD `connections` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `search_queries` ADD `duration_ms` integer;--> statement-breakpoint
CREATE TABLE `platform_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
