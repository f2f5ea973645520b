/**
 * Rules search over a campaign's ready rulebooks: FTS5 bm25 (headings weigh
 * four times the text), query understanding from query.ts, intent narrowing
 * with fallback, "did you mean", and per-hit explanations.
 */
import type { ContentType } from './classify';
import { embed, type SemanticBindings } from './embeddings';
import { DEFAULT_WEIGHTS, fuse } from './fusion';
import { planQuery, queryWords, type QueryPlan } from './query';

export interface SearchOptions {
  limit: number;
  rulebookId?: string;
  sourceType?: 'rules' | 'lore';
  contentType?: ContentType;
  explain?: boolean;
  /** False: plain keyword search without query understanding. */
  understanding?: boolean;
}

export interface SearchHit {
  chunkId: number;
  rulebookId: string;
  rulebookTitle: string;
  sourceType: string;
  /** The book's licence statement, shown with its text. */
  attribution: string;
  page: number;
  headingPath: string[];
  contentType: string;
  snippet: string;
  score: number;
  explain?: { headingScore: number; textScore: number; intentBoost: number; matchedTerms: string[]; lexicalRank: number | null; semanticRank: number | null; semanticScore: number | null };
}

export interface SearchResult {
  hits: SearchHit[];
  plan: QueryPlan;
  didYouMean: string | null;
  /** The content type the results were narrowed to, if intent detection did so. */
  narrowedTo: ContentType | null;
  /** Whether semantic retrieval took part. */
  semantic: boolean;
}

const HEADING_WEIGHT = 4;
const INTENT_BOOST = 2;

interface Row {
  id: number;
  rulebook_id: string;
  title: string;
  source_type: string;
  attribution: string;
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
  if (keys.length === 0) return vocab;
  const candidates = db.prepare(`SELECT t.term, sum(t.freq) AS freq FROM rulebook_terms t JOIN rulebooks r ON r.id = t.rulebook_id
      WHERE r.campaign_id = ? AND r.status = 'ready' AND substr(t.term, 1, 1) = ? AND length(t.term) BETWEEN ? AND ? GROUP BY t.term`);
  // One round trip for all query words.
  const results = await db.batch<{ term: string; freq: number }>(keys.map((key) => {
    const [first, len] = key.split(':') as [string, string];
    return candidates.bind(campaignId, first, Number(len) - 2, Number(len) + 2);
  }));
  for (const result of results) for (const r of result.results) vocab.set(r.term, r.freq);
  return vocab;
}

async function entityTypes(db: D1Database, campaignId: string, terms: string[]): Promise<Map<string, ContentType>> {
  const candidates = [...terms, ...terms.slice(1).map((t, i) => `${terms[i]} ${t}`)];
  if (candidates.length === 0) return new Map();
  const rows = await db.prepare(`SELECT lower(c.heading) AS heading, c.content_type FROM rulebook_chunks c JOIN rulebooks r ON r.id = c.rulebook_id AND r.generation = c.generation
    WHERE r.campaign_id = ? AND r.status = 'ready' AND lower(c.heading) IN (${candidates.map(() => '?').join(',')}) LIMIT 20`)
    .bind(campaignId, ...candidates).all<{ heading: string; content_type: ContentType }>();
  const map = new Map<string, ContentType>();
  // Whole headings only: "hold person" names a spell, but "person" alone does not.
  for (const r of rows.results) if (!map.has(r.heading)) map.set(r.heading, r.content_type);
  return map;
}

