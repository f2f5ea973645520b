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
  /** Advance width (0 when unknown): with `x`, how far the next item starts from this one's end. */
  width?: number;
}

export interface Line {
  text: string;
  size: number;
  y: number;
  /** Runs of text separated by a gap wider than a word space: 2 or more on a table row. */
  cells?: number;
}

/** A gap wider than this many font sizes between two runs of one line separates table cells (word spaces are about 0.25). */
const CELL_GAP = 0.8;

/** Bands at the top and bottom of the page where running headers, footers and page numbers live. */
const MARGIN = 50;

export function itemsToLines(items: TextItem[], pageHeight: number): Line[] {
  const lines: Line[] = [];
  let current: { parts: string[]; size: number; y: number; cells: number; end: number | null } | null = null;
  const flush = () => {
    if (!current) return;
    const text = normalizeText(current.parts.join(''));
    if (text) lines.push({ text, size: Math.round(current.size * 10) / 10, y: current.y, cells: current.cells });
    current = null;
  };
  for (const item of items) {
    if (item.y < MARGIN || item.y > pageHeight - MARGIN / 2) continue;
    if (current && Math.abs(current.y - item.y) > Math.max(2, item.size * 0.5)) flush();
    if (item.str) {
      current ??= { parts: [], size: item.size, y: item.y, cells: 1, end: null };
      if (item.str.trim()) {
        // A wide gap after the previous visible run: a new cell, and a space so the words do not fuse.
        if (current.end !== null && item.width !== undefined && item.x - current.end > item.size * CELL_GAP) {
          current.cells++;
          if (!/\s$/.test(current.parts[current.parts.length - 1] ?? '')) current.parts.push(' ');
        }
        current.end = item.width !== undefined ? item.x + item.width : null;
      }
      current.parts.push(item.str);
      current.size = Math.max(current.size, item.str.trim() ? item.size : 0);
    }
    if (item.hasEOL) flush();
  }
  flush();
  return lines;
}
