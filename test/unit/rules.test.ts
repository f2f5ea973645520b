import { describe, expect, it } from 'vitest';
import { bodySize, chunkPages, newChunkerState } from '../../src/rules/chunker';
import { classifyChunk } from '../../src/rules/classify';
import { itemsToLines } from '../../src/rules/layout';
import { joinLines, normalizeText, words } from '../../src/rules/normalize';
import { abbreviationWords, correct, editDistance, planQuery } from '../../src/rules/query';
import { safeFilename } from '../../src/rules/upload';

describe('normalisation', () => {
  it('mends ligatures, soft and odd hyphens, quotes and spaces', () => {
    expect(normalizeText('e\uFB00ect of the 24-\u00AD\u2010\u2011hour \uFB01re')).toBe('effect of the 24-hour fire');
    expect(normalizeText('creature\u2019s\u00A0turn\t\tends\u200B')).toBe("creature's turn ends");
  });

  it('joins lines and words hyphenated across them', () => {
    expect(joinLines(['The target must suc-', 'ceed on a Wisdom', 'saving throw.'])).toBe('The target must succeed on a Wisdom saving throw.');
    expect(joinLines(['a well-', 'Known rule'])).toBe('a well- Known rule');
    // A compound that breaks at its own hyphen keeps it (the text around it never prints it as one word).
    const known = (w: string) => ['succeed', 'example'].includes(w);
    expect(joinLines(['The target must suc-', 'ceed'], known)).toBe('The target must succeed');
    expect(joinLines(['wielding a two-', 'handed sword'], known)).toBe('wielding a two-handed sword');
    expect(joinLines(['a 5th-', 'level spell slot'], known)).toBe('a 5th-level spell slot');
    expect(words("The dragon's breath, 8d6!")).toEqual(['the', 'dragon', 'breath']);
  });
});

describe('layout', () => {
  it('builds lines from items, dropping running headers and footers', () => {
    const lines = itemsToLines([
      { str: 'Chapter 9: Combat', size: 9, x: 50, y: 780, hasEOL: true },
      { str: 'Grappling', size: 14, x: 50, y: 700, hasEOL: true },
      { str: 'When you want to grab', size: 10, x: 50, y: 680, hasEOL: false },
      { str: ' a creature', size: 10, x: 150, y: 680, hasEOL: true },
      { str: 'System Reference Document 5.1 92', size: 11, x: 50, y: 32, hasEOL: false },
    ], 792);
    expect(lines).toEqual([{ text: 'Grappling', size: 14, y: 700, cells: 1 }, { text: 'When you want to grab a creature', size: 10, y: 680, cells: 1 }]);
  });
});

describe('chunking', () => {
  const line = (text: string, size = 10) => ({ text, size, y: 0 });
  it('keeps heading paths across pages, one page per chunk', () => {
    const pages = [
      { page: 7, lines: [line('Combat', 18), line('Grappling', 14), line('When you want to grab a creature or wrestle with it, you can use the Attack action.')] },
      { page: 8, lines: [line('Escaping a Grapple', 12), line('A grappled creature can use its action to escape.'), line('Shoving', 14), line('Using the Attack action, you can make a special melee attack to shove a creature.')] },
    ];
    const chunks = chunkPages(pages, bodySize(pages), newChunkerState(), 'rules');
    expect(chunks.map((c) => [c.page, c.headingPath.join(' > ')])).toEqual([
      [7, 'Combat > Grappling'],
      [8, 'Combat > Grappling > Escaping a Grapple'],
      [8, 'Combat > Shoving'],
    ]);
    expect(chunks.map((c) => c.ordinal)).toEqual([0, 1, 2]);
  });

  it('joins a heading set on two lines', () => {
    const pages = [{ page: 76, lines: [line('Using Ability', 26), line('Scores', 26), line('Advantage and', 18), line('Disadvantage', 18), line('Sometimes a special ability or spell tells you that you have advantage.')] }];
    expect(chunkPages(pages, 10, newChunkerState(), 'rules')[0]!.headingPath).toEqual(['Using Ability Scores', 'Advantage and Disadvantage']);
  });

  it('splits long passages near the target size at sentence ends', () => {
    const sentence = 'A creature that is hit takes damage and must make a saving throw.';
    const pages = [{ page: 1, lines: Array.from({ length: 40 }, () => line(sentence)) }];
    const chunks = chunkPages(pages, 10, newChunkerState(), 'rules', { targetChars: 500 });
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.every((c) => c.text.length <= 500 * 1.6 + sentence.length)).toBe(true);
  });
});

