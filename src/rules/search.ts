/**
 * Rules search over a campaign's ready rulebooks: FTS5 bm25 over each
 * passage's heading, heading path and text, query understanding from
 * query.ts, an intent boost, "did you mean", passages of one section on one
 * page collapsed into one hit, a snippet of the sentences that answer, and
 * per-hit explanations.
 */
import type { ContentType } from './classify';
import { embed, type SemanticBindings } from './embeddings';
import { DEFAULT_WEIGHTS, fuse } from './fusion';
import { boostDefinitions, boostNamedLabels, boostNamedRows, demoteIncidentalCreatures, demoteIncidentalSections } from './named';
import { abbreviationWords, MAX_QUERY_LENGTH, planQuery, queryWords, type QueryFeature, type QueryPlan } from './query';
import { words } from './normalize';
import { snippet, type Passage, type SnippetTerm } from './snippet';
import { chunksById, headingName, RANKING, entityTypes, matchChunks, vocabulary, wordCounts, type ChunkRow as Row } from './store';

export interface SearchOptions {
  limit: number;
  rulebookId?: string;
  sourceType?: 'rules' | 'lore';
  contentType?: ContentType;
  explain?: boolean;
  /** False: plain keyword search without query understanding. */
  understanding?: boolean;
  /** Query-understanding features to switch off, or on (comparison and debugging). */
  without?: readonly QueryFeature[];
  with?: readonly QueryFeature[];
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



/** Vectorize matches for the query, as chunk ids best first (the namespace keeps campaigns apart). */
async function semanticIds(bindings: SemanticBindings, campaignId: string, query: string, opts: SearchOptions, contentType: string | undefined, topK: number) {
  const [vector] = await embed(bindings.ai, [query]);
  const filter: Record<string, string> = {};
  if (opts.rulebookId) filter.rulebookId = opts.rulebookId;
  if (contentType) filter.contentType = contentType;
  const { matches } = await bindings.index.query(vector!, { topK, namespace: campaignId, filter: Object.keys(filter).length ? filter : undefined, returnMetadata: 'all' });
  return matches.map((m) => ({ id: Number(m.metadata?.chunkId ?? m.id.split(':')[1]), score: m.score })).filter((m) => Number.isInteger(m.id));
}

/** Rows fetched at most before collapsing (the route caps `limit` at 50). */
const MAX_DEPTH = 120;

/**
 * Passages of one section on one page or the next are one hit (ranked where its best passage was),
 * so a long rule cut in three does not fill three places of five; so is a subsection ranked below its
 * section on the same page ("Ranged Attacks › Ranged Attacks in Close Combat" joins "Ranged Attacks"),
 * so the snippet can come from either. The hit cites the page its snippet is on.
 */
export function collapse<T extends { row: Row }>(ordered: T[]): (T & { passages: Passage[] })[] {
  const sections = new Map<string, (T & { rows: Row[] })[]>();
  const kept: (T & { rows: Row[] })[] = [];
  for (const item of ordered) {
    const key = `${item.row.rulebook_id}\u0000${item.row.heading_path}`;
    const hits = sections.get(key) ?? [];
    // Every passage of a hit stays within a page of the others (the best one's included).
    const same = hits.find((k) => k.rows.every((r) => Math.abs(r.page - item.row.page) <= 1));
    if (same) { same.rows.push(item.row); continue; }
    const parent = kept.find((k) => k.rows.every((r) => r.page === item.row.page) && isSubsection(item.row, k.row));
    if (parent) { parent.rows.push(item.row); continue; }
    const entry = { ...item, rows: [item.row] };
    kept.push(entry);
    hits.push(entry);
    sections.set(key, hits);
  }
  // The section's text in reading order, so its opening sentences come first.
  return kept.map(({ rows, ...item }) => ({ ...(item as unknown as T), passages: rows.sort((a, b) => a.ordinal - b.ordinal).map((r) => ({ text: r.text, page: r.page, previousPageChars: r.previous_page_chars })) }));
}

/**
 * Hits whose text another, better hit already shows, numbers aside, are left out: the books print one rule for many
 * creatures ("Wing Attack" under every adult and ancient dragon, with its own DC), and twenty copies of it would
 * bury every other answer.
 */
export function distinct<T extends { row: Row }>(hits: T[]): T[] {
  const seen = new Set<string>();
  return hits.filter(({ row }) => {
    const key = row.text.toLowerCase().replace(/[\d\s]+/g, ' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Whether a passage is in a direct subsection of another's section, of the same kind (a table under a
 * rule stays its own hit), below a chapter (a chapter's opening is not the section of all it holds).
 */
function isSubsection(child: Row, parent: Row): boolean {
  if (child.rulebook_id !== parent.rulebook_id || child.content_type !== parent.content_type) return false;
  // The stored paths are JSON arrays: the parent's, open, starts the child's.
  if (!child.heading_path.startsWith(`${parent.heading_path.slice(0, -1)},`)) return false;
  const depth = (JSON.parse(parent.heading_path) as string[]).length;
  return depth >= 2 && (JSON.parse(child.heading_path) as string[]).length === depth + 1;
}

/** The words a snippet looks for: the player's own (and corrected) words weigh more than added synonyms and idioms (0.8, tuned on the development split), rare words more than common ones. */
function snippetTerms(plan: QueryPlan, vocab: Map<string, number>): SnippetTerm[] {
  const rarity = (word: string) => Math.log(1 + 2000 / (1 + (vocab.get(word) ?? 20)));
  return plan.expansions.flatMap((e) => e.term.split(/\s+/).map((word) => ({ word, weight: rarity(word) * (e.via === 'synonym' || e.via === 'idiom' ? 0.8 : 1) })));
}

export async function searchRules(db: D1Database, campaignId: string, query: string, opts: SearchOptions, semantic: SemanticBindings | null = null, weights = DEFAULT_WEIGHTS): Promise<SearchResult> {
  const rawTerms = queryWords(query);
  const plain = opts.understanding === false;
  const [vocab, usage, entities] = plain
    ? [new Map<string, number>(), undefined, undefined]
    : await Promise.all([vocabulary(db, campaignId, rawTerms), wordCounts(db, campaignId, abbreviationWords(rawTerms)), entityTypes(db, campaignId, query)]);
  const plan = planQuery(query, { vocabulary: vocab, usage, entityTypes: entities, plain, without: opts.without, with: opts.with });
  const didYouMean = plan.corrections.length ? plan.corrections.reduce((q, c) => q.replace(new RegExp(`\\b${c.from}\\b`, 'i'), c.to), query) : null;
  if (!plan.match && !semantic) return { hits: [], plan, didYouMean, narrowedTo: null, semantic: false };
  let narrowedTo: ContentType | null = null;
  let rows: Row[] = [];
  // Fetch deeper than asked: collapsing passages of one section loses some, and fusing needs room for both lists to agree.
  const depth = Math.min(MAX_DEPTH, Math.max(opts.limit * 2 + 10, semantic ? 30 : 0));
  const lexical = (contentType: string | undefined) => (plan.match ? matchChunks(db, campaignId, plan, { ...opts, limit: depth }, contentType, plan.intent) : Promise.resolve([]));
  // Intent boosts the matching content type but does not filter: measured on bench/retrieval, filtering by
  // intent lost answers whenever a rule word is also a spell name ("jump", "sleep", "resistance").
  // Only an explicit contentType filters.
  rows = await lexical(opts.contentType);
  const asked = words(query.slice(0, MAX_QUERY_LENGTH));
  if (!plain && !opts.without?.includes('entities')) {
    rows = demoteIncidentalCreatures(boostNamedLabels(boostNamedRows(rows, asked, RANKING.rowBoost), asked, RANKING.labelBoost), asked, plan, RANKING);
    rows = demoteIncidentalSections(rows, asked, plan.named, RANKING.namedBoost);
  }
  if (!plain && !opts.without?.includes('definitions')) rows = boostDefinitions(rows, asked, RANKING.definitionBoost);
  if (opts.contentType) narrowedTo = opts.contentType;

  let ordered: { row: Row; lexicalRank: number | null; semanticRank: number | null; semanticScore: number | null; score: number }[];
  if (semantic) {
    const matches = await semanticIds(semantic, campaignId, query, opts, narrowedTo ?? opts.contentType, depth);
    const fused = fuse([{ weight: weights.lexical, ids: rows.map((r) => r.id) }, { weight: weights.semantic, ids: matches.map((m) => m.id) }]);
    const known = new Map(rows.map((r) => [r.id, r]));
    for (const r of await chunksById(db, campaignId, fused.map((f) => f.id).filter((id) => !known.has(id)))) known.set(r.id, r);
    ordered = fused.filter((f) => known.has(f.id)).slice(0, depth).map((f) => {
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
  const terms = snippetTerms(plan, vocab);
  const hits = distinct(collapse(ordered)).slice(0, opts.limit).map(({ row: r, passages, score, lexicalRank, semanticRank, semanticScore }): SearchHit => {
    const haystack = `${r.heading} ${r.text}`.toLowerCase();
    const header = r.content_type === 'table' ? r.text.split('\n')[0] : undefined;
    // A stat block opens with numbers, not a definition: its opening does not count with the creature's name
    // (its named actions do: "clay golem slam").
    const prose = r.content_type !== 'monster';
    const shown = snippet(passages, terms, header, prose && plan.named.includes(headingName(r.heading)), r.heading, !prose);
    const hit: SearchHit = {
      chunkId: r.id, rulebookId: r.rulebook_id, rulebookTitle: r.title, sourceType: r.source_type, attribution: r.attribution, page: shown.page,
      headingPath: JSON.parse(r.heading_path) as string[], contentType: r.content_type, snippet: shown.html, score: Math.round(score * 10000) / 10000,
    };
    if (opts.explain) {
      hit.explain = {
        headingScore: Math.round(r.heading_score * 1000) / 1000,
        textScore: Math.round(r.text_score * 1000) / 1000,
        intentBoost: plan.intent && r.content_type === plan.intent ? RANKING.intentBoost : 0,
        matchedTerms: stems.filter((t) => haystack.includes(t.slice(0, Math.max(4, t.length - 3)))),
        lexicalRank, semanticRank, semanticScore,
      };
    }
    return hit;
  });
  return { hits, plan, didYouMean, narrowedTo, semantic: semantic !== null };
}
