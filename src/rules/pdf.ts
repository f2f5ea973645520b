/**
 * PDF text extraction with pdf.js (through unpdf, which packages it for
 * Workers), page by page, with failures a GM understands.
 */
import { getDocumentProxy } from 'unpdf';
import { itemsToLines, type Line, type TextItem } from './layout';

export class PdfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfError';
  }
}

export type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

export async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  try {
    const pdf = await getDocumentProxy(bytes, { isEvalSupported: false, useSystemFonts: false, verbosity: 0 } as never);
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

export async function pageLines(pdf: PdfDocument, pageNumber: number): Promise<Line[]> {
  const page = await pdf.getPage(pageNumber);
  try {
    const [, , , height] = page.view as [number, number, number, number];
    const content = await page.getTextContent();
    const items: TextItem[] = [];
    for (const item of content.items) {
      if (!('str' in item)) continue;
      const [a, b, , , x, y] = item.transform as number[];
      items.push({ str: item.str, size: Math.hypot(a!, b!), x: x!, y: y!, hasEOL: item.hasEOL });
    }
    return itemsToLines(items, height);
  } finally {
    page.cleanup();
  }
}
