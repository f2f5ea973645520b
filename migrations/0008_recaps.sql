-- Recaps written when a session ends (services/recaps.ts): `recap` is the player-safe one everyone reads,
-- `gm_recap` the GM's own (from the whole log); both editable by the GM.
ALTER TABLE `game_sessions` ADD `gm_recap` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `game_sessions` ADD `recap_status` text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE `game_sessions` ADD `recap_label` text;
