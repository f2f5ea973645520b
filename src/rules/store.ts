/**
 * Every D1 statement of the rulebook area, in one place: the rulebooks table
 * through drizzle, and the raw SQL drizzle cannot express — FTS5 MATCH with
 * bm25 and snippets over `rulebook_chunks_fts` (an external-content table
 * kept in step by triggers), chunk inserts that return their ids, and the
 * vocabulary upsert. Variable-length lists are bounded or sliced under D1's
 * 100 bound parameters per statement.
 */
import { and, eq, sql } from 'drizzle-orm';
import { createDatabase } from '../db/client';
import { rulebooks } from '../db/schema';
import type { Chunk } from './chunker';
import { ENTITY_CONTENT_TYPES, EntityIndex, NOT_ENTITIES, type EntityDefinition } from './entity-check';
import type { ContentType } from './classify';
import { headingCandidates, MAX_NAMED, type QueryPlan } from './query';
import type { SearchOptions } from './search';
import { parseStatBlock, type PrintedMonster } from './stat-block';

/**
 * How lexical search ranks, tuned on the gold set's development split (bench/retrieval-tune.ts):
 * bm25 weights of the index's columns (a passage's own heading, its whole heading path, its text),
 * what is added for the content type the query is about, and for passages under a heading the
 * query names ("fireball damage" → the Fireball passages) or for a table with a row it names
 * ("longsword damage" → the weapons table) or a run-in label it names ("forced march"; both in named.ts),
 * or that define what it names ("what are celestials" → "Celestials are creatures native to…"; 2 to 8 measured
 * alike on the development split, 4 like the other boosts).
 */
export const RANKING = { headingWeight: 4, pathWeight: 1, textWeight: 1, intentBoost: 2, namedBoost: 4, rowBoost: 4, labelBoost: 4, definitionBoost: 4 };

export interface ChunkRow {
  id: number;
  /** Position in the book: passages of one section are shown in reading order. */
  ordinal: number;
  rulebook_id: string;
  title: string;
  source_type: string;
  attribution: string;
  page: number;
  /** Leading characters of `text` printed on the page before (see Chunk.previousPageChars). */
  previous_page_chars: number;
  heading_path: string;
  heading: string;
  content_type: string;
  text: string;
  heading_score: number;
  text_score: number;
  score: number;
}

// ── Search ──────────────────────────────────────────────────────────────

