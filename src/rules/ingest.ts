/**
 * Rulebook ingestion, one queue message per step of up to PAGES_PER_STEP
 * pages, so CPU and memory per step stay bounded and a failure retries only
 * its own pages. Each step re-opens the PDF from R2, extracts its pages,
 * chunks them (carrying the heading path in `ingest_state`), writes chunks
 * (the FTS5 index follows by trigger) and vocabulary, embeds them when the
 * production bindings exist, records progress, and queues the next step.
 * The book becomes searchable only when the last step marks it `ready`.
 */
import { bodySize, chunkPages, newChunkerState, type Chunk, type ChunkerState, type PageLines } from './chunker';
import { deleteChunkVectors, indexChunks, semanticBindings } from './embeddings';
import { words } from './normalize';
import { openPdf, openPdfByRanges, pageLines, PdfError, RANGE_LOADING_THRESHOLD, readOutline, type OutlineEntry } from './pdf';
import { logger } from '../lib/logger';
import { addTerms, deleteChunksFrom, failBook, insertChunks, readBook, recordProgress } from './store';

export const PAGES_PER_STEP = 40;
export const MAX_ATTEMPTS = 5;

/** The last page a step starting at `fromPage` reads, in a book of `total` pages. */
const lastPageOfStep = (fromPage: number, total: number) => Math.min(total, fromPage + PAGES_PER_STEP - 1);

export interface IngestMessage {
  rulebookId: string;
  generation: number;
  fromPage: number;
}

export interface IngestState {
  body: number;
  chunker: ChunkerState;
  textPages: number;
}

/** The state of a book's first step: body text size from its first pages, headings from its outline. */
export function startState(pages: PageLines[], outline: OutlineEntry[]): IngestState {
  return { body: bodySize(pages), chunker: newChunkerState(outline), textPages: 0 };
}

/**
 * Chunks one step's pages, carrying headings, tables, unfinished sentences and a section's start held back at the
 * last page's foot in `state`; also the step's word frequencies.
 * @param more a later step follows
 */
export function chunkStep(pages: PageLines[], state: IngestState, sourceType: 'rules' | 'lore', more: boolean): { chunks: Chunk[]; freq: Map<string, number> } {
  state.textPages += pages.filter((p) => p.lines.length > 0).length;
  const chunks = chunkPages(pages, state.body, state.chunker, sourceType, { more });
  const freq = new Map<string, number>();
  for (const c of chunks) for (const w of words(`${c.heading} ${c.text}`)) if (w.length <= 40) freq.set(w, (freq.get(w) ?? 0) + 1);
  return { chunks, freq };
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
  const book = await readBook(db, msg.rulebookId);
  // Deleted, re-indexed since, or already finished: this message is stale.
  if (!book || book.generation !== msg.generation || book.status === 'ready' || book.status === 'failed') return;
  // This step's progress is recorded (its state moved past it): it ran and only queueing its successor failed, or the
  // queue delivered it twice. Redoing it from the later state would write its pages again under the wrong headings.
  if (book.pagesDone >= msg.fromPage) {
    const total = book.pagesTotal ?? 0;
    if (book.pagesDone === lastPageOfStep(msg.fromPage, total) && book.pagesDone < total) {
      await env.INGEST_QUEUE.send({ rulebookId: book.id, generation: book.generation, fromPage: book.pagesDone + 1 } satisfies IngestMessage);
    }
    return;
  }
  try {
    const pdf = await openStoredPdf(env.FILES, book.r2Key, read);
    if (!pdf) return failBook(db, book.id, book.generation, 'The uploaded file is missing from storage; upload it again');
    const total = pdf.numPages;
    const last = lastPageOfStep(msg.fromPage, total);
    const pages: PageLines[] = [];
    for (let page = msg.fromPage; page <= last; page++) pages.push({ page, lines: await pageLines(pdf, page) });
    const previous = book.ingestState as IngestState | null;
    const state = previous ?? startState(pages, await readOutline(pdf));
    await pdf.destroy();
    // The step's passages are numbered on from the state it starts with: a retry deletes from there.
    const firstOrdinal = state.chunker.ordinal;
    const { chunks, freq } = chunkStep(pages, state, book.sourceType, last < total);

    // A retried step starts clean: drop whatever an earlier attempt wrote (by position, not page: a section start
    // held back by the previous step is written by this one, on the previous step's last page if it stands alone).
    const stale = await deleteChunksFrom(db, book, firstOrdinal);
    const semantic = semanticBindings(env);
    if (semantic && stale.length) await deleteChunkVectors(semantic, book.id, stale);
    // Chunks of this step: ids come back so vectors can point at them.
    const ids = await insertChunks(db, book, chunks);
    const inserted = chunks.map((c, i) => ({ id: ids[i]!, ...c }));
    await addTerms(db, book.id, freq);

    if (semantic) await indexChunks(semantic, book.campaignId, book.id, inserted);

    const done = last >= total;
    if (done && state.textPages === 0) {
      return failBook(db, book.id, book.generation, 'No text found: the pages look scanned (images only). Upload a PDF with a text layer, or run OCR first');
    }
    await recordProgress(db, book, { done, total, last, chunks: chunks.length, state });
    if (!done) await env.INGEST_QUEUE.send({ rulebookId: book.id, generation: book.generation, fromPage: last + 1 } satisfies IngestMessage);
  } catch (err) {
    if (err instanceof PdfError) return failBook(db, book.id, book.generation, err.message);
    logger.error('ingestion step failed', { rulebookId: book.id, fromPage: msg.fromPage, attempt, error: err instanceof Error ? err.stack : String(err) });
    if (attempt >= MAX_ATTEMPTS) return failBook(db, book.id, book.generation, `Ingestion kept failing at page ${msg.fromPage}; try re-indexing`);
    throw err;
  }
}
