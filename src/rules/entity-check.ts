/**
 * Truth-data check: finds the rules entities (spells, monsters, items,
 * conditions) a text or sheet names, by matching against the headings of the
 * campaign's rulebooks, and flags unknown or misspelled ones with the
 * closest real entity and the pages that define it. Pure: the caller loads
 * the entity index.
 */
import { editDistance } from './query';

/** The content types whose passage headings name an entity. */
export const ENTITY_CONTENT_TYPES = ['spell', 'monster', 'item', 'condition'];
/** Sub-headings inside stat blocks and spells that are not entities themselves. */
export const NOT_ENTITIES = ['actions', 'legendary actions', 'reactions', 'at higher levels', 'variant', 'spell descriptions'];

export interface EntityDefinition {
  name: string;
  type: string;
  pages: { rulebookId: string; page: number }[];
}

export interface EntityFinding {
  name: string;
  status: 'known' | 'misspelled' | 'unknown';
  type: string | null;
  /** For misspelled names: the entity probably meant. */
  suggestion: string | null;
  pages: { rulebookId: string; page: number }[];
  /** Where the name came from: `text`, or a sheet field such as `spells[2]`. */
  source: string;
}

const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9' ]/g, '').replace(/\s+/g, ' ').trim();

/** Candidates verified by edit distance per fuzzy lookup: the ones sharing the most letter pairs. */
const MAX_CANDIDATES = 24;
/** The largest edit distance a fuzzy lookup allows (for names over 10 letters). */
const MAX_DISTANCE = 3;

const allowedDistance = (k: string) => (k.length <= 5 ? 1 : k.length <= 10 ? 2 : MAX_DISTANCE);

function bigrams(k: string): string[] {
  const grams = new Set<string>();
  for (let i = 0; i + 1 < k.length; i++) grams.add(k.slice(i, i + 2));
  return [...grams];
}

/**
 * The entities of a campaign's books, for exact and fuzzy name lookups.
 * Fuzzy lookups are near-constant time: a letter-pair (bigram) index picks the
 * few entities that share the most pairs with the name (a name within edit
 * distance k keeps all but 3k of its distinct pairs), and only those are
 * compared by edit distance. Results are memoised per index.
 */
export class EntityIndex {
  private readonly byKey = new Map<string, EntityDefinition>();
  private readonly maxWords: number;
  /** Entity keys by position, and for each letter pair the positions of the keys that contain it. */
  private readonly keys: string[];
  private readonly postings = new Map<string, number[]>();
  private readonly minLength: number;
  private readonly maxLength: number;
  private readonly memo = new Map<string, EntityDefinition | null>();

  constructor(definitions: EntityDefinition[]) {
    for (const d of definitions) {
      const k = key(d.name);
      if (!k) continue;
      const known = this.byKey.get(k);
      if (known) known.pages.push(...d.pages);
      else this.byKey.set(k, { ...d, pages: [...d.pages] });
    }
    this.keys = [...this.byKey.keys()];
    this.keys.forEach((k, i) => {
      for (const gram of bigrams(k)) {
        const list = this.postings.get(gram);
        if (list) list.push(i);
        else this.postings.set(gram, [i]);
      }
    });
    this.maxWords = Math.max(1, ...this.keys.map((k) => k.split(' ').length));
    this.minLength = Math.min(...this.keys.map((k) => k.length));
    this.maxLength = Math.max(0, ...this.keys.map((k) => k.length));
  }

  get size() {
    return this.byKey.size;
  }

  exact(name: string): EntityDefinition | null {
    return this.byKey.get(key(name)) ?? null;
  }

  /** The closest entity within a small edit distance (scaled to the name's length). */
  closest(name: string): EntityDefinition | null {
    const k = key(name);
    const memoised = this.memo.get(k);
    if (memoised !== undefined) return memoised;
    const found = this.search(k);
    this.memo.set(k, found);
    return found;
  }

  private search(k: string): EntityDefinition | null {
    const allowed = allowedDistance(k);
    if (k.length + allowed < this.minLength || k.length - allowed > this.maxLength) return null;
    const grams = bigrams(k);
    const shared = new Map<number, number>();
    for (const gram of grams) for (const i of this.postings.get(gram) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
    const needed = grams.length - 3 * allowed;
    const candidates: [index: number, count: number][] = [];
    for (const [i, count] of shared) {
      if (count >= needed && Math.abs(this.keys[i]!.length - k.length) <= allowed) candidates.push([i, count]);
    }
    // Very short names share too few pairs to filter on: they are compared with every key of a near length.
    if (needed <= 0) this.keys.forEach((candidate, i) => { if (!shared.has(i) && Math.abs(candidate.length - k.length) <= allowed) candidates.push([i, 0]); });
    candidates.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    let best: EntityDefinition | null = null;
    let bestDistance = allowed + 1;
    for (const [i] of candidates.slice(0, MAX_CANDIDATES)) {
      const d = editDistance(k, this.keys[i]!, allowed);
      if (d < bestDistance) [best, bestDistance] = [this.byKey.get(this.keys[i]!)!, d];
    }
    return best;
  }

  /** Checks one name, e.g. a spell on a sheet. */
  checkName(name: string, source: string): EntityFinding {
    const exact = this.exact(name);
    if (exact) return { name, status: 'known', type: exact.type, suggestion: null, pages: exact.pages, source };
    const near = this.closest(name);
    if (near) return { name, status: 'misspelled', type: near.type, suggestion: near.name, pages: near.pages, source };
    return { name, status: 'unknown', type: null, suggestion: null, pages: [], source };
  }

  /**
   * Finds entity mentions in free text: exact matches of known names (longest
   * first), and capitalised phrases that are not known but close to a known name.
   */
  scanText(text: string): EntityFinding[] {
    const tokens = [...text.matchAll(/[A-Za-z][A-Za-z'’-]*/g)].map((m) => m[0].replace(/’/g, "'"));
    const findings: EntityFinding[] = [];
    const seen = new Set<string>();
    const upper = tokens.map((t) => /^[A-Z]/.test(t));
    for (let i = 0; i < tokens.length; i++) {
      let matched = false;
      for (let n = Math.min(this.maxWords, tokens.length - i); n >= 1 && !matched; n--) {
        const phrase = tokens.slice(i, i + n).join(' ');
        const exact = this.exact(phrase);
        let capitalised = true;
        for (let j = i; j < i + n && capitalised; j++) capitalised = upper[j]!;
        // Single common words ("Light", "Command") count only when capitalised mid-sentence, like a proper name.
        if (exact && (n > 1 || capitalised)) {
          if (!seen.has(key(phrase))) findings.push({ name: phrase, status: 'known', type: exact.type, suggestion: null, pages: exact.pages, source: 'text' });
          seen.add(key(phrase));
          i += n - 1;
          matched = true;
        } else if (capitalised && n >= 2 && phrase.length >= 6) {
          const near = this.closest(phrase);
          if (near && key(near.name) !== key(phrase) && !seen.has(key(phrase))) {
            findings.push({ name: phrase, status: 'misspelled', type: near.type, suggestion: near.name, pages: near.pages, source: 'text' });
            seen.add(key(phrase));
            i += n - 1;
            matched = true;
          }
        }
      }
    }
    return findings;
  }
}
