-- Recaps are searchable (services/recaps.ts#searchRecaps): a full-text index over each session's title, player-safe
-- recap and GM recap, kept in step by triggers. A regular FTS5 table keyed by session id (game_sessions has no
-- integer key an external-content index could rely on); a restore re-inserts sessions, and the triggers refill it.
CREATE VIRTUAL TABLE `session_recaps_fts` USING fts5(session_id UNINDEXED, campaign_id UNINDEXED, title, recap, gm_recap, tokenize='porter unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `session_recaps_ai` AFTER INSERT ON `game_sessions` BEGIN
  INSERT INTO session_recaps_fts(session_id, campaign_id, title, recap, gm_recap) VALUES (new.id, new.campaign_id, new.title, new.recap, new.gm_recap);
END;
--> statement-breakpoint
CREATE TRIGGER `session_recaps_ad` AFTER DELETE ON `game_sessions` BEGIN
  DELETE FROM session_recaps_fts WHERE session_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `session_recaps_au` AFTER UPDATE OF title, recap, gm_recap ON `game_sessions` BEGIN
  DELETE FROM session_recaps_fts WHERE session_id = old.id;
  INSERT INTO session_recaps_fts(session_id, campaign_id, title, recap, gm_recap) VALUES (new.id, new.campaign_id, new.title, new.recap, new.gm_recap);
END;
--> statement-breakpoint
INSERT INTO session_recaps_fts(session_id, campaign_id, title, recap, gm_recap) SELECT id, campaign_id, title, recap, gm_recap FROM game_sessions;
