/**
 * Truth-data check: finds the rules entities (spells, monsters, items,
 * conditions) a text or sheet names, by matching against the headings of the
 * campaign's rulebooks, and flags unknown or misspelled ones with the
 * closest real entity and the pages that define it. Pure: the caller loads
 * the entity index.
 */
import { editDistance } from './query';

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

export class EntityIndex {
  private readonly byKey = new Map<string, EntityDefinition>();
  private readonly maxWords: number;

  constructor(definitions: EntityDefinition[]) {
    for (const d of definitions) {
      const k = key(d.name);
      if (!k) continue;
      const known = this.byKey.get(k);
      if (known) known.pages.push(...d.pages);
      else this.byKey.set(k, { ...d, pages: [...d.pages] });
    }
    this.maxWords = Math.max(1, ...[...this.byKey.keys()].map((k) => k.split(' ').length));
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
    const allowed = k.length <= 5 ? 1 : k.length <= 10 ? 2 : 3;
    let best: EntityDefinition | null = null;
    let bestDistance = allowed + 1;
    for (const [candidate, def] of this.byKey) {
      const d = editDistance(k, candidate, allowed);
      if (d < bestDistance) [best, bestDistance] = [def, d];
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
    for (let i = 0; i < tokens.length; i++) {
      let matched = false;
      for (let n = Math.min(this.maxWords, tokens.length - i); n >= 1 && !matched; n--) {
        const phrase = tokens.slice(i, i + n).join(' ');
        const exact = this.exact(phrase);
        const capitalised = tokens.slice(i, i + n).every((t) => /^[A-Z]/.test(t));
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
