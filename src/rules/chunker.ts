/**
 * Layout-aware chunking: lines larger than the body text are headings (the
 * larger, the higher in the heading path); body lines gather into passages
 * of about `targetChars` under the current heading path. A chunk never spans
 * two pages, so every passage cites exactly one page.
 */
import { classifyChunk, type ContentType } from './classify';
import type { Line } from './layout';
import { joinLines } from './normalize';

export interface Chunk {
  page: number;
  ordinal: number;
  headingPath: string[];
  heading: string;
  contentType: ContentType;
  text: string;
}

export interface PageLines {
  page: number;
  lines: Line[];
}

export interface ChunkerState {
  /** Heading stack carried from page to page: [size, text]. */
  headings: [number, string][];
  ordinal: number;
}

export const newChunkerState = (): ChunkerState => ({ headings: [], ordinal: 0 });

/** The most common line size, weighted by text length: the body text size. */
export function bodySize(pages: PageLines[]): number {
  const weight = new Map<number, number>();
  for (const p of pages) for (const l of p.lines) weight.set(l.size, (weight.get(l.size) ?? 0) + l.text.length);
  let best = 10;
  let most = -1;
  for (const [size, w] of weight) if (w > most) [best, most] = [size, w];
  return best;
}

const isHeadingLine = (line: Line, body: number) => line.size >= body + 0.9 && line.text.length <= 120 && /[A-Za-z]/.test(line.text);

export function chunkPages(pages: PageLines[], body: number, state: ChunkerState, sourceType: 'rules' | 'lore', targetChars = 900): Chunk[] {
  const chunks: Chunk[] = [];
  for (const { page, lines } of pages) {
    let buffer: string[] = [];
    let length = 0;
    let previousWasHeading = false;
    const emit = () => {
      const text = joinLines(buffer);
      buffer = [];
      length = 0;
      if (text.length < 20) return;
      const headingPath = state.headings.map(([, h]) => h);
      const heading = headingPath[headingPath.length - 1] ?? '';
      chunks.push({ page, ordinal: state.ordinal++, headingPath, heading, contentType: classifyChunk(headingPath, text, sourceType), text });
    };
    for (const line of lines) {
      if (isHeadingLine(line, body)) {
        emit();
        const top = state.headings[state.headings.length - 1];
        // A heading set on two lines ("Using Ability" / "Scores") is one heading.
        if (previousWasHeading && top && top[0] === line.size) {
          top[1] = `${top[1]} ${line.text}`;
          continue;
        }
        // Pop headings of the same or smaller size: this one replaces them.
        while (state.headings.length && state.headings[state.headings.length - 1]![0] <= line.size) state.headings.pop();
        state.headings.push([line.size, line.text]);
        previousWasHeading = true;
        continue;
      }
      previousWasHeading = false;
      buffer.push(line.text);
      length += line.text.length + 1;
      // Prefer to break at the end of a sentence once the passage is long enough.
      if (length >= targetChars && /[.:!?]$/.test(line.text)) emit();
      else if (length >= targetChars * 1.6) emit();
    }
    emit();
  }
  return chunks;
}
