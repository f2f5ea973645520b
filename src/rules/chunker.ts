/**
 * Layout-aware chunking. Headings come from the PDF's outline when the book
 * has one (each bookmark is found on its page by its title); lines set
 * larger than the body text are headings below it, or the whole heading
 * structure of a book without an outline. Body lines gather into passages of
 * about `targetChars` under the current heading path; tables are cut by rows
 * with their header row repeated in every piece; a passage that begins
 * mid-sentence after a page break gets the sentence's start as a lead-in. A
 * chunk is cited by one page; the one exception, a section's short start at a
 * page's foot joined to its body overleaf, says how much of it is on the page
 * before (`previousPageChars`), so a snippet from it cites that page.
 */
import { classifyChunk, type ContentType } from './classify';
import { editDistance } from './query';
import type { Line } from './layout';
import { joinLines } from './normalize';
import type { OutlineEntry } from './pdf';

export interface Chunk {
  page: number;
  ordinal: number;
  headingPath: string[];
  heading: string;
  contentType: ContentType;
  text: string;
  /** How many leading characters of `text` are printed on the page before (a section's start held back from its foot). */
  previousPageChars?: number;
}

export interface PageLines {
  page: number;
  lines: Line[];
}

/** A heading on the stack: its size, text, and (for the group rule) how many of its sub-headings repeat its name. */
interface Heading { size: number; text: string; children: number; named: number }

/** Carried from page to page and from ingestion step to step (stored with the book as JSON). */
export interface ChunkerState {
  /** Font-size headings: the whole path without an outline, the part below the outline's path with one. */
  headings: [number, string][];
  /** Sub-heading counts of `headings`, by position (for the group rule). */
  groups?: [number, number][];
  ordinal: number;
  /** Outline entries not reached yet, in reading order. */
  outline?: OutlineEntry[];
  /** The outline path in force: [depth, title]. */
  outlinePath?: [number, string][];
  /** The type size the outline path's last title was printed in (null: run-in or not printed). */
  outlineSize?: number | null;
  /** A table running off the bottom of the previous page: its header row, rows not yet written, and whether its title is the last heading (ended with the table). */
  table?: { header: string; carry: string[]; titled?: boolean } | null;
  /**
   * Text the next page's first passage starts with, if it is under the same heading path: the unfinished
   * sentence the previous page ended with, or (with `page`) a section's short first passage at the foot of
   * a page, held back to join its body (written on its own page if the next page starts a new section).
   */
  tail?: { text: string; path: string; page?: number } | null;
  /** The content type of the section in force when it is a stat block or a spell (its later passages keep it). */
  section?: { path: string; type: ContentType } | null;
}

export const newChunkerState = (outline: OutlineEntry[] = []): ChunkerState => ({ headings: [], ordinal: 0, outline, outlinePath: [], table: null, tail: null, section: null });

/** The most common line size, weighted by text length: the body text size. */
export function bodySize(pages: PageLines[]): number {
  const weight = new Map<number, number>();
  for (const p of pages) for (const l of p.lines) weight.set(l.size, (weight.get(l.size) ?? 0) + l.text.length);
  let best = 10;
  let most = -1;
  for (const [size, w] of weight) if (w > most) [best, most] = [size, w];
  return best;
}

/** Type this much larger than the body text is heading type. */
const larger = (line: Line, body: number) => line.size >= body + 0.9;
const isHeadingLine = (line: Line, body: number) => larger(line, body) && line.text.length <= 120 && /[A-Za-z]/.test(line.text);

/** A table row: two or more cells in body or smaller type. */
const isRow = (line: Line, body: number) => (line.cells ?? 1) >= 2 && !larger(line, body) && line.text.length <= 200;
/** A short label inside a table ("Medium Armor", "Simple Melee Weapons"). */
const isRowLabel = (line: Line, body: number) => !larger(line, body) && line.text.length <= 40 && !/[.!?]$/.test(line.text);
/** Fewest rows (after the header) for a run of rows in mid-page to be a table rather than a stat line or two. */
const MIN_TABLE_ROWS = 2;
/** A lead-in never brings more than this much of the previous page. */
const MAX_LEAD_IN = 300;
/** A section's first passage shorter than this at the foot of a page joins the section's body on the next page. */
const SHORT_START = 300;

