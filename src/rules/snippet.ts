/**
 * The snippet of a hit: the sentence (or two) of the passage that best
 * answers the question, not just the stretch with the most matched words,
 * shown with what follows it on its page and, room permitting, what leads
 * up to it. Sentences are scored by the query's words they contain (rare
 * words count more, the player's own words more than added synonyms), with a
 * bonus for the query's words appearing side by side and for a sentence that
 * defines what the question names ("Exhaustion is measured in six levels");
 * table passages show their header row and best rows (no row is the table's opening); a spell's
 * header is its data, chosen when the question names a field ("fireball range"). Output is HTML-escaped
 * with matched words in <mark>; the page cited is the chosen sentences' own.
 *
 * @example
 * snippet([{ text: 'Intro text. You can hold your breath for 1 + Con minutes.', page: 86 }], [{ word: 'breath', weight: 1 }]);
 * // { html: 'Intro text. You can hold your <mark>breath</mark> for 1 + Con minutes.', page: 86 }
 */
import { stemmer } from 'stemmer';
import { escapeHtml as escape } from '../lib/html';

export interface SnippetTerm {
  /** A query word (multi-word terms are given word by word). */
  word: string;
  /** How much finding it counts: rarer words and the player's own words weigh more. */
  weight: number;
}

/** The window that is chosen (and cited) is at most this long (half for a table's rows). */
const MAX_CHARS = 420;
/**
 * What is shown: the chosen window, then the sentences that follow it on its page up to this length, so an
 * answer that runs on ("Roll a d20. If the roll is 10 or higher, you succeed.") is not cut off after its
 * lead-in, then (if room is left) the sentences before it; a single longer sentence is cut here. Measured on
 * the development split with the ranking unchanged: showing 480 characters instead of 420 took "the top hit's
 * snippet holds the answer" from 0.836 to 0.861 (560 gained one question more, for longer snippets
 * everywhere); filling the room left with what precedes took it to 0.877 and lost none.
 */
const SHOWN = 480;
/** How much the sentences after a window's first count towards choosing it. */
const FOLLOW = 0.15;

const stem = (w: string) => stemmer(w.toLowerCase().replace(/'s$/, '').replace(/'/g, ''));

/** A run-in label: up to five words in title case (small words such as "and" or "of" aside), then perhaps a bracket ("(16 gp)"). */
const SMALL = 'and|or|of|the|a|an|in|on|to|with|for|from|by|per';
const LABEL_SOURCE = String.raw`[A-Z][\w'’-]*(?: (?:[A-Z0-9][\w'’/–-]*|${SMALL})){0,4}(?: \([^)]*\))?\.`;
/** A sentence that is only a label, and the label a sentence opens with. */
const LABEL = new RegExp(`^${LABEL_SOURCE}$`);
const OPENING_LABEL = new RegExp(`^(${LABEL_SOURCE}) `);
const SMALL_WORD = new RegExp(`^(?:${SMALL})$`);