describe('content types', () => {
  const cases: [string, string[], string, 'rules' | 'lore'][] = [
    ['spell', ['Spells', 'Fireball'], '3rd-level evocation Casting Time: 1 action Range: 150 feet', 'rules'],
    ['monster', ['Monsters (G)', 'Goblin'], 'Small humanoid, neutral evil Armor Class 15 Hit Points 7 (2d6) Speed 30 ft. STR DEX CON Challenge 1/4', 'rules'],
    ['monster', ['Some Chapter', 'Owlbear', 'Actions'], 'Multiattack. The owlbear makes two attacks.', 'rules'],
    ['item', ['Magic Items', 'Bag of Holding'], 'Wondrous item, uncommon. This bag has an interior space considerably larger than its outside.', 'rules'],
    ['condition', ['Appendix PH-A: Conditions', 'Grappled'], "A grappled creature's speed becomes 0.", 'rules'],
    ['class_feature', ['Fighter', 'Class Features', 'Second Wind'], 'You have a limited well of stamina that you can draw on.', 'rules'],
    ['table', ['Treasure', 'Gemstones'], '1 10 gp 2 50 gp 3 100 gp 4 500 gp 5 1000 gp 6 5000 gp d6 d8 d10 d12 +1 +2 +3', 'rules'],
    ['rule', ['Combat', 'Grappling'], 'When you want to grab a creature or wrestle with it, you can use the Attack action.', 'rules'],
    ['narrative', ['The Sunless Citadel'], 'Long ago, a dragon cult raised a fortress on the surface.', 'lore'],
  ];
  for (const [expected, path, text, source] of cases) {
    it(`recognises a ${expected}`, () => expect(classifyChunk(path, text, source)).toBe(expected));
  }
});

describe('query understanding', () => {
  const vocabulary = new Map([['grappling', 12], ['grappled', 20], ['channel', 9], ['divinity', 9], ['fireball', 3], ['strength', 50]]);

  it('drops stop words, expands abbreviations and synonyms, adds phrases when asked', () => {
    const plan = planQuery('How does grappling work in combat', { vocabulary, with: ['phrases'] });
    expect(plan.terms).toEqual(['grappling', 'combat']);
    expect(plan.expansions.map((e) => e.term)).toEqual(expect.arrayContaining(['grappling', 'grapple', 'grab', 'combat']));
    expect(plan.match).toContain('"grappling combat"');
    const ac = planQuery('what is my AC and HP', { vocabulary });
    expect(ac.expansions).toEqual([{ term: 'ac', via: 'query' }, { term: 'armor class', via: 'abbreviation' }, { term: 'hp', via: 'query' }, { term: 'hit points', via: 'abbreviation' }]);
  });

  it('expands an abbreviation only where the books spell it out more often than they abbreviate it', () => {
    expect(abbreviationWords(['wizard', 'spell', 'save', 'dc', 'hp'])).toEqual(['dc', 'difficulty', 'class', 'hp', 'hit', 'points']);
    // The SRD prints "DC" 618 times and "difficulty class" twice; "HP" 5 times and "hit points" 729.
    const usage = new Map([['dc', 618], ['difficulty', 40], ['class', 900], ['hp', 5], ['hit', 1500], ['points', 800]]);
    const plan = planQuery('wizard spell save DC and HP', { vocabulary, usage });
    expect(plan.expansions.filter((e) => e.via === 'abbreviation').map((e) => e.term)).toEqual(['hit points']);
    expect(plan.terms).toContain('dc');
    // Without counts (a campaign with no books yet), every abbreviation is expanded.
    expect(planQuery('wizard spell save DC', { vocabulary }).expansions.map((e) => e.term)).toContain('difficulty class');
  });

  it('corrects misspellings against the rulebooks\' vocabulary', () => {
    expect(planQuery('grapling', { vocabulary }).corrections).toEqual([{ from: 'grapling', to: 'grappling' }]);
    expect(correct('chanel', vocabulary)).toBe('channel');
    expect(correct('grappled', vocabulary)).toBeNull();
    expect(correct('xyzzyq', vocabulary)).toBeNull();
    expect(editDistance('teh', 'the')).toBe(1);
  });

  it('detects intent from words and from known entity headings', () => {
    expect(planQuery('what spells can a cleric cast', { vocabulary }).intent).toBe('spell');
    expect(planQuery('goblin stat block', { vocabulary }).intent).toBe('monster');
    expect(planQuery('fireball damage', { vocabulary, entityTypes: new Map([['fireball', 'spell']]) }).intent).toBe('spell');
    expect(planQuery('how far can I jump', { vocabulary }).intent).toBeNull();
  });

  it('takes a kind word as intent only where it says what the answer is, not inside another rule\'s words', () => {
    const intent = (q: string) => planQuery(q, { vocabulary }).intent;
    expect(intent('shield spell')).toBe('spell');
    expect(intent('stunned condition')).toBe('condition');
    expect(intent('a spell that shoots electricity in a line')).toBe('spell');
    expect(intent('monster with three heads')).toBe('monster');
    expect(intent('which monster breathes fire')).toBe('monster');
    // Spellcasting and combat rules that happen to use the words.
    expect(intent('wizard spell save DC')).toBeNull();
    expect(intent('casting spells in armor')).toBeNull();
    expect(intent('recover spell slots on a short rest')).toBeNull();
    expect(intent('can I attack a monster that is flying')).toBeNull();
    expect(intent('conditions')).toBeNull();
  });

  it('quotes every token so FTS5 syntax cannot be injected', () => {
    const plan = planQuery('fire" OR NEAR(a b) *', { vocabulary });
    expect(plan.match.split(' OR ').every((t) => /^".*"$/.test(t))).toBe(true);
  });
});

describe('file names', () => {
  it('keeps only a safe base name', () => {
    expect(safeFilename('../../etc/passwd.pdf')).toBe('passwd.pdf');
    expect(safeFilename('C:\\\\books\\\\PHB "final".pdf')).toBe('PHB final.pdf');
    expect(safeFilename('...')).toBe('rulebook.pdf');
    expect(safeFilename(undefined)).toBe('rulebook.pdf');
  });
});
