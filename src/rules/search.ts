/**
 * Rules search over a campaign's ready rulebooks: FTS5 bm25 (headings weigh
 * four times the text), query understanding from query.ts, intent narrowing
 * with fallback, "did you mean", and per-hit explanations.
 */
import type { ContentType } from './classify';
import { planQuery, queryWords, type QueryPlan } from './query';

export interface SearchOptions {
  limit: number;
  rulebookId?: string;
  sourceType?: 'rules' | 'lore';
  contentType?: ContentType;
  explain?: boolean;
}

export interface SearchHit {
  chunkId: number;
  rulebookId: string;
  rulebookTitle: string;
  sourceType: string;
  page: number;
  headingPath: string[];
  contentType: string;
  snippet: string;
  score: number;
  explain?: { headingScore: number; textScore: number; intentBoost: number; matchedTerms: string[] };
}

export interface SearchResult {
  hits: SearchHit[];
  plan: QueryPlan;
  didYouMean: string | null;
  /** The content type the results were narrowed to, if intent detection did so. */
  narrowedTo: ContentType | null;
}

const HEADING_WEIGHT = 4;
const INTENT_BOOST = 2;

interface Row {
  id: number;
  rulebook_id: string;
  title: string;
  source_type: string;
  page: number;
  heading_path: string;
  heading: string;
  content_type: string;
  text: string;
  snippet: string;
  heading_score: number;
  text_score: number;
  score: number;
}

async function vocabulary(db: D1Database, campaignId: string, terms: string[]): Promise<Map<string, number>> {
  const vocab = new Map<string, number>();
  const keys = [...new Set(terms.filter((t) => t.length >= 4).map((t) => `${t[0]}:${t.length}`))];
  for (const key of keys) {
    const [first, len] = key.split(':') as [string, string];
    const n = Number(len);
    const rows = await db.prepare(`SELECT t.term, sum(t.freq) AS freq FROM rulebook_terms t JOIN rulebooks r ON r.id = t.rulebook_id
      WHERE r.campaign_id = ? AND r.status = 'ready' AND substr(t.term, 1, 1) = ? AND length(t.term) BETWEEN ? AND ? GROUP BY t.term`)
      .bind(campaignId, first, n - 2, n + 2).all<{ term: string; freq: number }>();
    for (const r of rows.results) vocab.set(r.term, r.freq);
  }
  return vocab;
}

async function entityTypes(db: D1Database, campaignId: string, terms: string[]): Promise<Map<string, ContentType>> {
  const candidates = [...terms, ...terms.slice(1).map((t, i) => `${terms[i]} ${t}`)];
  if (candidates.length === 0) return new Map();
  const rows = await db.prepare(`SELECT lower(c.heading) AS heading, c.content_type FROM rulebook_chunks c JOIN rulebooks r ON r.id = c.rulebook_id AND r.generation = c.generation
    WHERE r.campaign_id = ? AND r.status = 'ready' AND lower(c.heading) IN (${candidates.map(() => '?').join(',')}) LIMIT 20`)
    .bind(campaignId, ...candidates).all<{ heading: string; content_type: ContentType }>();
  const map = new Map<string, ContentType>();
  for (const r of rows.results) for (const part of r.heading.split(' ')) if (!map.has(part)) map.set(part, r.content_type);
  return map;
}

async function runMatch(db: D1Database, campaignId: string, plan: QueryPlan, opts: SearchOptions, contentType: string | undefined, boostType: string | null): Promise<Row[]> {
  const filters: string[] = [];
  const filterBinds: unknown[] = [];
  if (opts.rulebookId) { filters.push('AND r.id = ?'); filterBinds.push(opts.rulebookId); }
  if (opts.sourceType) { filters.push('AND r.source_type = ?'); filterBinds.push(opts.sourceType); }
  if (contentType) { filters.push('AND c.content_type = ?'); filterBinds.push(contentType); }
  const sql = `SELECT c.id, c.rulebook_id, r.title, r.source_type, c.page, c.heading_path, c.heading, c.content_type, c.text,
      snippet(rulebook_chunks_fts, 1, '<mark>', '</mark>', '…', 32) AS snippet,
      -bm25(rulebook_chunks_fts, ${HEADING_WEIGHT}, 0) AS heading_score,
      -bm25(rulebook_chunks_fts, 0, 1) AS text_score,
      -bm25(rulebook_chunks_fts, ${HEADING_WEIGHT}, 1) + (CASE WHEN c.content_type = ? THEN ? ELSE 0 END) AS score
    FROM rulebook_chunks_fts
    JOIN rulebook_chunks c ON c.id = rulebook_chunks_fts.rowid
    JOIN rulebooks r ON r.id = c.rulebook_id AND r.generation = c.generation
    WHERE rulebook_chunks_fts MATCH ? AND c.campaign_id = ? AND r.status = 'ready' ${filters.join(' ')}
    ORDER BY score DESC LIMIT ?`;
  // Bindings in the order their placeholders appear: the intent boost, the match, the filters, the limit.
  const result = await db.prepare(sql).bind(boostType ?? '', INTENT_BOOST, plan.match, campaignId, ...filterBinds, opts.limit).all<Row>();
  return result.results;
}

export async function searchRules(db: D1Database, campaignId: string, query: string, opts: SearchOptions): Promise<SearchResult> {
  const rawTerms = queryWords(query);
  const vocab = await vocabulary(db, campaignId, rawTerms);
  const plan = planQuery(query, { vocabulary: vocab, entityTypes: await entityTypes(db, campaignId, rawTerms) });
  const didYouMean = plan.corrections.length ? plan.corrections.reduce((q, c) => q.replace(new RegExp(`\\b${c.from}\\b`, 'i'), c.to), query) : null;
  if (!plan.match) return { hits: [], plan, didYouMean, narrowedTo: null };
  let narrowedTo: ContentType | null = null;
  let rows: Row[] = [];
  if (!opts.contentType && plan.intent) {
    rows = await runMatch(db, campaignId, plan, opts, plan.intent, plan.intent);
    if (rows.length > 0) narrowedTo = plan.intent;
  }
  if (rows.length === 0) rows = await runMatch(db, campaignId, plan, opts, opts.contentType, plan.intent);
  const stems = plan.expansions.map((e) => e.term.toLowerCase());
  const hits = rows.map((r): SearchHit => {
    const haystack = `${r.heading} ${r.text}`.toLowerCase();
    const hit: SearchHit = {
      chunkId: r.id, rulebookId: r.rulebook_id, rulebookTitle: r.title, sourceType: r.source_type, page: r.page,
      headingPath: JSON.parse(r.heading_path) as string[], contentType: r.content_type, snippet: r.snippet, score: Math.round(r.score * 1000) / 1000,
    };
    if (opts.explain) {
      hit.explain = {
        headingScore: Math.round(r.heading_score * 1000) / 1000,
        textScore: Math.round(r.text_score * 1000) / 1000,
        intentBoost: plan.intent && r.content_type === plan.intent ? INTENT_BOOST : 0,
        matchedTerms: stems.filter((t) => haystack.includes(t.slice(0, Math.max(4, t.length - 3)))),
      };
    }
    return hit;
  });
  return { hits, plan, didYouMean, narrowedTo };
}
