-- A player resets what the narrator keeps about them (services/player-profiles.ts): only later actions count.
ALTER TABLE `memberships` ADD `profile_reset_at` text;
