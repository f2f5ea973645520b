import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EntityIndex, type EntityDefinition } from '../../src/rules/entity-check';
import { editDistance } from '../../src/rules/query';

const NAMES = ['Acid Splash', 'Animate Dead', 'Arcane Eye', 'Charm Person', 'Cone of Cold', 'Cure Wounds', 'Fireball', 'Hold Person', 'Magic Missile',
  'Mage Hand', 'Aboleth', 'Chuul', 'Ancient Brass Dragon', 'Bag of Holding', 'Potion of Healing', 'Prone', 'Grappled', 'Wish', 'Light', 'Commune'];
const defs: EntityDefinition[] = NAMES.map((name, i) => ({ name, type: 'spell', pages: [{ rulebookId: 'b', page: i + 1 }] }));

/** The reference: compare with every entity (what the index replaced). */
function naiveDistance(name: string): number | null {
  const k = name.toLowerCase().replace(/[^a-z0-9' ]/g, '').replace(/\s+/g, ' ').trim();
  const allowed = k.length <= 5 ? 1 : k.length <= 10 ? 2 : 3;
  const best = Math.min(...NAMES.map((n) => editDistance(k, n.toLowerCase(), allowed)));
  return best <= allowed ? best : null;
}

describe('entity index', () => {
  it('finds the same closest distance as comparing with every entity', () => {
    const index = new EntityIndex(defs);
    const typo = fc.tuple(fc.constantFrom(...NAMES), fc.array(fc.tuple(fc.nat(30), fc.constantFrom('a', 'e', 'x', ' ', '')), { maxLength: 3 }))
      .map(([name, edits]) => edits.reduce((s, [at, ch]) => s.slice(0, at % (s.length + 1)) + ch + s.slice((at % (s.length + 1)) + (ch === '' ? 1 : 0)), name));
    fc.assert(fc.property(typo, (name) => {
      const found = index.closest(name);
      const expected = naiveDistance(name);
      if (expected === null) expect(found).toBeNull();
      else expect(editDistance(name.toLowerCase().replace(/\s+/g, ' ').trim(), found!.name.toLowerCase(), 3)).toBe(expected);
    }), { seed: 11, numRuns: 500 });
  });

  it('scans text for known and misspelled names', () => {
    const index = new EntityIndex(defs);
    const findings = index.scanText('She casts Magic Misile at the Aboleth, then Cure Wounds; the light is dim.');
    expect(findings.map((f) => [f.name, f.status, f.suggestion])).toEqual([
      ['Magic Misile', 'misspelled', 'Magic Missile'], ['Aboleth', 'known', null], ['Cure Wounds', 'known', null],
    ]);
  });
});