/** Comparison key for headings: letters and digits only, lower case. */
const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');
/** Outline titles may carry a label the page does not print ("Table: The Barbarian", "Sidebar: Hiding"). */
const unlabelled = (title: string) => title.replace(/^[A-Za-z]+:\s+/, '');

/**
 * A printed heading and a bookmark title (both as keys) that differ by a typo: long titles of the same length, one
 * letter replaced or two swapped. Not a letter more or less: "Monsters (A)" is printed under the bookmark "Monsters (A-Z)".
 */
const misspelt = (printed: string, title: string) => title.length >= 8 && printed.length === title.length && printed !== title && editDistance(printed, title, 1) <= 1;

/** The line a stat block opens with: size, then type ("Large beast, unaligned"). */
const STAT_BLOCK_START = /^(Tiny|Small|Medium|Large|Huge|Gargantuan) [a-z]+/;

/** Two heading lines of one size are one heading when the first plainly runs on ("Damage Resistance and"). */
const runsOn = (first: string, second: string) => /(\b(of|and|the|a|an|to|in|for|with|or|on|at|by)|[-,:–])$/i.test(first.trim()) || /^[a-z(]/.test(second);

/** The word a group heading shares with its members ("Giants" → "giant"). */
const groupWord = (heading: string) => heading.toLowerCase().split(/[\s,]+/)[0]!.replace(/s$/, '');

/** Where each outline entry of this page (and, for headings set at a page's foot, the next page) starts. */
function placeOutline(lines: Line[], page: number, state: ChunkerState, body: number): Map<number, { entries: OutlineEntry[]; span: number }> {
  const places = new Map<number, { entries: OutlineEntry[]; span: number }>();
  const outline = state.outline ?? [];
  let from = 0;
  let waiting: OutlineEntry[] = [];
  const placed = new Set<OutlineEntry>();
  const titles = new Set(outline.filter((e) => e.page >= page - 1 && e.page <= page + 2).map((e) => key(e.title)));
  for (const entry of outline) {
    if (entry.page > page + 1) break;
    const nextPage = entry.page > page;
    const wanted = [key(entry.title), key(unlabelled(entry.title))];
    let found = -1;
    let span = 1;
    let printed: string | null = null;
    let typo = -1;
    // Heading-sized lines first: a body or table line that happens to read "Rage" is not the Rage section.
    for (const strict of [true, false]) {
      for (let i = from; i < lines.length && found < 0; i++) {
        const line = lines[i]!;
        const heading = isHeadingLine(line, body);
        if ((nextPage || strict) && !heading) {
          // A run-in heading ("Finesse. When making an attack…"): the section starts at this line, which stays text.
          const runIn = strict && !nextPage ? /^([^.]{1,60})\.\s/.exec(line.text) : null;
          if (runIn && wanted.includes(key(runIn[1]!))) { found = i; span = 0; }
          continue;
        }
        let text = key(line.text);
        if (!text) continue;
        // A title set on two or three lines.
        for (let extra = 0; extra < 3 && i + extra < lines.length; extra++) {
          if (extra > 0) text += key(lines[i + extra]!.text);
          if (wanted.includes(text)) { found = i; span = extra + 1; break; }
          if (!wanted.some((w) => w.startsWith(text)) || text.length < 4) break;
        }
        if (found < 0 && typo < 0 && heading && !titles.has(key(line.text)) && misspelt(key(line.text), wanted[0]!)) typo = i;
      }
      // A bookmark with a typo ("Guiding Bold" over the printed "Guiding Bolt"): with no line reading the title,
      // a heading one edit from it (and no other bookmark's title) is that section, and the page's words name it.
      if (found < 0 && typo >= 0) {
        found = typo;
        printed = lines[typo]!.text.trim();
      }
      if (found >= 0 || nextPage) break;
    }
    if (found < 0) {
      if (nextPage) break;
      waiting.push(entry);
      continue;
    }
    places.set(found, { entries: [...waiting, printed ? { ...entry, title: printed } : entry], span });
    placed.add(entry);
    for (const w of waiting) placed.add(w);
    waiting = [];
    from = found + Math.max(span, 1);
  }
  // Bookmarks whose titles are not printed on the page take effect at its end (the next page starts under them).
  if (waiting.length) places.set(lines.length, { entries: waiting, span: 0 });
  for (const w of waiting) placed.add(w);
  state.outline = outline.filter((e) => !placed.has(e));
  return places;
}

/**
 * Chunks consecutive pages, carrying what continues past the last one in `state`.
 * @param opts.targetChars passage length to aim for
 * @param opts.more more pages follow (a later step): a section's short start at the last page's foot is held back
 *   for them, as within a step, instead of written alone
 */
export function chunkPages(pages: PageLines[], body: number, state: ChunkerState, sourceType: 'rules' | 'lore', { targetChars = 900, more = false }: { targetChars?: number; more?: boolean } = {}): Chunk[] {
  const chunks: Chunk[] = [];
  const hasOutline = (state.outline?.length ?? 0) > 0 || (state.outlinePath?.length ?? 0) > 0;
  state.outlinePath ??= [];
  state.groups ??= state.headings.map(() => [0, 0]);
  const headingPath = () => [...state.outlinePath!.map(([, t]) => t), ...state.headings.map(([, h]) => h)];
  const pathKey = () => headingPath().join(' › ');
  // A word broken at a line's end is mended only if these pages print it whole somewhere ("suc-ceed" → "succeed");
  // otherwise the hyphen is a compound's ("two-handed", "self-expression").
  let printed: Set<string> | null = null;
  const known = (word: string) => (printed ??= new Set(pages.flatMap((p) => p.lines.flatMap((l) => l.text.toLowerCase().match(/[a-z]+/g) ?? [])))).has(word);

  const push = (page: number, text: string, type?: ContentType, previousPageChars = 0) => {
    const path = headingPath();
    const heading = path[path.length - 1] ?? '';
    let contentType = type ?? classifyChunk(path, text, sourceType);
    const here = pathKey();
    // Later passages of a stat block or spell keep its type (its actions, its "At Higher Levels").
    const section = state.section && (here === state.section.path || here.startsWith(`${state.section.path} › `)) ? state.section : null;
    if (section && (contentType === 'rule' || (contentType === 'table' && section.type === 'monster'))) contentType = section.type;
    else if (!section && ['monster', 'spell', 'item'].includes(contentType)) state.section = { path: here, type: contentType };
    chunks.push({ page, ordinal: state.ordinal++, headingPath: path, heading, contentType, text, ...(previousPageChars ? { previousPageChars } : {}) });
  };

  for (const { page, lines } of pages) {
    const places = hasOutline ? placeOutline(lines, page, state, body) : new Map();
    let buffer: string[] = [];
    let length = 0;
    let previousWasHeading = false;
    let headingSeen = false;
    /** The last passage of text written on this page (null after a heading or a table). */
    let lastText = null as string | null;
    const tail = state.tail;
    state.tail = null;
    let tailUsed = false;
    /** A held-back section start that did not join a passage here goes back to its own page. */
    const flushTail = () => {
      if (tail?.page !== undefined && !tailUsed) push(tail.page, tail.text);
      tailUsed = true;
    };
    /** Ends the passage in progress before a heading or a table: the text so far, a held-back section start. */
    const breakText = () => {
      emit();
      flushTail();
      lastText = null;
    };
    const emit = () => {
      let text = joinLines(buffer, known);
      buffer = [];
      length = 0;
      if (text.length < 20) return;
      // A page that starts mid-sentence or mid-section: lead in with what the previous page ended with.
      let previousPageChars = 0;
      if (tail && !tailUsed && !headingSeen && tail.path === pathKey() && !chunks.some((c) => c.page === page)) {
        text = `${tail.text} ${text}`;
        tailUsed = true;
        // A held-back section start is cited on its own page; an unfinished sentence's start is not (it ends here).
        if (tail.page !== undefined) previousPageChars = tail.text.length + 1;
      }
      push(page, text, undefined, previousPageChars);
      lastText = text;
    };
    const applyOutline = (entries: OutlineEntry[]) => {
      for (const entry of entries) {
        // One-letter bookmarks ("A", "B") only group their children.
        if (entry.title.length <= 1) continue;
        while (state.outlinePath!.length && state.outlinePath![state.outlinePath!.length - 1]![0] >= entry.depth) state.outlinePath!.pop();
        state.outlinePath!.push([entry.depth, entry.title]);
      }
      state.headings = [];
      state.groups = [];
      state.section = null;
    };
    let previousHeading: Line | null = null;
    /** `inset`: a table's title or a sidebar's stat block ("Precipitation" over Control Weather's table), never a sibling section. */
    const pushHeading = (line: Line, inset = false) => {
      const top = state.headings[state.headings.length - 1];
      const previous = previousHeading;
      previousHeading = line;
      // A title set on two lines: same size, the second right under the first (or plainly running on).
      // A group heading and its first member ("Brass Dragon" / "Ancient Brass Dragon") sit further apart.
      if (previousWasHeading && top && previous && top[0] === line.size && (Math.abs(previous.y - line.y) <= line.size * 1.5 || runsOn(top[1], line.text))) {
        top[1] = `${top[1]} ${line.text}`;
        return;
      }
      // A heading as large as the outline's last printed title is its sibling that the outline lacks (the SRD has
      // no bookmark for "Magic Missile" or "Knock"): it takes the title's place, not a child's.
      const leaf = state.outlinePath![state.outlinePath!.length - 1];
      if (hasOutline && leaf && !inset && state.outlineSize != null && line.size >= state.outlineSize) {
        state.outlinePath![state.outlinePath!.length - 1] = [leaf[0], line.text];
        state.headings = [];
        state.groups = [];
        state.outlineSize = line.size;
        state.section = null;
        return;
      }
      // Pop headings of the same or smaller size: this one replaces them.
      while (state.headings.length && state.headings[state.headings.length - 1]![0] <= line.size) { state.headings.pop(); state.groups!.pop(); }
      // A group heading ("Giants") whose sub-headings so far all carried its name ends at the first that does not ("Goblin").
      const parent = state.headings[state.headings.length - 1];
      const counts = state.groups![state.groups!.length - 1];
      if (!hasOutline && parent && counts) {
        const named = line.text.toLowerCase().includes(groupWord(parent[1]));
        if (counts[0] > 0 && counts[0] === counts[1] && !named) { state.headings.pop(); state.groups!.pop(); }
        else { counts[0]++; if (named) counts[1]++; }
      }
      state.headings.push([line.size, line.text]);
      state.groups!.push([0, 0]);
      if (state.section && !pathKey().startsWith(state.section.path)) state.section = null;
    };

    const carried = state.table;
    state.table = null;
    /** How many headings stand while the last is a table's title ("Object Armor Class"): the text after the table is its section's again. */
    let tableTitle = carried?.titled ? state.headings.length : -1;
    /** A line that carries on a run of table rows: a row, or a short label followed by a row (or the page's end). */
    const rowAt = (j: number) => j < lines.length && !places.has(j) && (isRow(lines[j]!, body) || (isRowLabel(lines[j]!, body) && (j + 1 === lines.length || isRow(lines[j + 1]!, body))));
    for (let i = 0; i <= lines.length; i++) {
      const place = places.get(i);
      if (place) {
        breakText();
        applyOutline(place.entries);
        state.outlineSize = place.span > 0 && i < lines.length ? lines[i]!.size : null;
        headingSeen = true;
        previousWasHeading = true;
        if (i >= lines.length) break;
        // A title on its own line(s) is consumed; a run-in title stays the first words of the text.
        if (place.span > 0) {
          i += place.span - 1;
          continue;
        }
      }
      if (i >= lines.length) break;
      const line = lines[i]!;

      // A table: a run of rows (with short labels between them), or rows going on from the previous page.
      const continuing = i === 0 && Boolean(carried) && rowAt(0);
      if (isRow(line, body) || continuing) {
        let end = i;
        let rows = 0;
        while (rowAt(end)) {
          if (isRow(lines[end]!, body)) rows++;
          end++;
        }
        const atFoot = end === lines.length;
        const run = lines.slice(i, end).map((l) => l.text);
        // Trailing labels belong to rows on the next page ("Simple Melee Weapons" at the foot of the page).
        const labels: string[] = [];
        if (atFoot) while (end - labels.length - 1 > i && !isRow(lines[end - labels.length - 1]!, body)) labels.unshift(run[run.length - labels.length - 1]!);
        if (continuing || rows - 1 >= MIN_TABLE_ROWS) {
          breakText();
          const header = continuing ? carried!.header : run.shift()!;
          const body_ = [...(continuing ? carried!.carry : []), ...run.slice(0, run.length - labels.length)];
          // Cut by rows, the header on every piece, in pieces of half a passage: a row's words then weigh more.
          let piece: string[] = [];
          const flush = () => {
            if (piece.length) push(page, [header, ...piece].join('\n'), 'table');
            piece = [];
          };
          for (const row of body_) {
            if (piece.length && header.length + piece.join('\n').length + row.length > targetChars / 2) flush();
            piece.push(row);
          }
          flush();
          const titled = tableTitle >= 0 && tableTitle === state.headings.length;
          if (atFoot) state.table = { header, carry: labels, ...(titled ? { titled } : {}) };
          else if (titled) { state.headings.pop(); state.groups!.pop(); }
          tableTitle = -1;
          i = end - 1;
          previousWasHeading = false;
          continue;
        }
        // Too short to be sure it is a table: the lines stay text, and the first is the header should rows follow over the page.
        if (atFoot) {
          state.table = { header: run[0]!, carry: labels };
          buffer.push(...run);
          break;
        }
      }

      if (isHeadingLine(line, body)) {
        breakText();
        const next = lines[i + 1];
        // Rows after it: a table's title. A creature's size and type after it inside a non-creature section:
        // a stat block set in a sidebar (the figurine's Giant Fly).
        const titlesTable = next !== undefined && isRow(next, body);
        const inset = titlesTable || (next !== undefined && STAT_BLOCK_START.test(next.text) && state.section?.type !== 'monster');
        pushHeading(line, inset);
        tableTitle = titlesTable ? state.headings.length : -1;
        headingSeen = true;
        previousWasHeading = true;
        continue;
      }
      previousWasHeading = false;
      buffer.push(line.text);
      length += line.text.length + 1;
      // Prefer to break at the end of a sentence once the passage is long enough.
      if (length >= targetChars && /[.:!?]["')]?$/.test(line.text)) emit();
      else if (length >= targetChars * 1.6) emit();
    }
    emit();
    flushTail();
    // A section that starts at the foot of the page with a line or two: its start joins its body on the next page
    // (in the next step too: the tail travels in the state).
    const last = chunks[chunks.length - 1];
    const here = last ? last.headingPath.join(' › ') : '';
    if (last && last.page === page && (more || pages[pages.length - 1]!.page !== page) && last.contentType !== 'table' && last.text.length < SHORT_START
      && !chunks.some((c) => c !== last && c.headingPath.join(' › ') === here)) {
      chunks.pop();
      state.ordinal--;
      state.tail = { text: last.text, path: here, page };
      continue;
    }
    // The page ends mid-sentence: the next page's first passage gets this sentence's start.
    if (lastText && !/[.!?:]["')]?$/.test(lastText)) {
      const sentences = lastText.split(/(?<=[.!?])\s+(?=[A-Z"(])/);
      const open = sentences[sentences.length - 1]!;
      if (open.length <= MAX_LEAD_IN) state.tail = { text: open, path: pathKey() };
    }
  }
  return chunks;
}
