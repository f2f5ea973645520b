-- Hand-written: the rules index also holds each passage's whole heading path
-- ("Druid › Class Features › Wild Shape"), so a passage is found by its
-- chapter's and section's names as well as its own heading. heading_path is
-- the JSON array already stored on rulebook_chunks; the tokenizer reads only
-- its words. Existing passages are re-indexed here; books chunked before
-- this migration keep their old headings until re-indexed (npm run reindex).
DROP TRIGGER IF EXISTS `rulebook_chunks_ai`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `rulebook_chunks_ad`;
--> statement-breakpoint
DROP TABLE IF EXISTS `rulebook_chunks_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `rulebook_chunks_fts` USING fts5(heading, heading_path, text, content='rulebook_chunks', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `rulebook_chunks_ai` AFTER INSERT ON `rulebook_chunks` BEGIN
  INSERT INTO rulebook_chunks_fts(rowid, heading, heading_path, text) VALUES (new.id, new.heading, new.heading_path, new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `rulebook_chunks_ad` AFTER DELETE ON `rulebook_chunks` BEGIN
  INSERT INTO rulebook_chunks_fts(rulebook_chunks_fts, rowid, heading, heading_path, text) VALUES ('delete', old.id, old.heading, old.heading_path, old.text);
END;
--> statement-breakpoint
INSERT INTO `rulebook_chunks_fts`(`rulebook_chunks_fts`) VALUES ('rebuild');
