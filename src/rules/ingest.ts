/**
 * Rulebook ingestion, one queue message per step of up to PAGES_PER_STEP
 * pages, so CPU and memory per step stay bounded and a failure retries only
 * its own pages. Each step re-opens the PDF from R2, extracts its pages,
 * chunks them (carrying the heading path in `ingest_state`), writes chunks
 * (the FTS5 index follows by trigger) and vocabulary, embeds them when the
 * production bindings exist, records progress, and queues the next step.
 * The book becomes searchable only when the last step marks it `ready`.
 */
import { bodySize, chunkPages, newChunkerState, type ChunkerState, type PageLines } from './chunker';
import { indexChunks, semanticBindings } from './embeddings';
import { words } from './normalize';
import { openPdf, openPdfByRanges, pageLines, PdfError, RANGE_LOADING_THRESHOLD } from './pdf';
import { logger } from '../lib/logger';

export const PAGES_PER_STEP = 20;
export const MAX_ATTEMPTS = 5;

export interface IngestMessage {
  rulebookId: string;
  generation: number;
  fromPage: number;
}

interface IngestState {
  body: number;
  chunker: ChunkerState;
  textPages: number;
}

interface RulebookRow {
  id: string;
  campaign_id: string;
  r2_key: string;
  source_type: 'rules' | 'lore';
  status: string;
  generation: number;
  ingest_state: string | null;
  chunk_count: number;
}

async function fail(db: D1Database, rulebookId: string, generation: number, reason: string) {
  await db.prepare("UPDATE rulebooks SET status = 'failed', stage = 'failed', error = ?, updated_at = ? WHERE id = ? AND generation = ?")
    .bind(reason, new Date().toISOString(), rulebookId, generation).run();
}

/** Small files are read whole; large ones by ranges, so memory per step stays bounded whatever the book's size. */
export interface ReadOptions {
  /** Files above this size are read by ranges. */
  rangeThreshold: number;
  rangeChunkBytes?: number;
}

async function openStoredPdf(bucket: R2Bucket, key: string, { rangeThreshold, rangeChunkBytes }: ReadOptions) {
  const head = await bucket.head(key);
  if (!head) return null;
  if (head.size <= rangeThreshold) {
    const object = await bucket.get(key);
    return object ? openPdf(new Uint8Array(await object.arrayBuffer())) : null;
  }
  return openPdfByRanges(async (start, end) => {
    const part = await bucket.get(key, { range: { offset: start, length: end - start } });
    if (!part) throw new Error(`${key} vanished while reading it`);
    return new Uint8Array(await part.arrayBuffer());
  }, head.size, rangeChunkBytes);
}

/**
 * Runs one step. Throws only for errors worth retrying (the queue retries the message).
 * @param read when to read by ranges (a parameter so tests can force that path)
 */
export async function runIngestStep(env: Env, msg: IngestMessage, attempt: number, read: ReadOptions = { rangeThreshold: RANGE_LOADING_THRESHOLD }): Promise<void> {
  const db = env.DB;
  const book = await db.prepare('SELECT id, campaign_id, r2_key, source_type, status, generation, ingest_state, chunk_count FROM rulebooks WHERE id = ?')
    .bind(msg.rulebookId).first<RulebookRow>();
  // Deleted, re-indexed since, or already finished: this message is stale.
  if (!book || book.generation !== msg.generation || book.status === 'ready' || book.status === 'failed') return;
  try {
    const pdf = await openStoredPdf(env.FILES, book.r2_key, read);
    if (!pdf) return fail(db, book.id, book.generation, 'The uploaded file is missing from storage; upload it again');
    const total = pdf.numPages;
    const last = Math.min(total, msg.fromPage + PAGES_PER_STEP - 1);
    const pages: PageLines[] = [];
    for (let page = msg.fromPage; page <= last; page++) pages.push({ page, lines: await pageLines(pdf, page) });
    await pdf.destroy();

    const previous = book.ingest_state ? (JSON.parse(book.ingest_state) as IngestState) : null;
    const state: IngestState = previous ?? { body: bodySize(pages), chunker: newChunkerState(), textPages: 0 };
    state.textPages += pages.filter((p) => p.lines.length > 0).length;
    const chunks = chunkPages(pages, state.body, state.chunker, book.source_type);

    // A retried step starts clean: drop whatever an earlier attempt wrote for these pages.
    await db.prepare('DELETE FROM rulebook_chunks WHERE rulebook_id = ? AND generation = ? AND page >= ?').bind(book.id, book.generation, msg.fromPage).run();
    // Chunks of this step: ids come back so vectors can point at them.
    const inserted: { id: number; page: number; contentType: string; heading: string; text: string }[] = [];
    const insert = db.prepare('INSERT INTO rulebook_chunks (rulebook_id, campaign_id, generation, page, ordinal, heading_path, heading, content_type, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id');
    for (let i = 0; i < chunks.length; i += 50) {
      const slice = chunks.slice(i, i + 50);
      const results = await db.batch<{ id: number }>(slice.map((c) => insert.bind(book.id, book.campaign_id, book.generation, c.page, c.ordinal, JSON.stringify(c.headingPath), c.heading, c.contentType, c.text)));
      results.forEach((r, j) => inserted.push({ id: r.results[0]!.id, ...slice[j]! }));
    }
    const freq = new Map<string, number>();
    for (const c of chunks) for (const w of words(`${c.heading} ${c.text}`)) if (w.length <= 40) freq.set(w, (freq.get(w) ?? 0) + 1);
    const upsertTerm = db.prepare('INSERT INTO rulebook_terms (rulebook_id, term, freq) VALUES (?, ?, ?) ON CONFLICT(rulebook_id, term) DO UPDATE SET freq = freq + excluded.freq');
    const termRows = [...freq].map(([term, n]) => upsertTerm.bind(book.id, term, n));
    for (let i = 0; i < termRows.length; i += 100) await db.batch(termRows.slice(i, i + 100));

    const semantic = semanticBindings(env);
    if (semantic) await indexChunks(semantic, book.campaign_id, book.id, inserted);

    const done = last >= total;
    const now = new Date().toISOString();
    if (done && state.textPages === 0) {
      return fail(db, book.id, book.generation, 'No text found: the pages look scanned (images only). Upload a PDF with a text layer, or run OCR first');
    }
    await db.prepare(`UPDATE rulebooks SET status = ?, stage = ?, pages_total = ?, pages_done = ?, chunk_count = chunk_count + ?, ingest_state = ?, error = NULL, updated_at = ? WHERE id = ? AND generation = ?`)
      .bind(done ? 'ready' : 'processing', done ? 'ready' : 'extracting', total, last, chunks.length, JSON.stringify(state), now, book.id, book.generation).run();
    if (!done) await env.INGEST_QUEUE.send({ rulebookId: book.id, generation: book.generation, fromPage: last + 1 } satisfies IngestMessage);
  } catch (err) {
    if (err instanceof PdfError) return fail(db, book.id, book.generation, err.message);
    logger.error('ingestion step failed', { rulebookId: book.id, fromPage: msg.fromPage, attempt, error: err instanceof Error ? err.stack : String(err) });
    if (attempt >= MAX_ATTEMPTS) return fail(db, book.id, book.generation, `Ingestion kept failing at page ${msg.fromPage}; try re-indexing`);
    throw err;
  }
}