async function runMatch(db: D1Database, campaignId: string, plan: QueryPlan, opts: SearchOptions, contentType: string | undefined, boostType: string | null): Promise<Row[]> {
  const filters: string[] = [];
  const filterBinds: unknown[] = [];
  if (opts.rulebookId) { filters.push('AND r.id = ?'); filterBinds.push(opts.rulebookId); }
  if (opts.sourceType) { filters.push('AND r.source_type = ?'); filterBinds.push(opts.sourceType); }
  if (contentType) { filters.push('AND c.content_type = ?'); filterBinds.push(contentType); }
  const sql = `SELECT c.id, c.rulebook_id, r.title, r.source_type, r.attribution, c.page, c.heading_path, c.heading, c.content_type, c.text,
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

/** D1 binds at most 100 parameters per statement: id lists are read in slices of this many. */
const IDS_PER_STATEMENT = 90;

/** Chunk rows by id, for hits that only the semantic side found. */
async function rowsById(db: D1Database, campaignId: string, ids: number[]): Promise<Row[]> {
  if (ids.length === 0) return [];
  const slices: number[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) slices.push(ids.slice(i, i + IDS_PER_STATEMENT));
  const results = await db.batch<Row>(slices.map((slice) => db.prepare(`SELECT c.id, c.rulebook_id, r.title, r.source_type, r.attribution, c.page, c.heading_path, c.heading, c.content_type, c.text,
      substr(c.text, 1, 240) AS snippet, 0 AS heading_score, 0 AS text_score, 0 AS score
    FROM rulebook_chunks c JOIN rulebooks r ON r.id = c.rulebook_id AND r.generation = c.generation
    WHERE c.campaign_id = ? AND r.status = 'ready' AND c.id IN (${slice.map(() => '?').join(',')})`).bind(campaignId, ...slice)));
  return results.flatMap((r) => r.results);
}

/** Vectorize matches for the query, as chunk ids best first (the namespace keeps campaigns apart). */
async function semanticIds(bindings: SemanticBindings, campaignId: string, query: string, opts: SearchOptions, contentType: string | undefined, topK: number) {
  const [vector] = await embed(bindings.ai, [query]);
  const filter: Record<string, string> = {};
  if (opts.rulebookId) filter.rulebookId = opts.rulebookId;
  if (contentType) filter.contentType = contentType;
  const { matches } = await bindings.index.query(vector!, { topK, namespace: campaignId, filter: Object.keys(filter).length ? filter : undefined, returnMetadata: 'all' });
  return matches.map((m) => ({ id: Number(m.metadata?.chunkId ?? m.id.split(':')[1]), score: m.score })).filter((m) => Number.isInteger(m.id));
}

export async function searchRules(db: D1Database, campaignId: string, query: string, opts: SearchOptions, semantic: SemanticBindings | null = null, weights = DEFAULT_WEIGHTS): Promise<SearchResult> {
  const rawTerms = queryWords(query);
  const plain = opts.understanding === false;
  const [vocab, entities] = plain ? [new Map<string, number>(), undefined] : await Promise.all([vocabulary(db, campaignId, rawTerms), entityTypes(db, campaignId, rawTerms)]);
  const plan = planQuery(query, { vocabulary: vocab, entityTypes: entities, plain });
  const didYouMean = plan.corrections.length ? plan.corrections.reduce((q, c) => q.replace(new RegExp(`\\b${c.from}\\b`, 'i'), c.to), query) : null;
  if (!plan.match && !semantic) return { hits: [], plan, didYouMean, narrowedTo: null, semantic: false };
  let narrowedTo: ContentType | null = null;
  let rows: Row[] = [];
  // Fetch deeper than asked when fusing, so both lists have room to agree.
  const depth = semantic ? Math.max(opts.limit, 30) : opts.limit;
  const lexical = (contentType: string | undefined) => (plan.match ? runMatch(db, campaignId, plan, { ...opts, limit: depth }, contentType, plan.intent) : Promise.resolve([]));
  // Intent boosts the matching content type but does not filter: measured on bench/retrieval, filtering by
  // intent lost answers whenever a rule word is also a spell name ("jump", "sleep", "resistance").
  // Only an explicit contentType filters.
  rows = await lexical(opts.contentType);
  if (opts.contentType) narrowedTo = opts.contentType;

  let ordered: { row: Row; lexicalRank: number | null; semanticRank: number | null; semanticScore: number | null; score: number }[];
  if (semantic) {
    const matches = await semanticIds(semantic, campaignId, query, opts, narrowedTo ?? opts.contentType, depth);
    const fused = fuse([{ weight: weights.lexical, ids: rows.map((r) => r.id) }, { weight: weights.semantic, ids: matches.map((m) => m.id) }]);
    const known = new Map(rows.map((r) => [r.id, r]));
    for (const r of await rowsById(db, campaignId, fused.map((f) => f.id).filter((id) => !known.has(id)))) known.set(r.id, r);
    ordered = fused.filter((f) => known.has(f.id)).slice(0, opts.limit).map((f) => {
      const semanticIndex = matches.findIndex((m) => m.id === f.id);
      const lexicalIndex = rows.findIndex((r) => r.id === f.id);
      return {
        row: known.get(f.id)!, score: f.score, lexicalRank: lexicalIndex >= 0 ? lexicalIndex + 1 : null,
        semanticRank: semanticIndex >= 0 ? semanticIndex + 1 : null, semanticScore: semanticIndex >= 0 ? matches[semanticIndex]!.score : null,
      };
    });
  } else {
    ordered = rows.map((row, i) => ({ row, score: row.score, lexicalRank: i + 1, semanticRank: null, semanticScore: null }));
  }

  const stems = plan.expansions.map((e) => e.term.toLowerCase());
  const hits = ordered.map(({ row: r, score, lexicalRank, semanticRank, semanticScore }): SearchHit => {
    const haystack = `${r.heading} ${r.text}`.toLowerCase();
    const hit: SearchHit = {
      chunkId: r.id, rulebookId: r.rulebook_id, rulebookTitle: r.title, sourceType: r.source_type, attribution: r.attribution, page: r.page,
      headingPath: JSON.parse(r.heading_path) as string[], contentType: r.content_type, snippet: r.snippet, score: Math.round(score * 10000) / 10000,
    };
    if (opts.explain) {
      hit.explain = {
        headingScore: Math.round(r.heading_score * 1000) / 1000,
        textScore: Math.round(r.text_score * 1000) / 1000,
        intentBoost: plan.intent && r.content_type === plan.intent ? INTENT_BOOST : 0,
        matchedTerms: stems.filter((t) => haystack.includes(t.slice(0, Math.max(4, t.length - 3)))),
        lexicalRank, semanticRank, semanticScore,
      };
    }
    return hit;
  });
  return { hits, plan, didYouMean, narrowedTo, semantic: semantic !== null };
}
