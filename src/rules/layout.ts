/**
 * From positioned text items of one PDF page to lines with their font size,
 * minus running headers and footers. pdf.js gives items in content order,
 * which for two-column rulebooks is column by column; a new line starts at
 * an end-of-line mark or a change of baseline.
 */
import { normalizeText } from './normalize';

export interface TextItem {
  str: string;
  /** Font size (the transform's vertical scale). */
  size: number;
  x: number;
  /** Baseline, from the bottom of the page. */
  y: number;
  hasEOL: boolean;
}

export interface Line {
  text: string;
  size: number;
  y: number;
}

/** Bands at the top and bottom of the page where running headers, footers and page numbers live. */
const MARGIN = 50;

export function itemsToLines(items: TextItem[], pageHeight: number): Line[] {
  const lines: Line[] = [];
  let current: { parts: string[]; size: number; y: number } | null = null;
  const flush = () => {
    if (!current) return;
    const text = normalizeText(current.parts.join(''));
    if (text) lines.push({ text, size: Math.round(current.size * 10) / 10, y: current.y });
    current = null;
  };
  for (const item of items) {
    if (item.y < MARGIN || item.y > pageHeight - MARGIN / 2) continue;
    if (current && Math.abs(current.y - item.y) > Math.max(2, item.size * 0.5)) flush();
    if (item.str) {
      current ??= { parts: [], size: item.size, y: item.y };
      current.parts.push(item.str);
      current.size = Math.max(current.size, item.str.trim() ? item.size : 0);
    }
    if (item.hasEOL) flush();
  }
  flush();
  return lines;
}
