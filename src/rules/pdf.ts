/**
 * PDF text extraction with pdf.js (through unpdf, which packages it for
 * Workers), page by page, with failures a GM understands.
 */
import { getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import { itemsToLines, type Line, type TextItem } from './layout';
import { normalizeText } from './normalize';

export class PdfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfError';
  }
}

export type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/** Reads bytes [start, end) of the file. */
export type RangeReader = (start: number, end: number) => Promise<Uint8Array>;

/** Above this size a PDF is read by ranges, so a step holds only the parts its pages need (Workers have 128 MB). */
export const RANGE_LOADING_THRESHOLD = 24 * 1024 * 1024;
const RANGE_CHUNK = 1024 * 1024;

const OPTIONS = { isEvalSupported: false, useSystemFonts: false, verbosity: 0 };

/** Opens a whole PDF held in memory. */
export function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  return guard(() => getDocumentProxy(bytes, OPTIONS as never));
}

/** Opens a PDF of `length` bytes by ranges: pdf.js asks for the chunks it needs, `read` fetches them (from R2). */
export function openPdfByRanges(read: RangeReader, length: number, chunkBytes = RANGE_CHUNK): Promise<PdfDocument> {
  return guard(async () => {
    const pdfjs = await getResolvedPDFJS();
    const transport = new pdfjs.PDFDataRangeTransport(length, await read(0, Math.min(length, chunkBytes)));
    let failure: unknown = null;
    transport.requestDataRange = (begin: number, end: number) => {
      read(begin, end).then((chunk) => transport.onDataRange(begin, chunk), (err) => {
        failure = err;
        // Unblock pdf.js; the missing data then surfaces as an error instead of a hang.
        transport.abort();
      });
    };
    const task = pdfjs.getDocument({ range: transport, length, rangeChunkSize: chunkBytes, disableAutoFetch: true, disableStream: true, ...OPTIONS } as never);
    try {
      return await task.promise;
    } catch (err) {
      throw failure ?? err;
    }
  });
}

async function guard(open: () => Promise<PdfDocument>): Promise<PdfDocument> {
  try {
    const pdf = await open();
    if (pdf.numPages < 1) throw new PdfError('The PDF has no pages');
    return pdf;
  } catch (err) {
    if (err instanceof PdfError) throw err;
    const name = (err as { name?: string })?.name ?? '';
    if (name === 'PasswordException') throw new PdfError('The PDF is password-protected; upload an unencrypted copy');
    if (name === 'InvalidPDFException' || name === 'FormatError' || name === 'UnknownErrorException') throw new PdfError('The file is damaged or not a complete PDF');
    throw new PdfError(`The PDF could not be read (${(err as Error)?.message ?? String(err)})`);
  }
}

/** One bookmark of the PDF's outline: its title, the page it points at, and its depth (0 = chapter). */
export interface OutlineEntry {
  title: string;
  page: number;
  depth: number;
}

/** Bounds on what a book's outline may bring into the ingestion state (it is stored with the book). */
export const MAX_OUTLINE_ENTRIES = 5000;
const MAX_OUTLINE_DEPTH = 8;

/**
 * The book's outline (bookmarks) in reading order, or [] when it has none or it cannot be read.
 * Entries pointing nowhere are dropped, as are trailing index sections (a "Tables" chapter listing
 * pages of earlier chapters): a chapter whose page goes back before the previous chapter's.
 */
export async function readOutline(pdf: PdfDocument): Promise<OutlineEntry[]> {
  let outline: Awaited<ReturnType<PdfDocument['getOutline']>>;
  try {
    outline = await pdf.getOutline();
  } catch {
    return [];
  }
  const entries: (Omit<OutlineEntry, 'page'> & { page: number | null })[] = [];
  const walk = async (items: typeof outline, depth: number): Promise<void> => {
    for (const item of items ?? []) {
      if (entries.length >= MAX_OUTLINE_ENTRIES) return;
      const title = normalizeText(item.title ?? '').slice(0, 200);
      if (title) entries.push({ title, page: await destinationPage(pdf, item.dest), depth });
      if (depth < MAX_OUTLINE_DEPTH) await walk(item.items, depth + 1);
    }
  };
  await walk(outline, 0);
  // A bookmark whose page is gone (a cut-down PDF keeps "Elf" but not the page of its chapter "Races") starts where
  // its first descendant with a page does, so the children keep their parent ("Races › Elf", not "Legal Information › Elf").
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i]!.page !== null) continue;
    for (let j = i + 1; j < entries.length && entries[j]!.depth > entries[i]!.depth; j++) {
      if (entries[j]!.page !== null) { entries[i]!.page = entries[j]!.page; break; }
    }
  }
  const kept: OutlineEntry[] = [];
  let lastChapterPage = 0;
  let skipping = false;
  for (const entry of entries) {
    if (entry.depth === 0 && entry.page !== null) {
      // A trailing index chapter ("Tables") goes back to earlier pages: it and its entries are skipped.
      skipping = entry.page < lastChapterPage;
      if (!skipping) lastChapterPage = entry.page;
    }
    if (!skipping && entry.page !== null) kept.push(entry as OutlineEntry);
  }
  return kept;
}

async function destinationPage(pdf: PdfDocument, dest: unknown): Promise<number | null> {
  try {
    const resolved = typeof dest === 'string' ? await pdf.getDestination(dest) : dest;
    if (!Array.isArray(resolved) || !resolved[0]) return null;
    const ref = resolved[0];
    return typeof ref === 'number' ? ref + 1 : (await pdf.getPageIndex(ref)) + 1;
  } catch {
    return null;
  }
}

export async function pageLines(pdf: PdfDocument, pageNumber: number): Promise<Line[]> {
  const page = await pdf.getPage(pageNumber);
  try {
    const [, , , height] = page.view as [number, number, number, number];
    const content = await page.getTextContent();
    const items: TextItem[] = [];
    for (const item of content.items) {
      if (!('str' in item)) continue;
      const [a, b, , , x, y] = item.transform as number[];
      items.push({ str: item.str, size: Math.hypot(a!, b!), x: x!, y: y!, hasEOL: item.hasEOL, width: item.width });
    }
    return itemsToLines(items, height);
  } finally {
    page.cleanup();
  }
}
