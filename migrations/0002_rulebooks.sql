CREATE TABLE `rulebook_chunks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rulebook_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`generation` integer NOT NULL,
	`page` integer NOT NULL,
	`ordinal` integer NOT NULL,
	`heading_path` text NOT NULL,
	`heading` text NOT NULL,
	`content_type` text NOT NULL,
	`text` text NOT NULL,
	FOREIGN KEY (`rulebook_id`) REFERENCES `rulebooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rulebook_chunks_book_idx` ON `rulebook_chunks` (`rulebook_id`,`page`);--> statement-breakpoint
CREATE INDEX `rulebook_chunks_campaign_idx` ON `rulebook_chunks` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `rulebook_terms` (
	`rulebook_id` text NOT NULL,
	`term` text NOT NULL,
	`freq` integer NOT NULL,
	PRIMARY KEY(`rulebook_id`, `term`),
	FOREIGN KEY (`rulebook_id`) REFERENCES `rulebooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rulebook_terms_term_idx` ON `rulebook_terms` (`term`);--> statement-breakpoint
CREATE TABLE `rulebooks` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`title` text NOT NULL,
	`filename` text NOT NULL,
	`source_type` text DEFAULT 'rules' NOT NULL,
	`attribution` text DEFAULT '' NOT NULL,
	`r2_key` text NOT NULL,
	`sha256` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`status` text DEFAULT 'uploaded' NOT NULL,
	`stage` text DEFAULT 'queued' NOT NULL,
	`pages_total` integer,
	`pages_done` integer DEFAULT 0 NOT NULL,
	`chunk_count` integer DEFAULT 0 NOT NULL,
	`error` text,
	`generation` integer DEFAULT 1 NOT NULL,
	`ingest_state` text,
	`uploaded_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rulebooks_campaign_hash_unique` ON `rulebooks` (`campaign_id`,`sha256`);--> statement-breakpoint
CREATE INDEX `rulebooks_campaign_idx` ON `rulebooks` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `search_queries` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`user_id` text,
	`query` text NOT NULL,
	`normalized` text NOT NULL,
	`result_count` integer NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `search_queries_campaign_idx` ON `search_queries` (`campaign_id`,`at`);--> statement-breakpoint
-- Hand-written (drizzle does not model virtual tables): the FTS5 index over chunks, kept in
-- step by triggers. External content: the text lives once, in rulebook_chunks.
CREATE VIRTUAL TABLE `rulebook_chunks_fts` USING fts5(heading, text, content='rulebook_chunks', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `rulebook_chunks_ai` AFTER INSERT ON `rulebook_chunks` BEGIN
  INSERT INTO rulebook_chunks_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `rulebook_chunks_ad` AFTER DELETE ON `rulebook_chunks` BEGIN
  INSERT INTO rulebook_chunks_fts(rulebook_chunks_fts, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text);
END;
