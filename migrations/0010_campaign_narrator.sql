-- The narrator's settings per campaign (services/narrator-settings.ts): which model and which voice.
CREATE TABLE `campaign_narrator` (
	`campaign_id` text PRIMARY KEY NOT NULL,
	`provider` text DEFAULT 'default' NOT NULL,
	`style_preset` text,
	`style_sample` text DEFAULT '' NOT NULL,
	`style` text DEFAULT '' NOT NULL,
	`updated_by` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
