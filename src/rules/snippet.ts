/**
 * The snippet of a hit: the sentence (or two) of the passage that best
 * answers the question, not just the stretch with the most matched words.
 * Sentences are scored by the query's words they contain (rare words count
 * more, the player's own words more than added synonyms), with a bonus for
 * the query's words appearing side by side; table passages show their header
 * row and best rows. Output is HTML-escaped with matched words in <mark>.
 *
 * @example
 * snippet('Intro text. You can hold your breath for 1 + Con minutes.', [{ word: 'breath', weight: 1 }]);
 * // 'You can hold your <mark>breath</mark> for 1 + Con minutes.'
 */
import { stemmer } from 'stemmer';

export interface SnippetTerm {
  /** A query word (multi-word terms are given word by word). */
  word: string;
  /** How much finding it counts: rarer words and the player's own words weigh more. */
  weight: number;
}

/** A snippet is one sentence, or two while the first is short; a single long sentence is shown whole up to this length. */
const MAX_CHARS = 420;
const SHORT_SENTENCE = 160;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const stem = (w: string) => stemmer(w.toLowerCase().replace(/'s$/, '').replace(/'/g, ''));

/** Sentences of prose (a new one after . ! ? before a capital, digit, quote or bullet), or the lines of a table. */
export function sentences(text: string): string[] {
  return text.split(/\n+|(?<=[.!?]["')]?)\s+(?=[A-Z0-9"'(•—])/).map((s) => s.trim()).filter(Boolean);
}

function score(sentence: string, weights: Map<string, number>): number {
  const stems = (sentence.match(/[A-Za-z][A-Za-z']*/g) ?? []).map(stem);
  const found = new Set(stems.filter((s) => weights.has(s)));
  let total = 0;
  for (const s of found) total += weights.get(s)!;
  // Query words side by side ("opportunity attack") are worth more than the same words apart.
  for (let i = 1; i < stems.length; i++) if (weights.has(stems[i - 1]!) && weights.has(stems[i]!) && stems[i - 1] !== stems[i]) total += 0.5 * Math.min(weights.get(stems[i - 1]!)!, weights.get(stems[i]!)!);
  // Fragments (a heading-like line, "Hit:") say little on their own.
  if (sentence.length < 30) total *= 0.5;
  return total;
}

function mark(text: string, weights: Map<string, number>): string {
  return text.split(/([A-Za-z][A-Za-z']*)/).map((part, i) => (i % 2 === 1 && weights.has(stem(part)) ? `<mark>${escape(part)}</mark>` : escape(part))).join('');
}

export function snippet(text: string, terms: SnippetTerm[], tableHeader?: string): string {
  const weights = new Map<string, number>();
  for (const t of terms) for (const w of t.word.split(/[\s-]+/)) if (w.length > 1) weights.set(stem(w), Math.max(weights.get(stem(w)) ?? 0, t.weight));
  const parts = sentences(tableHeader && text.startsWith(tableHeader) ? text.slice(tableHeader.length) : text);
  if (parts.length === 0) return '';
  let best = 0;
  let bestScore = -1;
  parts.forEach((p, i) => {
    // Earlier sentences win ties: definitions come first.
    const s = score(p, weights) - i * 0.001;
    if (s > bestScore) [best, bestScore] = [i, s];
  });
  let chosen = parts[best]!;
  const next = parts[best + 1];
  if (!tableHeader && chosen.length < SHORT_SENTENCE && next && chosen.length + next.length < MAX_CHARS) chosen = `${chosen} ${next}`;
  if (chosen.length > MAX_CHARS) chosen = `${chosen.slice(0, MAX_CHARS).replace(/\s+\S*$/, '')}…`;
  return mark(tableHeader ? `${tableHeader}\n${chosen}` : chosen, weights);
}
