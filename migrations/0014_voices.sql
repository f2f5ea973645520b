ALTER TABLE `campaign_narrator` ADD `voice_enabled` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `campaign_narrator` ADD `narrator_voice` text DEFAULT '' NOT NULL;
