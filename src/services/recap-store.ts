/**
 * The recap search's SQL (FTS5 MATCH, bm25 and snippets cannot be said in drizzle): `session_recaps_fts`, kept
 * in step with `game_sessions` by triggers (migrations/0013_recap_search.sql). The audience rule lives here once:
 * players match and read only titles and the player-safe recap, never the GM's.
 */
import { escapeHtml } from '../lib/html';

export interface RecapHit {
  sessionId: string;
  title: string;
  endedAt: string | null;
  /** HTML-escaped, the matched words in <mark>. */
  snippet: string;
  /** The whole recap the audience reads. */
  text: string;
}

/** The recap an audience reads: the GM's (or, without one, the players'), or the players'. */
export const recapText = (row: { recap: string; gmRecap: string }, gm: boolean) => (gm ? row.gmRecap || row.recap : row.recap);

/** The words of a question as an FTS5 query: each quoted (no operator survives), any may match; null when none. */
function recapQuery(q: string, columns: readonly string[]): string | null {
  const words = [...new Set((q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1))].slice(0, 16);
  if (!words.length) return null;
  return `{${columns.join(' ')}} : (${words.map((w) => `"${w}"`).join(' OR ')})`;
}

/**
 * Ended sessions of the campaign whose recaps match `q`, best first, as the audience may see them: a GM's search
 * matches and cuts snippets from every column (-1: the best-matching one), a player's only the title and the
 * player-safe recap (snippets from column 3, that recap).
 */
export async function matchRecaps(db: D1Database, campaignId: string, q: string, gm: boolean, limit: number): Promise<RecapHit[]> {
  const match = recapQuery(q, gm ? ['title', 'recap', 'gm_recap'] : ['title', 'recap']);
  if (!match) return [];
  const rows = await db.prepare(`SELECT f.session_id AS sessionId, s.title, s.ended_at AS endedAt, s.recap, s.gm_recap AS gmRecap,
      snippet(session_recaps_fts, ?, char(1), char(2), '…', 24) AS snippet, bm25(session_recaps_fts, 0, 0, 2, 1, 1) AS score
    FROM session_recaps_fts f JOIN game_sessions s ON s.id = f.session_id
    WHERE session_recaps_fts MATCH ? AND f.campaign_id = ? AND s.campaign_id = ? AND s.status = 'ended'
    ORDER BY score LIMIT ?`).bind(gm ? -1 : 3, match, campaignId, campaignId, limit)
    .all<{ sessionId: string; title: string; endedAt: string | null; recap: string; gmRecap: string; snippet: string }>();
  return rows.results.map((r) => ({ sessionId: r.sessionId, title: r.title, endedAt: r.endedAt, snippet: markedHtml(r.snippet), text: recapText(r, gm) }));
}

/** A snippet as the rules search gives them: HTML-escaped text, the matched words in <mark> (markers never forgeable). */
export function markedHtml(text: string): string {
  return escapeHtml(text).replace(/\u0001/g, '<mark>').replace(/\u0002/g, '</mark>');
}