/** Vocabulary candidates near each query word (same first letter, length ±2), for spelling correction. */
export async function vocabulary(db: D1Database, campaignId: string, terms: string[]): Promise<Map<string, number>> {
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

/** How often the campaign's ready books print each of these exact words (at most 90 words: D1's 100 parameters). */
export async function wordCounts(db: D1Database, campaignId: string, words: string[]): Promise<Map<string, number>> {
  const wanted = [...new Set(words)].slice(0, 90);
  if (wanted.length === 0) return new Map();
  const rows = await db.prepare(`SELECT t.term, sum(t.freq) AS freq FROM rulebook_terms t JOIN rulebooks r ON r.id = t.rulebook_id
      WHERE r.campaign_id = ? AND r.status = 'ready' AND t.term IN (${wanted.map(() => '?').join(',')}) GROUP BY t.term`).bind(campaignId, ...wanted).all<{ term: string; freq: number }>();
  return new Map(rows.results.map((r) => [r.term, r.freq]));
}

/**
 * The name a heading gives its section, as a question would say it: lower case, without the label an outline
 * puts before a sidebar's or a table's title ("Sidebar: Casting in Armor" → "casting in armor"). The same in SQL.
 */
export const headingName = (heading: string) => heading.replace(/^(?:sidebar|table): /i, '').toLowerCase();
const HEADING_NAME = "lower(CASE WHEN c.heading LIKE 'Sidebar: %' THEN substr(c.heading, 10) WHEN c.heading LIKE 'Table: %' THEN substr(c.heading, 8) ELSE c.heading END)";

/** Whole headings of the campaign's ready books among the query's runs of words, with their content type. */
export async function entityTypes(db: D1Database, campaignId: string, query: string): Promise<Map<string, ContentType>> {
  // At most MAX_HEADING_CANDIDATES candidates and the campaign: under D1's 100 parameters.
  const candidates = headingCandidates(query);
  if (candidates.length === 0) return new Map();
  const rows = await db.prepare(`SELECT ${HEADING_NAME} AS heading, c.content_type FROM rulebook_chunks c JOIN rulebooks r ON r.id = c.rulebook_id AND r.generation = c.generation
    WHERE r.campaign_id = ? AND r.status = 'ready' AND ${HEADING_NAME} IN (${candidates.map(() => '?').join(',')}) LIMIT 20`)
    .bind(campaignId, ...candidates).all<{ heading: string; content_type: ContentType }>();
  const map = new Map<string, ContentType>();
  // Whole headings only: "hold person" names a spell, but "person" alone does not.
  for (const r of rows.results) if (!map.has(r.heading)) map.set(r.heading, r.content_type);
  return map;
}

/** The FTS5 query: bm25 with the heading weighted, an optional content-type boost and filters. */
export async function matchChunks(db: D1Database, campaignId: string, plan: QueryPlan, opts: SearchOptions, contentType: string | undefined, boostType: string | null, ranking = RANKING): Promise<ChunkRow[]> {
  const { headingWeight: h, pathWeight: p, textWeight: t } = ranking;
  const filters: string[] = [];
  const filterBinds: unknown[] = [];
  if (opts.rulebookId) { filters.push('AND r.id = ?'); filterBinds.push(opts.rulebookId); }
  if (opts.sourceType) { filters.push('AND r.source_type = ?'); filterBinds.push(opts.sourceType); }
  if (contentType) { filters.push('AND c.content_type = ?'); filterBinds.push(contentType); }
  const sql = `SELECT c.id, c.ordinal, c.rulebook_id, r.title, r.source_type, r.attribution, c.page, c.previous_page_chars, c.heading_path, c.heading, c.content_type, c.text,
      -bm25(rulebook_chunks_fts, ${h}, ${p}, 0) AS heading_score,
      -bm25(rulebook_chunks_fts, 0, 0, ${t}) AS text_score,
      -bm25(rulebook_chunks_fts, ${h}, ${p}, ${t}) + (CASE WHEN c.content_type = ? THEN ? ELSE 0 END)
        + (CASE WHEN ${HEADING_NAME} IN (${Array(MAX_NAMED).fill('?').join(', ')}) THEN ? ELSE 0 END) AS score
    FROM rulebook_chunks_fts
    CROSS JOIN rulebook_chunks c ON c.id = rulebook_chunks_fts.rowid
    CROSS JOIN rulebooks r ON r.id = c.rulebook_id AND r.generation = c.generation
    WHERE rulebook_chunks_fts MATCH ? AND c.campaign_id = ? AND r.status = 'ready' ${filters.join(' ')}
    ORDER BY score DESC LIMIT ?`;
  // CROSS JOIN fixes the join order: the MATCH runs once and drives the joins. Left to itself, SQLite
  // walks the campaign's chunks and runs the MATCH once per chunk (measured: 50-200 ms instead of 1-2 ms).
  // Bindings in the order their placeholders appear: the intent boost, the named headings' boost, the match, the filters, the limit.
  const named = [...plan.named, ...Array(MAX_NAMED).fill('')].slice(0, MAX_NAMED);
  const result = await db.prepare(sql).bind(boostType ?? '', ranking.intentBoost, ...named, ranking.namedBoost, plan.match, campaignId, ...filterBinds, opts.limit).all<ChunkRow>();
  return result.results;
}

/** D1 binds at most 100 parameters per statement: id lists are read in slices of this many. */
const IDS_PER_STATEMENT = 90;

/** Chunk rows by id, for hits that only the semantic side found. */
export async function chunksById(db: D1Database, campaignId: string, ids: number[]): Promise<ChunkRow[]> {
  if (ids.length === 0) return [];
  const slices: number[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) slices.push(ids.slice(i, i + IDS_PER_STATEMENT));
  const results = await db.batch<ChunkRow>(slices.map((slice) => db.prepare(`SELECT c.id, c.ordinal, c.rulebook_id, r.title, r.source_type, r.attribution, c.page, c.previous_page_chars, c.heading_path, c.heading, c.content_type, c.text,
      0 AS heading_score, 0 AS text_score, 0 AS score
    FROM rulebook_chunks c JOIN rulebooks r ON r.id = c.rulebook_id AND r.generation = c.generation
    WHERE c.campaign_id = ? AND r.status = 'ready' AND c.id IN (${slice.map(() => '?').join(',')})`).bind(campaignId, ...slice)));
  return results.flatMap((r) => r.results);
}

// ── Entities (content check) ────────────────────────────────────────────

export async function loadEntityIndex(db: D1Database, campaignId: string): Promise<EntityIndex> {
  const rows = await db.prepare(`SELECT c.heading AS name, c.content_type AS type, c.rulebook_id, min(c.page) AS page
    FROM rulebook_chunks c JOIN rulebooks r ON r.id = c.rulebook_id AND r.generation = c.generation
    WHERE r.campaign_id = ? AND r.status = 'ready' AND c.content_type IN (${ENTITY_CONTENT_TYPES.map(() => '?').join(',')}) AND c.heading != ''
      AND lower(c.heading) NOT IN (${NOT_ENTITIES.map(() => '?').join(',')})
    GROUP BY c.heading, c.content_type, c.rulebook_id`).bind(campaignId, ...ENTITY_CONTENT_TYPES, ...NOT_ENTITIES).all<{ name: string; type: string; rulebook_id: string; page: number }>();
  const definitions: EntityDefinition[] = rows.results.map((r) => ({ name: r.name, type: r.type, pages: [{ rulebookId: r.rulebook_id, page: r.page }] }));
  return new EntityIndex(definitions);
}

export interface BookMonster extends PrintedMonster {
  name: string;
  rulebookId: string;
  page: number;
}

/**
 * The monsters of the campaign's ready books whose stat blocks print a challenge rating (for the encounter
 * builder), one per name: the first passage of each that carries its numbers.
 */
export async function loadMonsters(db: D1Database, campaignId: string): Promise<BookMonster[]> {
  const rows = await db.prepare(`SELECT c.heading AS name, c.rulebook_id, c.page, c.text
    FROM rulebook_chunks c JOIN rulebooks r ON r.id = c.rulebook_id AND r.generation = c.generation
    WHERE r.campaign_id = ? AND r.status = 'ready' AND c.content_type = 'monster' AND c.heading != '' AND c.text LIKE '%Challenge%'
    ORDER BY c.rulebook_id, c.ordinal LIMIT 5000`).bind(campaignId).all<{ name: string; rulebook_id: string; page: number; text: string }>();
  const seen = new Map<string, BookMonster>();
  for (const row of rows.results) {
    const key = row.name.toLowerCase();
    if (seen.has(key)) continue;
    const printed = parseStatBlock(row.text);
    if (printed) seen.set(key, { ...printed, name: row.name, rulebookId: row.rulebook_id, page: row.page });
  }
  return [...seen.values()];
}

/** A fingerprint of the campaign's indexed books: check results are cached against it. */
export async function indexFingerprint(db: D1Database, campaignId: string): Promise<string> {
  const rows = await db.prepare("SELECT id, generation FROM rulebooks WHERE campaign_id = ? AND status = 'ready' ORDER BY id").bind(campaignId).all<{ id: string; generation: number }>();
  return rows.results.map((r) => `${r.id}:${r.generation}`).join(',');
}

// ── Ingestion ───────────────────────────────────────────────────────────

/** A rulebook as ingestion reads it (`ingestState` is parsed JSON, as drizzle stores it). */
export type BookRow = typeof rulebooks.$inferSelect;

export async function readBook(d1: D1Database, rulebookId: string): Promise<BookRow | null> {
  return (await createDatabase(d1).select().from(rulebooks).where(eq(rulebooks.id, rulebookId)).get()) ?? null;
}

/** Marks the book failed with a reason a GM understands (only while it is still this generation). */
export async function failBook(d1: D1Database, rulebookId: string, generation: number, reason: string) {
  await createDatabase(d1).update(rulebooks).set({ status: 'failed', stage: 'failed', error: reason, updatedAt: new Date().toISOString() })
    .where(and(eq(rulebooks.id, rulebookId), eq(rulebooks.generation, generation)));
}

export async function recordProgress(d1: D1Database, book: BookRow, progress: { done: boolean; total: number; last: number; chunks: number; state: unknown }) {
  await createDatabase(d1).update(rulebooks).set({
    status: progress.done ? 'ready' : 'processing', stage: progress.done ? 'ready' : 'extracting', pagesTotal: progress.total, pagesDone: progress.last,
    chunkCount: sql`${rulebooks.chunkCount} + ${progress.chunks}`, ingestState: progress.state, error: null, updatedAt: new Date().toISOString(),
  }).where(and(eq(rulebooks.id, book.id), eq(rulebooks.generation, book.generation)));
}

/** A retried step starts clean: drops what an earlier attempt wrote, from the step's first passage number on; returns their ids (for their vectors). */
export async function deleteChunksFrom(d1: D1Database, book: BookRow, fromOrdinal: number): Promise<number[]> {
  const { results } = await d1.prepare('DELETE FROM rulebook_chunks WHERE rulebook_id = ? AND generation = ? AND ordinal >= ? RETURNING id')
    .bind(book.id, book.generation, fromOrdinal).all<{ id: number }>();
  return results.map((r) => r.id);
}

/** Inserts chunks (the FTS index follows by trigger), 50 per batch; returns their ids in order. */
export async function insertChunks(d1: D1Database, book: BookRow, chunks: Chunk[]): Promise<number[]> {
  const ids: number[] = [];
  const insert = d1.prepare('INSERT INTO rulebook_chunks (rulebook_id, campaign_id, generation, page, ordinal, heading_path, heading, content_type, text, previous_page_chars) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id');
  for (let i = 0; i < chunks.length; i += 50) {
    const slice = chunks.slice(i, i + 50);
    const results = await d1.batch<{ id: number }>(slice.map((c) => insert.bind(book.id, book.campaignId, book.generation, c.page, c.ordinal, JSON.stringify(c.headingPath), c.heading, c.contentType, c.text, c.previousPageChars ?? 0)));
    for (const r of results) ids.push(r.results[0]!.id);
  }
  return ids;
}

/** Adds word frequencies to the book's unstemmed vocabulary (for spelling correction), 100 statements per batch. */
export async function addTerms(d1: D1Database, rulebookId: string, freq: Map<string, number>) {
  const upsert = d1.prepare('INSERT INTO rulebook_terms (rulebook_id, term, freq) VALUES (?, ?, ?) ON CONFLICT(rulebook_id, term) DO UPDATE SET freq = freq + excluded.freq');
  const rows = [...freq].map(([term, n]) => upsert.bind(rulebookId, term, n));
  for (let i = 0; i < rows.length; i += 100) await d1.batch(rows.slice(i, i + 100));
}

/** Removes a book's chunks (FTS rows follow by trigger) and vocabulary. */
export async function deleteIndex(d1: D1Database, rulebookId: string) {
  await d1.batch([
    d1.prepare('DELETE FROM rulebook_chunks WHERE rulebook_id = ?').bind(rulebookId),
    d1.prepare('DELETE FROM rulebook_terms WHERE rulebook_id = ?').bind(rulebookId),
  ]);
}