/** Sentences of prose (a new one after . ! ? before a capital, digit, quote or bullet), or the lines of a table. */
export function sentences(text: string): string[] {
  const parts = text
    // A spell's header runs into its first sentence without a full stop: "Duration: Instantaneous A creature you touch…".
    .replace(/(Duration: (?:Concentration, )?(?:up to )?(?:Instantaneous|Until dispelled(?: or triggered)?|Special|Permanent|\d+ (?:round|minute|hour|day)s?))\s+(?=[A-Z])/g, '$1\n')
    .split(/\n+|(?<=[.!?]["')]?)\s+(?=[A-Z0-9"'(•—])/).map((s) => s.trim()).filter(Boolean)
    // A stat block's run-in label after a number or a bracket ("… (2,300 XP) Petrifying Gaze.") starts the next sentence.
    .flatMap((s) => {
      const label = /^(.*[\d)])\s+((?:[A-Z][\w'’-]*\s+){0,3}[A-Z][\w'’-]*(?: \([^)]*\))?\.)$/.exec(s);
      return label ? [label[1]!, label[2]!] : [s];
    });
  // A run-in label ("Regeneration.", "Keen Hearing and Smell.", "Fire Breath (Recharge 5–6).") belongs to the
  // sentence it introduces; a short sentence ("Your size is Small.") is not one.
  const out: string[] = [];
  for (const part of parts) {
    const previous = out[out.length - 1];
    if (previous !== undefined && LABEL.test(previous) && !text.includes(`${previous}\n`)) out[out.length - 1] = `${previous} ${part}`;
    else out.push(part);
  }
  return out;
}

/** A spell's header, split from its first sentence by `sentences`. */
const SPELL_HEADER = /\bCasting Time: .*\bDuration: [^.]*$/;
/** The fields of a spell's header, word by word. */
const HEADER_FIELDS = [['casting', 'time'], ['range'], ['components'], ['duration']];

/** Sentences that state a mechanic (a number, a roll, what you can or must do) answer more often than scene-setting ones. */
const MECHANIC = /\d|\b(you can|can't|must|equal to|roll|check|saving throw|half|advantage|disadvantage|bonus|penalty|speed|hit points|action)\b/i;

/** How much more a sentence that defines what the question names counts (tuned on the development split: 1.35–1.4 all gain, 1.5 loses one). */
const DEFINITION = 1.35;

/** A sentence whose subject is made only of the question's words, then "is"/"are"/"means": "The Astral Plane is the realm of…", "Exhaustion is measured in six levels". */
export function defines(sentence: string, weights: Map<string, number>, stemOf: (w: string) => string): boolean {
  const subject = /^(?:the |an? )?((?:[A-Za-z][A-Za-z'-]* ){1,4})(?:is|are|means|refers to)\b/i.exec(sentence)?.[1];
  return subject !== undefined && subject.trim().split(' ').every((w) => weights.has(stemOf(w)));
}

/** Whether a sentence opens with a run-in label ("Lucky.", "Forced March.") whose words are all the question's. */
export function namesLabel(sentence: string, weights: Map<string, number>, stemOf: (w: string) => string): boolean {
  const label = OPENING_LABEL.exec(sentence)?.[1];
  if (label === undefined) return false;
  const words = label.replace(/ \([^)]*\)/, '').slice(0, -1).split(' ').filter((w) => !SMALL_WORD.test(w));
  return words.every((w) => weights.has(stemOf(w)));
}

/** A sentence's score; `heading` (the section's, for its opening or a named label) counts as words before it. */
function score(sentence: string, weights: Map<string, number>, stemOf: (w: string) => string, heading = ''): number {
  const stems = (`${heading} ${sentence}`.match(/[A-Za-z][A-Za-z']*/g) ?? []).map(stemOf);
  const found = new Set(stems.filter((s) => weights.has(s)));
  let total = 0;
  for (const s of found) total += weights.get(s)!;
  // Query words side by side ("opportunity attack") are worth more than the same words apart.
  for (let i = 1; i < stems.length; i++) if (weights.has(stems[i - 1]!) && weights.has(stems[i]!) && stems[i - 1] !== stems[i]) total += 0.5 * Math.min(weights.get(stems[i - 1]!)!, weights.get(stems[i]!)!);
  // Fragments (a heading-like line, "Hit:") say little on their own; examples illustrate rather than state.
  if (sentence.length < 30) total *= 0.5;
  if (/^for example\b/i.test(sentence)) total *= 0.6;
  if (MECHANIC.test(sentence)) total *= 1.25;
  if (defines(sentence, weights, stemOf)) total *= DEFINITION;
  return total;
}

function mark(text: string, weights: Map<string, number>, stems: (w: string) => string): string {
  return text.split(/([A-Za-z][A-Za-z']*)/).map((part, i) => (i % 2 === 1 && weights.has(stems(part)) ? `<mark>${escape(part)}</mark>` : escape(part))).join('');
}

/** A passage of a hit: its text and the page it is on (its first `previousPageChars` characters on the page before). */
export interface Passage { text: string; page: number; previousPageChars?: number }

/** Each sentence of a passage with the page it starts on. */
function passageSentences(passage: Passage, tableHeader: string | undefined): { text: string; page: number }[] {
  const text = tableHeader && passage.text.startsWith(tableHeader) ? passage.text.slice(tableHeader.length) : passage.text;
  const before = passage.previousPageChars ?? 0;
  let cursor = 0;
  return sentences(text).map((sentence) => {
    const at = text.indexOf(sentence.slice(0, 24), cursor);
    if (at >= 0) cursor = at;
    return { text: sentence, page: cursor < before ? passage.page - 1 : passage.page };
  });
}

/**
 * The best sentences of a hit's passages (one section, in reading order), and the page they are on.
 * @param tableHeader the header row of a table passage (shown first, then the best rows)
 * @param heading the section's heading: its words count as part of the opening sentence (a spell's
 *   first sentence never repeats the spell's name)
 * @param opening the passages are the section the query names ("potion of healing"): its opening sentences, which define it, count more
 * @param statBlock the passages are a creature's stat block: the heading counts with a run-in label the question
 *   names ("clay golem slam" → "Slam. Melee Weapon Attack…"), not with its opening, which is numbers
 */
export function snippet(passages: Passage[], terms: SnippetTerm[], tableHeader?: string, opening = false, heading = '', statBlock = false): { html: string; page: number } {
  const weights = new Map<string, number>();
  for (const t of terms) {
    for (const w of t.word.split(/[\s-]+/)) {
      if (w.length < 2) continue;
      const s = stem(w);
      weights.set(s, Math.max(weights.get(s) ?? 0, t.weight));
    }
  }
  // Stemming is the costly part: each distinct word once.
  const cache = new Map<string, string>();
  const stems = (w: string) => {
    let s = cache.get(w);
    if (s === undefined) cache.set(w, (s = stem(w)));
    return s;
  };
  // A passage that starts mid-sentence leads in with the sentence's start, which its predecessor also ends with:
  // that unfinished copy goes, so the sentence is neither shown twice nor cited where it does not finish.
  const parts = passages.flatMap((p, n) => passageSentences(p, tableHeader).map((s) => ({ ...s, passage: n })))
    .filter((part, i, all) => {
      const next = all[i + 1];
      return !(next && next.passage === part.passage + 1 && !/[.!?:]["')]?$/.test(part.text) && next.text.startsWith(part.text));
    });
  if (parts.length === 0) return { html: '', page: passages[0]?.page ?? 0 };
  // Each sentence's own score: earlier sentences win ties (definitions come first), a section's opening a little more.
  // A run-in label the question names ("halfling lucky trait" → "Lucky. When you roll a 1…") is a sub-heading:
  // its sentence counts with the section's heading, like the opening of a section the question names.
  // A table's rows are alike: its first row is not its opening, and the heading names the whole table, not that row.
  // A spell's header (level, casting time, range, components, duration) is its data, not its opening: the opening is the sentence after it.
  // It is the answer when the question names one of its fields ("fireball range"), like a run-in label. A spell the
  // question does not name has no opening that counts with its heading: its sentences stand on their own words (as
  // when its header took that credit; giving it to the first sentence cost "what happens if my astral body is killed").
  const header = SPELL_HEADER.test(parts[0]!.text);
  const opener = header ? (opening ? 1 : -1) : 0;
  const asksField = header && HEADER_FIELDS.some((field) => field.every((w) => weights.has(stems(w))));
  const own = parts.map((p, i) => {
    if (tableHeader) return score(p.text, weights, stems) - i * 0.001;
    const named = (i === opener && !statBlock) || (i === 0 && asksField) || namesLabel(p.text, weights, stems);
    const lift = i === opener ? (opening ? 1.6 : 1.1) : named ? 1.6 : i === opener + 1 && opening ? 1.2 : 1;
    return score(p.text, weights, stems, named ? heading : '') * lift - i * 0.001;
  });
  const limit = tableHeader ? MAX_CHARS / 2 : MAX_CHARS;
  // A snippet is a window of sentences on one page (or in one passage, across a section start held back from
  // the page before), from its best start: the start counts most, and what follows in the window a little
  // (an answer often runs on: "Roll a d20. If the roll is 10 or higher…").
  // Sentence `next`, beside `edge` (the sentence before or after it), belongs with a window starting at `start`.
  const together = (start: number, edge: number, next: number) => parts[next]!.page === parts[start]!.page || parts[next]!.passage === parts[edge]!.passage;
  const length = (start: number, end: number) => parts.slice(start, end + 1).reduce((n, p) => n + p.text.length + 1, -1);
  // The last sentence a window of sentences start…end can run on to, on its page, within `limit` characters.
  const reach = (start: number, end: number, limit: number) => {
    let chars = length(start, end);
    while (end + 1 < parts.length && together(start, end, end + 1) && chars + parts[end + 1]!.text.length + 1 <= limit) chars += parts[++end]!.text.length + 1;
    return end;
  };
  let best = 0;
  let bestScore = -Infinity;
  let bestEnd = 0;
  for (let i = 0; i < parts.length; i++) {
    const end = reach(i, i, limit);
    let total = own[i]!;
    for (let next = i + 1; next <= end; next++) total += FOLLOW * Math.max(0, own[next]!);
    if (total > bestScore) [best, bestScore, bestEnd] = [i, total, end];
  }
  const window = parts.slice(best, bestEnd + 1);
  // Shown: the window, then what follows it on its page while it fits, then what precedes it (the window alone is
  // cited). An answer often runs on after its lead-in, and a window that ends its page or section ("Once you use
  // this feature, you must finish a short or long rest…") reads better after the sentences that set it up.
  // A table shows its header and a few rows.
  // A section the question names is shown with its opening sentence first, which defines it ("In battle, you fight
  // with primal ferocity…" for "barbarian rage"), when the window chosen is further on; a stat block or table has none.
  const lead = opening && !tableHeader && best > 0 && parts[0]!.passage === 0 && /[.!?]["')]?$/.test(parts[0]!.text) ? clip(parts[0]!.text, SHOWN / 2) : '';
  const shownLimit = (tableHeader ? SHOWN / 2 : SHOWN) - (lead ? lead.length + 3 : 0);
  const shownEnd = reach(best, bestEnd, shownLimit);
  let shownStart = best;
  const first = lead ? 1 : 0;
  if (!tableHeader) {
    let chars = length(best, shownEnd);
    while (shownStart > first && together(best, shownStart, shownStart - 1) && chars + parts[shownStart - 1]!.text.length + 1 <= shownLimit) chars += parts[--shownStart]!.text.length + 1;
  }
  let chosen = clip(parts.slice(shownStart, shownEnd + 1).map((p) => p.text).join(tableHeader ? '\n' : ' '), lead ? shownLimit : SHOWN);
  if (lead) chosen = `${lead}${shownStart === 1 ? ' ' : ' … '}${chosen}`;
  return { html: mark(tableHeader ? `${tableHeader}\n${chosen}` : chosen, weights, stems), page: mostOf(window) };
}

/** A text cut at a word to at most `limit` characters, marked as cut. */
function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit).replace(/\s+\S*$/, '')}…` : text;
}

/** The page holding most of a window's text: the one to cite. */
function mostOf(window: { text: string; page: number }[]): number {
  const chars = new Map<number, number>();
  for (const p of window) chars.set(p.page, (chars.get(p.page) ?? 0) + p.text.length);
  return [...chars].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}
