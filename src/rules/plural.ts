/**
 * The singular a plural word may stand for. Players ask about "elves",
 * "goblins" and "bags of holding"; books title the section "Elf", "Goblin",
 * "Bag of Holding". The porter stemmer of the full-text index joins regular
 * plurals to their singular, but not "elves"/"elf" or "feet"/"foot", and a
 * heading is named only by its exact words.
 *
 * @example
 * singulars('elves'); // ['elf', 'elve']
 * singulars('goblins'); // ['goblin']
 * irregularSingular('wolves'); // 'wolf'
 */
import { stemmer } from 'stemmer';

/** Plurals no suffix rule undoes. */
const IRREGULAR: Record<string, string> = {
  men: 'man', women: 'woman', feet: 'foot', teeth: 'tooth', geese: 'goose', mice: 'mouse', lice: 'louse',
  children: 'child', oxen: 'ox', people: 'person', fungi: 'fungus', cacti: 'cactus', staves: 'staff',
};

/** Plural endings in -ves whose singular ends in -fe rather than -f. */
const FE = new Set(['knives', 'lives', 'wives']);

/** Candidate singulars of a word (none when it does not look plural); the caller keeps those its books use. */
export function singulars(word: string): string[] {
  const w = word.toLowerCase();
  if (IRREGULAR[w]) return [IRREGULAR[w]];
  if (/men$/.test(w) && w.length > 4) return [`${w.slice(0, -3)}man`];
  if (w.length < 4 || /(ss|us|is|ous)$/.test(w)) return [];
  if (w.endsWith('ves')) return FE.has(w) ? [`${w.slice(0, -3)}fe`] : [`${w.slice(0, -3)}f`, w.slice(0, -1)];
  // "harpies" → "harpy", but "ties" → "tie".
  if (w.endsWith('ies')) return [w.length > 4 ? `${w.slice(0, -3)}y` : w.slice(0, -1)];
  if (/(ch|sh|x|z|ss)es$/.test(w)) return [w.slice(0, -2)];
  if (w.endsWith('s')) return [w.slice(0, -1)];
  return [];
}

/**
 * The singular of a plural the index's stemmer does not join to it ("elves" → "elf", "feet" → "foot"), or null:
 * searching it as well finds the passages that use the singular.
 */
export function irregularSingular(word: string): string | null {
  const first = singulars(word)[0];
  return first && stemmer(first) !== stemmer(word) ? first : null;
}
