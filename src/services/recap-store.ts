/**
 * The recap search's SQL (FTS5 MATCH, bm25 and snippets cannot be said in drizzle): `session_recaps_fts`, kept
 * in step with `game_sessions` by triggers (migrations/0013_recap_search.sql). Which columns a search may match is
 * the caller's decision (services/recaps.ts): players never match the GM's recap.
 */

export interface RecapHit {
  sessionId: string;
  title: string;
  endedAt: string | null;
  snippet: string;
  score: number;
}

/** The words of a question as an FTS5 query: each quoted (no operator survives), any may match; null when none. */
export function recapQuery(q: string, columns: readonly string[]): string | null {
  const words = [...new Set((q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1))].slice(0, 16);
  if (!words.length) return null;
  return `{${columns.join(' ')}} : (${words.map((w) => `"${w}"`).join(' OR ')})`;
}

/**
 * Ended sessions of the campaign whose recaps match, best first. `snippetColumn` is the column index the
 * snippet is cut from (3 = player-safe recap, -1 = the best-matching column).
 */
export async function matchRecaps(db: D1Database, campaignId: string, match: string, snippetColumn: number, limit: number): Promise<RecapHit[]> {
  const rows = await db.prepare(`SELECT f.session_id AS sessionId, s.title, s.ended_at AS endedAt,
      snippet(session_recaps_fts, ?, char(1), char(2), '…', 24) AS snippet, bm25(session_recaps_fts, 0, 0, 2, 1, 1) AS score
    FROM session_recaps_fts f JOIN game_sessions s ON s.id = f.session_id
    WHERE session_recaps_fts MATCH ? AND f.campaign_id = ? AND s.campaign_id = ? AND s.status = 'ended'
    ORDER BY score LIMIT ?`).bind(snippetColumn, match, campaignId, campaignId, limit).all<RecapHit>();
  return rows.results.map((r) => ({ ...r, snippet: markedHtml(r.snippet) }));
}

/** A snippet as the rules search gives them: HTML-escaped text, the matched words in <mark> (markers never forgeable). */
export function markedHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\u0001/g, '<mark>').replace(/\u0002/g, '</mark>');
}
