/**
 * Rules search quality: one test (at least) per defect found when the search
 * was measured against player questions (issue "Rules search that finds the
 * rule"). Pure logic, no Workers; the end-to-end figures are in
 * `npm run bench:retrieval`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunkPages, newChunkerState, type PageLines } from '../../src/rules/chunker';
import { classifyChunk } from '../../src/rules/classify';
import { isEnglishWord } from '../../src/rules/english';
import type { Line } from '../../src/rules/layout';
import { chunkStep, startState } from '../../src/rules/ingest';
import { openPdf, pageLines, readOutline } from '../../src/rules/pdf';
import { correct, headingCandidates, planQuery } from '../../src/rules/query';
import { singulars } from '../../src/rules/plural';
import { boostDefinitions, boostNamedLabels, boostNamedRows, definesThing, demoteIncidentalCreatures, demoteIncidentalSections, rowNames, runInLabels } from '../../src/rules/named';
import { collapse, distinct } from '../../src/rules/search';
import { defines, namesLabel, sentences, snippet } from '../../src/rules/snippet';
import { headingName, type ChunkRow } from '../../src/rules/store';

const BODY = 10;
let y = 700;
/** A line of text; each call moves down the page one body line (headings keep their own spacing). */
const line = (text: string, size = BODY, cells = 1): Line => {
  y -= size * 1.2;
  return { text, size, y, cells };
};
const page = (n: number, lines: Line[]): PageLines => {
  y = 700;
  return { page: n, lines };
};

describe('1. spelling correction leaves real words alone', () => {
  const vocabulary = new Map([['longsword', 30], ['leap', 4], ['grappling', 12], ['cunning', 8], ['rage', 40]]);

  it('knows English words the books never use, with their inflections', () => {
    for (const w of ['wrestle', 'wrestled', 'wobbly', 'stabbing', 'haul', 'hauling', 'reptilian', 'grabbed']) expect(isEnglishWord(w)).toBe(true);
    for (const w of ['grapling', 'longsowrd', 'xyzzyq']) expect(isEnglishWord(w)).toBe(false);
  });

  it('corrects only non-words', () => {
    expect(correct('longsowrd', vocabulary)).toBe('longsword');
    // "lunge" is a word: it must not become "longsword"/"leap"-like book words.
    expect(correct('lunge', vocabulary)).toBeNull();
    expect(correct('running', vocabulary)).toBeNull();
    expect(planQuery('My character leaps', { vocabulary }).corrections).toEqual([]);
  });

  it('never corrects contractions or possessives', () => {
    const plan = planQuery("can't the dragon's rage", { vocabulary });
    expect(plan.corrections).toEqual([]);
  });

  it('expands synonyms before correcting, so a player word reaches its rule', () => {
    // "wrestle" is not in the books' vocabulary; it must reach "grappling" through its synonym group, not be "corrected".
    const plan = planQuery('Can I wrestle an orc', { vocabulary });
    expect(plan.corrections).toEqual([]);
    expect(plan.expansions.map((e) => e.term)).toEqual(expect.arrayContaining(['wrestle', 'grapple', 'grappling']));
  });
});

describe('2. query-understanding features are switchable and measured', () => {
  const vocabulary = new Map<string, number>();

  it('does not add word-pair phrases by default (the benchmark showed them costing top-1 accuracy)', () => {
    expect(planQuery('casting spells in armor', { vocabulary }).match).not.toContain('"casting spells"');
    expect(planQuery('casting spells in armor', { vocabulary, with: ['phrases'] }).match).toContain('"casting spells"');
  });

  it('a creature or monster word alone does not make a combat question about monsters', () => {
    expect(planQuery('can a creature attack twice in a turn', { vocabulary }).intent).toBeNull();
  });

  it('a question that describes a creature or an item instead of naming it asks for one', () => {
    expect(planQuery('creature that reads minds and copies faces', { vocabulary }).intent).toBe('monster');
    expect(planQuery('a wobbly slime monster that swallows people', { vocabulary }).intent).toBe('monster');
    expect(planQuery('a magic sack that is bigger on the inside', { vocabulary }).intent).toBe('item');
    expect(planQuery('boots that let me run faster', { vocabulary }).intent).toBe('item');
    // Mundane gear is equipment, not a magic item.
    expect(planQuery('can I cast in armor that I am not proficient with', { vocabulary }).intent).toBeNull();
  });

  it('switches each feature off on request', () => {
    const entityTypes = new Map([['fireball', 'spell' as const]]);
    expect(planQuery('fireball', { vocabulary, entityTypes }).named).toEqual(['fireball']);
    expect(planQuery('fireball', { vocabulary, entityTypes, without: ['entities'] }).named).toEqual([]);
    expect(planQuery('dual wield', { vocabulary, without: ['synonyms', 'idioms'] }).expansions.map((e) => e.term)).toEqual(['dual', 'wield']);
    expect(planQuery('free swing', { vocabulary }).expansions.map((e) => e.term)).toContain('opportunity attack');
    expect(planQuery('free swing', { vocabulary, without: ['idioms'] }).expansions.map((e) => e.term)).not.toContain('opportunity attack');
  });

  it('reads table talk for distance, classes, damage types, items and creatures in the books\' words, but not inside a name', () => {
    const terms = (query: string, entityTypes?: Map<string, 'spell'>) => planQuery(query, { vocabulary, entityTypes }).expansions.map((e) => e.term);
    expect(terms('shooting my bow at the orc right next to me')).toContain('within 5 feet');
    expect(terms('warrior taking an extra turn')).toContain('fighter');
    expect(terms('a spell that shoots electricity in a line')).toContain('lightning');
    expect(terms('footwear that lets me run fast')).toContain('boots');
    expect(terms('a see-through slime')).toEqual(expect.arrayContaining(['ooze', 'transparent']));
    expect(terms('can I attack twice in one turn')).toContain('extra attack');
    expect(terms('how far can I throw a dagger')).toEqual(expect.arrayContaining(['thrown', 'range']));
    // "burning hands" is a spell the player names, not a question about fire.
    expect(terms('how hot is a burning campfire')).toContain('fire');
    expect(terms('burning hands', new Map([['burning hands', 'spell']]))).not.toContain('fire');
  });

  it('names the longest heading the query mentions and boosts it', () => {
    const entityTypes = new Map([['lay on hands', 'class_feature' as const], ['paladin', 'rule' as const], ['hands', 'rule' as const]]);
    // Stop words inside a name count ("lay on hands"), and a name inside a longer one does not count again ("hands").
    expect(planQuery('paladin lay on hands', { vocabulary, entityTypes }).named).toEqual(['lay on hands', 'paladin']);
    expect(planQuery('how much does lay on hands heal', { vocabulary, entityTypes }).named).toEqual(['lay on hands']);
  });

  it('names a heading in the plural ("werewolves", "bags of holding") and searches the singular the stemmer misses', () => {
    expect(singulars('goblins')).toEqual(['goblin']);
    expect(singulars('harpies')).toEqual(['harpy']);
    expect(singulars('liches')).toEqual(['lich']);
    expect(singulars('horses')).toEqual(['horse']);
    expect(singulars('knives')).toEqual(['knife']);
    expect(singulars('feet')).toEqual(['foot']);
    // Not plurals.
    expect(singulars('status')).toEqual([]);
    expect(singulars('bless')).toEqual([]);
    expect(headingCandidates('bags of holding')).toContain('bag of holding');
    // A long question keeps its words as asked before their singulars, longest runs first.
    const long = Array.from({ length: 20 }, (_, i) => `word${String.fromCharCode(97 + i)}s`);
    const candidates = headingCandidates(long.join(' '));
    expect(candidates).toHaveLength(90);
    expect(candidates).toEqual(expect.arrayContaining(long));
    expect(candidates.map((c) => c.split(' ').length)).toEqual([...candidates.map((c) => c.split(' ').length)].sort((a, b) => b - a));
    expect(headingCandidates('what do werewolves fear')).toContain('werewolf');
    const entityTypes = new Map([['werewolf', 'monster' as const], ['charm person', 'spell' as const]]);
    expect(planQuery('how do werewolves change shape', { vocabulary, entityTypes })).toMatchObject({ named: ['werewolf'], intent: 'monster' });
    expect(planQuery('immune to charm people', { vocabulary, entityTypes }).named).toEqual(['charm person']);
    expect(planQuery('how do werewolves change shape', { vocabulary, entityTypes, without: ['plurals'] }).named).toEqual([]);
    // The index stems "goblins" to "goblin" by itself; "elves" to "elv", so "elf" is searched too.
    const terms = (query: string, without: 'plurals'[] = []) => planQuery(query, { vocabulary, without }).expansions;
    expect(terms('how long do elves live')).toContainEqual({ term: 'elf', via: 'singular' });
    expect(terms('what can goblins do').map((e) => e.term)).toEqual(['goblins']);
    expect(terms('how long do elves live', ['plurals']).map((e) => e.term)).not.toContain('elf');
  });
});

describe('3. heading paths follow the outline, and the heuristic repairs itself without one', () => {
  it('a bookmark whose page a cut-down PDF dropped starts where its first child does', async () => {
    // srd-small.pdf keeps the pages of "Elf" but not the page of its chapter "Races" (nor of "Classes", "Barbarian"...).
    const pdf = await openPdf(new Uint8Array(readFileSync(new URL('../fixtures/srd-small.pdf', import.meta.url))));
    const outline = await readOutline(pdf);
    await pdf.destroy();
    // The excerpt's page 2 is the SRD's page 4, which opens with Hill Dwarf: its parents start there too.
    expect(outline.slice(0, 6)).toEqual([
      { title: 'Legal Information', page: 1, depth: 0 },
      { title: 'Races', page: 2, depth: 0 },
      { title: 'Dwarf', page: 2, depth: 1 },
      { title: 'Dwarf Traits', page: 2, depth: 2 },
      { title: 'Hill Dwarf', page: 2, depth: 3 },
      { title: 'Elf', page: 2, depth: 1 },
    ]);
    // Every chapter is top-level again, as in the whole book: nothing nests under "Legal Information".
    expect(outline.filter((e) => e.depth === 0).map((e) => e.title)).toEqual(expect.arrayContaining(['Races', 'Classes', 'Spellcasting', 'Monsters']));
  });

  it('files a chapter whose title is set in body type under that chapter, from the outline', () => {
    const outline = [
      { title: 'Using Ability Scores', page: 1, depth: 0 },
      { title: 'Saving Throws', page: 1, depth: 1 },
      { title: 'Combat', page: 2, depth: 0 },
      { title: 'The Order of Combat', page: 2, depth: 1 },
    ];
    const pages = [
      page(1, [line('Using Ability Scores', 24), line('Saving Throws', 18), line('A saving throw represents an attempt to resist a spell, a trap, a poison, a disease, or a similar threat.')]),
      // "Combat" in body type: the size heuristic alone would leave it under "Saving Throws".
      page(2, [line('Combat'), line('The Order of Combat', 18), line('A typical combat encounter is a clash between two sides, a flurry of weapon swings.')]),
    ];
    const chunks = chunkPages(pages, BODY, newChunkerState(outline), 'rules');
    expect(chunks.map((c) => c.headingPath.join(' › '))).toEqual(['Using Ability Scores › Saving Throws', 'Combat › The Order of Combat']);
  });

  it('finds a run-in outline heading inside the text and keeps the text', () => {
    const outline = [{ title: 'Weapon Properties', page: 5, depth: 0 }, { title: 'Finesse', page: 5, depth: 1 }, { title: 'Heavy', page: 5, depth: 1 }];
    const pages = [page(5, [line('Weapon Properties', 14), line('Finesse. When making an attack with a finesse weapon, you use your choice of Strength or Dexterity.'), line('Heavy. Small creatures have disadvantage on attack rolls with heavy weapons.')])];
    const chunks = chunkPages(pages, BODY, newChunkerState(outline), 'rules');
    expect(chunks.map((c) => [c.headingPath.join(' › '), c.text.slice(0, 8)])).toEqual([['Weapon Properties › Finesse', 'Finesse.'], ['Weapon Properties › Heavy', 'Heavy. S']]);
  });

  it('places a bookmark with a typo at the heading it misspells, named as printed; never at another bookmark\'s heading', () => {
    const outline = [
      { title: 'Spell Descriptions', page: 151, depth: 0 },
      { title: 'Guidance', page: 151, depth: 1 },
      { title: 'Guiding Bold', page: 151, depth: 1 },
      { title: 'Giant Bat', page: 151, depth: 1 },
      { title: 'Giant Rat', page: 151, depth: 1 },
    ];
    const pages = [page(151, [
      line('Spell Descriptions', 24),
      line('Guidance', 12), line('You touch one willing creature and it adds a d4 to one ability check.'),
      line('Guiding Bolt', 12), line('A flash of light streaks toward a creature of your choice within range.'),
      // "Giant Bat" is a bookmark of its own: not a misprint of "Giant Rat", whose heading is on the page too.
      line('Giant Bat', 12), line('Echolocation. The bat cannot use its blindsight while deafened.'),
      line('Giant Rat', 12), line('Keen Smell. The rat has advantage on Wisdom (Perception) checks that rely on smell.'),
    ])];
    const chunks = chunkPages(pages, BODY, newChunkerState(outline), 'rules');
    expect(chunks.find((c) => c.text.includes('flash of light'))!.headingPath).toEqual(['Spell Descriptions', 'Guiding Bolt']);
    expect(chunks.find((c) => c.text.includes('Echolocation'))!.headingPath).toEqual(['Spell Descriptions', 'Giant Bat']);
    expect(chunks.find((c) => c.text.includes('Keen Smell'))!.headingPath).toEqual(['Spell Descriptions', 'Giant Rat']);
  });

  it('files a section the outline lacks beside the bookmark printed at its size, not under it', () => {
    // The SRD has no bookmark for "Magic Missile": it used to be filed as "Magic Jar › Magic Missile".
    const outline = [{ title: 'Spell Descriptions', page: 160, depth: 0 }, { title: 'Magic Jar', page: 160, depth: 1 }, { title: 'Aboleth', page: 161, depth: 1 }];
    const pages = [
      page(160, [line('Spell Descriptions', 24), line('Magic Jar', 12), line('Your body falls into a catatonic state as your soul leaves it.'),
        line('Magic Missile', 12), line('You create three glowing darts of magical force.'),
        // A heading of that size over rows is a table's title: it stays under the section.
        line('Precipitation', 12), line('Stage Condition', BODY, 2), line('1 Clear', BODY, 2), line('2 Light clouds', BODY, 2), line('3 Overcast or ground fog', BODY, 2)]),
      page(161, [line('Aboleth', 12), line('Large aberration, lawful evil, with a tentacled body.'), line('Actions', 11), line('Multiattack. The aboleth makes three tentacle attacks.')]),
    ];
    const chunks = chunkPages(pages, BODY, newChunkerState(outline), 'rules');
    expect(chunks.find((c) => c.text.includes('catatonic'))!.headingPath).toEqual(['Spell Descriptions', 'Magic Jar']);
    expect(chunks.find((c) => c.text.includes('glowing darts'))!.headingPath).toEqual(['Spell Descriptions', 'Magic Missile']);
    expect(chunks.find((c) => c.text.includes('Light clouds'))!.headingPath).toEqual(['Spell Descriptions', 'Magic Missile', 'Precipitation']);
    // A smaller heading stays a child of the bookmark.
    expect(chunks.find((c) => c.text.includes('tentacle attacks'))!.headingPath).toEqual(['Spell Descriptions', 'Aboleth', 'Actions']);
  });

  it('files the text after a titled table under the table\'s section, not under the table\'s title', () => {
    // The SRD's "Statistics for Objects": the "Object Armor Class" table, then "Hit Points.", which is not about the table.
    const outline = [{ title: 'Objects', page: 203, depth: 0 }, { title: 'Statistics for Objects', page: 203, depth: 1 }];
    const row = (text: string) => line(text, BODY, 2);
    const pages = [
      page(203, [line('Objects', 24), line('Statistics for Objects', 14), line('When time is a factor, you can assign an Armor Class and hit points to a destructible object.'),
        line('Object Armor Class', 12), row('Substance AC'), row('Cloth, paper, rope 11'), row('Crystal, glass, ice 13'), row('Wood, bone 15'),
        line('Hit Points. An object\'s hit points measure how much damage it can take before losing its structural integrity.'),
        line('Object Hit Points', 12), row('Size Fragile Resilient'), row('Tiny (bottle, lock) 2 (1d4) 5 (2d4)'), row('Small (chest, lute) 3 (1d6) 10 (3d6)')]),
      // The second table runs on over the page: the text after its last rows is the section's too.
      page(204, [row('Medium (barrel, chandelier) 4 (1d8) 18 (4d8)'), row('Large (cart) 5 (1d10) 27 (5d10)'),
        line('Damage Threshold. Big objects such as castle walls often have extra resilience represented by a damage threshold.')]),
    ];
    const chunks = chunkPages(pages, BODY, newChunkerState(outline), 'rules');
    const path = (words: string) => chunks.find((c) => c.text.includes(words))!.headingPath;
    expect(path('Crystal, glass')).toEqual(['Objects', 'Statistics for Objects', 'Object Armor Class']);
    expect(path('structural integrity')).toEqual(['Objects', 'Statistics for Objects']);
    expect(path('Tiny (bottle')).toEqual(['Objects', 'Statistics for Objects', 'Object Hit Points']);
    expect(path('barrel, chandelier')).toEqual(['Objects', 'Statistics for Objects', 'Object Hit Points']);
    expect(path('castle walls')).toEqual(['Objects', 'Statistics for Objects']);
  });

  it('keeps a stat block set in an item\'s sidebar under the item, and the next item beside it', () => {
    const outline = [{ title: 'Magic Items A-Z', page: 222, depth: 0 }, { title: 'Figurine of Wondrous Power', page: 222, depth: 1 }];
    const pages = [page(222, [
      line('Magic Items A-Z', 24), line('Figurine of Wondrous Power', 12), line('A figurine of wondrous power is a statuette of a beast small enough to fit in a pocket.'),
      line('Giant Fly', 12), line('Large beast, unaligned'), line('Armor Class 11 Hit Points 19 (3d10 + 3) Speed 30 ft., fly 60 ft.'),
      line('Actions', 11), line('Bite. Melee Weapon Attack: +3 to hit, reach 5 ft., one target.'),
      // No bookmark for Flame Tongue, and a sub-heading before it: still the figurine's sibling.
      line('Flame Tongue', 12), line('You can use a bonus action to speak this magic sword\'s command word, causing flames to erupt from the blade.'),
    ])];
    const chunks = chunkPages(pages, BODY, newChunkerState(outline), 'rules');
    expect(chunks.find((c) => c.text.includes('Large beast'))!.headingPath).toEqual(['Magic Items A-Z', 'Figurine of Wondrous Power', 'Giant Fly']);
    expect(chunks.find((c) => c.text.includes('flames to erupt'))!.headingPath).toEqual(['Magic Items A-Z', 'Flame Tongue']);
  });

  it('does not rename a bookmark after a heading with a letter more or less ("Monsters (A)" under "Monsters (A-Z)")', () => {
    const outline = [{ title: 'Monsters (A-Z)', page: 9, depth: 0 }, { title: 'Aboleth', page: 9, depth: 1 }];
    const pages = [page(9, [line('Monsters (A)', 24), line('Aboleth', 12), line('Large aberration, lawful evil. Armor Class 17 (natural armor).')])];
    const chunks = chunkPages(pages, BODY, newChunkerState(outline), 'rules');
    expect(chunks.find((c) => c.text.includes('aberration'))!.headingPath[0]).toBe('Monsters (A-Z)');
  });

  it('does not take a table cell reading like a title for the section', () => {
    const outline = [{ title: 'Barbarian', page: 8, depth: 0 }, { title: 'Rage', page: 8, depth: 1 }, { title: 'Unarmored Defense', page: 8, depth: 1 }];
    const pages = [page(8, [line('Barbarian', 24), line('Rage', 8.9), line('1st +2 2 +2', 8.9, 3), line('Rage', 12), line('In battle, you fight with primal ferocity.'), line('Unarmored Defense', 12), line('While you are not wearing any armor, your AC equals 10 + Dex + Con.')])];
    const chunks = chunkPages(pages, BODY, newChunkerState(outline), 'rules');
    expect(chunks.find((c) => c.text.includes('primal ferocity'))!.headingPath).toEqual(['Barbarian', 'Rage']);
    expect(chunks.find((c) => c.text.includes('not wearing'))!.headingPath).toEqual(['Barbarian', 'Unarmored Defense']);
  });

  it('without an outline: a group heading ends where its members stop carrying its name', () => {
    const pages = [page(1, [
      line('Giants', 14), line('Hill Giant', 12), line('Hill giants are selfish, dim-witted brutes that hunt and forage.'),
      line('Stone Giant', 12), line('Stone giants are reclusive, quiet, and peaceful.'),
      line('Goblin', 12), line('Goblins are small, black-hearted humanoids.'),
    ])];
    const paths = chunkPages(pages, BODY, newChunkerState(), 'rules').map((c) => c.headingPath.join(' › '));
    expect(paths).toEqual(['Giants › Hill Giant', 'Giants › Stone Giant', 'Goblin']);
  });

  it('without an outline: two headings of one size far apart stay two headings; a title on two close lines is one', () => {
    y = 700;
    const group = { text: 'Brass Dragon', size: 12, y: 366, cells: 1 };
    const ancient = { text: 'Ancient Brass Dragon', size: 12, y: 336, cells: 1 };
    const title1 = { text: 'Damage Resistance and', size: 13.9, y: 707, cells: 1 };
    const title2 = { text: 'Vulnerability', size: 13.9, y: 690, cells: 1 };
    const body = (text: string, at: number) => ({ text, size: BODY, y: at, cells: 1 });
    const chunks = chunkPages([{ page: 1, lines: [title1, title2, body('Some creatures and objects are exceedingly difficult to hurt.', 670)] }, { page: 2, lines: [group, ancient, body('Gargantuan dragon, chaotic good, Armor Class 22 Hit Points 297.', 320)] }], BODY, newChunkerState(), 'rules');
    expect(chunks.map((c) => c.heading)).toEqual(['Damage Resistance and Vulnerability', 'Ancient Brass Dragon']);
  });
});

describe('4. the whole heading path is indexed', () => {
  it('keeps every heading above a passage in its path (the FTS index has a heading_path column, migration 0004)', () => {
    const outline = [{ title: 'Druid', page: 20, depth: 0 }, { title: 'Class Features', page: 20, depth: 1 }, { title: 'Wild Shape', page: 20, depth: 2 }];
    const chunks = chunkPages([page(20, [line('Druid', 24), line('Class Features', 18), line('Wild Shape', 12), line('Starting at 2nd level, you can use your action to magically assume the shape of a beast.')])], BODY, newChunkerState(outline), 'rules');
    expect(chunks[0]!.headingPath).toEqual(['Druid', 'Class Features', 'Wild Shape']);
    expect(chunks[0]!.contentType).toBe('class_feature');
  });
});

describe('5. tables keep their header in every piece', () => {
  const header = 'Name Cost Damage Weight Properties';
  const rows = (n: number) => Array.from({ length: n }, (_, i) => line(`Weapon${i} ${i + 1} gp 1d${4 + (i % 4) * 2} slashing ${i} lb. Light, thrown (range 20/60)`, 8.9, 5));

  it('labels a run of rows a table, cuts it by rows and repeats the header', () => {
    const chunks = chunkPages([page(1, [line('Weapons', 12), line(header, 8.9, 5), ...rows(30), line('After the table, the text goes on with a sentence.')])], BODY, newChunkerState(), 'rules');
    const tables = chunks.filter((c) => c.contentType === 'table');
    expect(tables.length).toBeGreaterThan(1);
    for (const t of tables) {
      expect(t.text.split('\n')[0]).toBe(header);
      expect(t.text.split('\n').slice(1).every((r) => r.startsWith('Weapon'))).toBe(true);
    }
    expect(tables.flatMap((t) => t.text.split('\n').slice(1))).toHaveLength(30);
    expect(chunks.at(-1)!.contentType).toBe('rule');
  });

  it('carries the header (and a group label) to rows continued on the next page', () => {
    const chunks = chunkPages([
      page(65, [line('Some text about weapons that ends the page.'), line('Weapons', 12), line(header, 8.9, 5), line('Simple Melee Weapons', 8.9)]),
      page(66, [line('Club 1 sp 1d4 bludgeoning 2 lb. Light', 8.9, 5), line('Dagger 2 gp 1d4 piercing 1 lb. Finesse, light', 8.9, 5), line('Greatclub 2 sp 1d8 bludgeoning 10 lb. Two-handed', 8.9, 5)]),
    ], BODY, newChunkerState(), 'rules');
    const continued = chunks.find((c) => c.page === 66)!;
    expect(continued.contentType).toBe('table');
    expect(continued.text.split('\n').slice(0, 3)).toEqual([header, 'Simple Melee Weapons', 'Club 1 sp 1d4 bludgeoning 2 lb. Light']);
    // Nothing lost: the header is also text of its own page.
    expect(chunks.filter((c) => c.page === 65).map((c) => c.text).join(' ')).toContain(header);
  });
});

describe('5. a table row the question names ranks its table (weapons, armor and gear are rows)', () => {
  const weapons = 'Name Cost Damage Weight Properties\nMartial Melee Weapons\nLongsword 15 gp 1d8 slashing 3 lb. Versatile (1d10)\nWar pick 5 gp 1d8 piercing 2 lb. —';
  const dcs = 'Task Difficulty DC\nVery easy 5\nEasy 10\nHard 20';
  const row = (id: number, content_type: string, text: string, score: number, heading = 'Table'): ChunkRow => ({
    id, ordinal: id, rulebook_id: 'b', title: 'SRD', source_type: 'rules', attribution: '', page: id, previous_page_chars: 0,
    heading_path: JSON.stringify([heading]), heading, content_type, text, heading_score: 0, text_score: score, score,
  });

  it('reads row names up to the first number, dash or bracket', () => {
    expect([...rowNames(weapons)]).toEqual(['martial melee weapons', 'longsword', 'war pick']);
    expect([...rowNames(dcs)]).toEqual(['very easy', 'easy', 'hard']);
  });

  it('lifts a table whose row is named when the question asks for one of its columns, or for the row alone', () => {
    const rows = [row(246, 'item', 'Weapon (longsword) … radiant damage', 8.2, 'Sun Blade'), row(264, 'monster', 'Longsword. Melee Weapon Attack … slashing damage', 7.8), row(66, 'table', weapons, 5, 'Table: Weapons')];
    expect(boostNamedRows(rows, ['longsword', 'damage'], 4)[0]!.id).toBe(66);
    expect(boostNamedRows(rows, ['war', 'pick', 'weight'], 4)[0]!.id).toBe(66);
    expect(boostNamedRows(rows, ['longsword'], 4)[0]!.id).toBe(66);
    // Named, but asked about something the table does not hold: its order stands.
    expect(boostNamedRows(rows, ['longsword', 'history'], 4).map((r) => r.id)).toEqual([246, 264, 66]);
  });

  it('does not take a row name for the same word used otherwise', () => {
    const rows = [row(6, 'rule', 'Halflings are hard to fool with magic', 6), row(77, 'table', dcs, 5, 'Typical Difficulty Classes')];
    expect(boostNamedRows(rows, ['small', 'folk', 'hard', 'fool', 'magic'], 4).map((r) => r.id)).toEqual([6, 77]);
  });
});

describe('5b. a run-in label the question names ranks its passage (rules set as a bold label, not a heading)', () => {
  const row = (id: number, content_type: string, text: string, score: number, path: string[]): ChunkRow => ({
    id, ordinal: id, rulebook_id: 'b', title: 'SRD', source_type: 'rules', attribution: '', page: id, previous_page_chars: 0,
    heading_path: JSON.stringify(path), heading: path[path.length - 1]!, content_type, text, heading_score: 0, text_score: score, score,
  });
  const pace = row(84, 'rule', 'A fast pace makes characters less perceptive. Forced March. The Travel Pace table assumes that characters travel for 8 hours in day.', 6.1, ['Movement', 'Travel Pace']);
  const horseshoes = row(226, 'item', 'The creature can move at normal speed for up to 12 hours a day without suffering exhaustion from a forced march.', 9.3, ['Magic Items', 'Horseshoes of a Zephyr']);

  it('reads labels at a paragraph or sentence start, brackets dropped, as query words', () => {
    expect([...runInLabels("Explorer's Pack (10 gp). Includes a backpack. Lucky. When you roll a 1 on the d20, you can reroll the die.")]).toEqual(['explorer pack', 'lucky']);
    // Not labels: an ordinary sentence, a name in mid-sentence, a label with nothing after it.
    expect([...runInLabels('Roll a d20. You use the Lucky trait. See the Travel Pace table.')]).toEqual([]);
  });

  it('lifts the passage with the named label above one that merely mentions the words', () => {
    expect(boostNamedLabels([horseshoes, pace], ['forced', 'march'], 4).map((r) => r.id)).toEqual([84, 226]);
    expect(boostNamedLabels([horseshoes, pace], ['forced', 'march'], 0).map((r) => r.id)).toEqual([226, 84]);
  });

  it('needs the section for a one-word label, and ignores recurring fields and stat blocks', () => {
    const halfling = row(4, 'rule', 'Lucky. When you roll a 1 on the d20 for an attack roll, you can reroll the die.', 5, ['Races', 'Halfling', 'Halfling Traits']);
    const dice = row(76, 'rule', "If you have advantage, roll a second d20. A halfling's Lucky trait lets you reroll a 1.", 7, ['Advantage and Disadvantage']);
    expect(boostNamedLabels([dice, halfling], ['halfling', 'lucky', 'trait'], 4).map((r) => r.id)).toEqual([4, 76]);
    // "lucky" with words that point elsewhere: the label is not what was asked for.
    expect(boostNamedLabels([dice, halfling], ['lucky', 'dice', 'reroll'], 4).map((r) => r.id)).toEqual([76, 4]);
    const races = [1, 2, 3, 5].map((id) => row(id, 'rule', 'Speed. Your base walking speed is 25 feet.', 6, ['Races', `Race ${id}`]));
    const rule = row(84, 'rule', 'Your speed is how far you can move on your turn.', 7, ['Movement', 'Speed']);
    expect(boostNamedLabels([rule, ...races], ['speed'], 4)[0]!.id).toBe(84);
    const wolf = row(400, 'monster', 'Bite. Melee Weapon Attack: +4 to hit.', 5, ['Monsters', 'Wolf']);
    expect(boostNamedLabels([rule, wolf], ['bite'], 4)[0]!.id).toBe(84);
  });
});

describe('2b. a creature the question names but asks nothing about is not what it is looking for', () => {
  const row = (id: number, content_type: string, heading: string, text: string, score: number): ChunkRow => ({
    id, ordinal: id, rulebook_id: 'b', title: 'SRD', source_type: 'rules', attribution: '', page: id, previous_page_chars: 0,
    heading_path: JSON.stringify([heading]), heading, content_type, text, heading_score: 0, text_score: score, score,
  });
  const orc = row(339, 'monster', 'Orc', 'Aggressive. As a bonus action, the orc can move up to its speed toward a hostile creature. Greataxe. Melee Weapon Attack: +5 to hit.', 12);
  const ranged = row(95, 'rule', 'Ranged Attacks in Close Combat', 'When you make a ranged attack with a weapon, you have disadvantage if you are within 5 feet of a hostile creature.', 9);
  const boosts = { namedBoost: 4, intentBoost: 2 };
  const plan = { named: ['orc'], intent: 'monster', intentSource: 'entity' };

  it('drops the named and intent boosts of a stat block that holds none of the other words', () => {
    const asked = ['shooting', 'my', 'bow', 'at', 'the', 'orc', 'standing', 'right', 'next', 'to', 'me'];
    expect(demoteIncidentalCreatures([orc, ranged], asked, plan, boosts).map((r) => [r.id, r.score])).toEqual([[95, 9], [339, 6]]);
  });

  it('keeps them when the question asks about the creature', () => {
    for (const asked of [['orc'], ['orc', 'stat', 'block'], ['orc', 'ac'], ['orc', 'greataxe', 'damage']]) {
      expect(demoteIncidentalCreatures([orc, ranged], asked, plan, boosts).map((r) => r.id)).toEqual([339, 95]);
    }
  });
});

describe('2b. a section the question names but asks nothing about is not what it is looking for', () => {
  const row = (id: number, path: string[], text: string, score: number): ChunkRow => ({
    id, ordinal: id, rulebook_id: 'b', title: 'SRD', source_type: 'rules', attribution: '', page: id, previous_page_chars: 0,
    heading_path: JSON.stringify(path), heading: path[path.length - 1]!, content_type: 'rule', text, heading_score: 0, text_score: score, score,
  });
  const strength = row(79, ['Using Ability Scores', 'Strength'], 'Strength measures bodily power, athletic training, and the extent to which you can exert raw physical force.', 12);
  const finesse = row(64, ['Equipment', 'Weapons', 'Weapon Properties'], 'Finesse. When making an attack with a finesse weapon, you use your choice of your Strength or Dexterity modifier. The rapier is one.', 9);

  it('drops the named boost of a section that holds none of the other words', () => {
    const asked = ['can', 'i', 'use', 'dex', 'instead', 'of', 'strength', 'for', 'my', 'rapier'];
    expect(demoteIncidentalSections([strength, finesse], asked, ['strength'], 4).map((r) => [r.id, r.score])).toEqual([[64, 9], [79, 8]]);
  });

  it('keeps it when the section holds another word of the question, or nothing else is asked', () => {
    for (const asked of [['strength'], ['strength', 'physical'], ['ability', 'strength']]) {
      expect(demoteIncidentalSections([strength, finesse], asked, ['strength'], 4).map((r) => r.id)).toEqual([79, 64]);
    }
  });

  it('counts a name asked in the plural as the name, not as another word ("splints" names Splint)', () => {
    const splint = row(63, ['Equipment', 'Armor', 'Heavy Armor', 'Splint'], 'Splint. This armor is made of narrow vertical strips of metal riveted to a backing of leather.', 12);
    const kit = row(67, ['Equipment', 'Adventuring Gear', "Healer's Kit"], "Healer's Kit. This kit is a leather pouch containing bandages, salves, and splints.", 9);
    const asked = ['bandages', 'and', 'splints', 'in', 'a', 'doctors', 'bag'];
    expect(demoteIncidentalSections([splint, kit], asked, ['splint'], 4).map((r) => r.id)).toEqual([67, 63]);
  });
});

describe('2c. a heading that recurs under many parents names its general rule', () => {
  const row = (id: number, path: string[], score: number): ChunkRow => ({
    id, ordinal: id, rulebook_id: 'b', title: 'SRD', source_type: 'rules', attribution: '', page: id, previous_page_chars: 0,
    heading_path: JSON.stringify(path), heading: path[path.length - 1]!, content_type: 'rule', text: 'You know cantrips.', heading_score: 0, text_score: score, score,
  });
  // Every caster class has a "Cantrips" feature; the rules chapter defines them.
  const bard = row(12, ['Classes', 'Bard', 'Spellcasting', 'Cantrips'], 20);
  const cleric = row(15, ['Classes', 'Cleric', 'Spellcasting', 'Cantrips'], 19);
  const wizard = row(52, ['Classes', 'Wizard', 'Spellcasting', 'Cantrips'], 18);
  const warlock = row(47, ['Classes', 'Warlock', 'Pact Magic', 'Cantrips'], 17);
  const rule = row(101, ['Spellcasting', 'What Is a Spell?', 'Cantrips'], 17);

  it('keeps the named boost for the occurrence nearest the top of the outline only', () => {
    const ranked = demoteIncidentalSections([bard, cleric, wizard, warlock, rule], ['cantrips'], ['cantrips'], 4);
    expect(ranked.map((r) => r.id)).toEqual([101, 12, 15, 52, 47]);
    expect(ranked.map((r) => r.score)).toEqual([17, 16, 15, 14, 13]);
  });

  it('keeps it for a deeper occurrence whose parent the question names too', () => {
    const ranked = demoteIncidentalSections([bard, cleric, wizard, warlock, rule], ['wizard', 'cantrips'], ['cantrips'], 4);
    expect(ranked.map((r) => r.id)).toEqual([52, 101, 12, 15, 47]);
  });

  it('takes the boost away once when both reasons hold', () => {
    // "dragon" is in none of these sections: every one is named in passing, and the deeper ones recur too.
    const ranked = demoteIncidentalSections([bard, cleric, wizard, warlock, rule], ['cantrips', 'dragon'], ['cantrips'], 4);
    expect(ranked.map((r) => [r.id, r.score])).toEqual([[12, 16], [15, 15], [52, 14], [47, 13], [101, 13]]);
  });

  it('leaves a heading printed in only a few sections alone', () => {
    const rows = [bard, cleric, rule];
    expect(demoteIncidentalSections(rows, ['cantrips'], ['cantrips'], 4)).toBe(rows);
  });
});

describe("2e. a sidebar's or a table's title names its section without the outline's label", () => {
  it('reads "Sidebar: Hiding" as "hiding" and leaves a printed "Variant:" alone', () => {
    expect(headingName('Sidebar: Casting in Armor')).toBe('casting in armor');
    expect(headingName('Table: Exotic Languages')).toBe('exotic languages');
    expect(headingName('Variant: Encumbrance')).toBe('variant: encumbrance');
    expect(headingName('Fireball')).toBe('fireball');
  });
});

describe('2d. a passage that defines what the question names ranks above one that only uses the word', () => {
  const row = (id: number, heading: string, content_type: string, text: string, score: number): ChunkRow => ({
    id, ordinal: id, rulebook_id: 'b', title: 'SRD', source_type: 'rules', attribution: '', page: id, previous_page_chars: 0,
    heading_path: JSON.stringify(['Book', heading]), heading, content_type, text, heading_score: 0, text_score: score, score,
  });
  const spell = row(128, 'Conjure Celestial', 'spell', 'You summon a celestial of challenge rating 4 or lower. The celestial is friendly to you and your companions.', 12);
  const types = row(254, 'Type', 'rule', 'Beasts are nonhumanoid creatures. Celestials are creatures native to the Upper Planes. Constructs are made, not born.', 9);

  it('boosts the definition ("what are celestials")', () => {
    expect(boostDefinitions([spell, types], ['what', 'are', 'celestials'], 4).map((r) => r.id)).toEqual([254, 128]);
    expect(boostDefinitions([spell, types], ['what', 'are', 'celestials'], 0).map((r) => r.id)).toEqual([128, 254]);
    // A question about something else leaves them as they were.
    const rows = [spell, types];
    expect(boostDefinitions(rows, ['summon', 'celestial', 'range'], 4)).toBe(rows);
  });

  it('tells a definition from a sentence about one already introduced', () => {
    expect(definesThing('Your carrying capacity is your Strength score multiplied by 15.', ['carrying', 'capacity'])).toBe(true);
    expect(definesThing('It drifts. The Astral Plane is the realm of thought and dream.', ['astral', 'plane'])).toBe(true);
    expect(definesThing('A cantrip is a spell that can be cast at will.', ['cantrips'])).toBe(true);
    expect(definesThing('The celestial is friendly to you.', ['celestial'])).toBe(false);
    expect(definesThing('A celestial is summoned.', ['celestial'])).toBe(false);
    // The subject is the whole thing asked about, no more and no less.
    expect(definesThing('Celestials are creatures native to the Upper Planes.', ['evil', 'celestials'])).toBe(false);
    expect(definesThing('Evil celestials are rare.', ['celestials'])).toBe(false);
  });
});

describe('6. a passage that starts mid-sentence after a page break gets its lead-in', () => {
  it('gives the same passages whatever the ingestion steps (a section start held back at a step\'s last page joins its body in the next)', async () => {
    const pdf = await openPdf(new Uint8Array(readFileSync(new URL('../fixtures/srd-small.pdf', import.meta.url))));
    const outline = await readOutline(pdf);
    const pages: PageLines[] = [];
    for (let p = 1; p <= pdf.numPages; p++) pages.push({ page: p, lines: await pageLines(pdf, p) });
    await pdf.destroy();
    const inSteps = (size: number) => {
      const state = startState(pages.slice(0, size), outline);
      const chunks = [];
      for (let from = 0; from < pages.length; from += size) {
        // Through JSON, as the state is stored between steps.
        Object.assign(state, JSON.parse(JSON.stringify(state)));
        chunks.push(...chunkStep(pages.slice(from, from + size), state, 'rules', from + size < pages.length).chunks);
      }
      return chunks;
    };
    const whole = inSteps(pages.length);
    expect(whole.length).toBeGreaterThan(200);
    for (const size of [5, 7, 40]) expect(inSteps(size)).toEqual(whole);
  });

  it('prepends the unfinished sentence and still cites the new page', () => {
    const chunks = chunkPages([
      page(10, [line('Falling', 14), line('A fall from a great height is one of the most common hazards facing an adventurer. '.repeat(4).trim()), line('At the end of a fall, a creature takes 1d6 bludgeoning damage for every 10 feet it fell, and it')]),
      page(11, [line('lands prone, unless it avoids taking damage from the fall. That is the whole rule.')]),
    ], BODY, newChunkerState(), 'rules');
    const second = chunks.find((c) => c.page === 11)!;
    expect(second.text).toBe('At the end of a fall, a creature takes 1d6 bludgeoning damage for every 10 feet it fell, and it lands prone, unless it avoids taking damage from the fall. That is the whole rule.');
    expect(second.headingPath).toEqual(['Falling']);
  });

  it("joins a section's short opening at a page's foot to its body on the next page", () => {
    const chunks = chunkPages([
      page(165, [line('Mirror Image', 12), line('The images last a while and then vanish, as the text explains in some detail.'), line('Misty Step', 12), line('2nd-level conjuration Casting Time: 1 bonus action')]),
      page(166, [line('Briefly surrounded by silvery mist, you teleport up to 30 feet to an unoccupied space that you can see.')]),
    ], BODY, newChunkerState(), 'rules');
    const misty = chunks.filter((c) => c.heading === 'Misty Step');
    expect(misty).toHaveLength(1);
    expect(misty[0]!.page).toBe(166);
    expect(misty[0]!.text).toBe('2nd-level conjuration Casting Time: 1 bonus action Briefly surrounded by silvery mist, you teleport up to 30 feet to an unoccupied space that you can see.');
    // The joined start is on page 165: a snippet taken from it cites that page.
    expect(misty[0]!.previousPageChars).toBe('2nd-level conjuration Casting Time: 1 bonus action '.length);
    expect(chunks.find((c) => c.heading === 'Mirror Image')!.previousPageChars).toBeUndefined();
  });

  it('cites the page most of the snippet is on when a joined start holds the answer', () => {
    // "Lifting and Carrying" starts at the foot of SRD page 79 with the rule itself; its last sentence runs over to 80.
    const start = 'Your Strength score determines the amount of weight you can bear. Carrying Capacity. Your carrying capacity is your Strength score multiplied by 15. This is the weight (in pounds) that you can carry, which is high enough';
    const passage = { text: `${start} that most characters don't usually have to worry about it. Push, Drag, or Lift. You can push, drag, or lift a weight in pounds up to twice your carrying capacity. Size and Strength. Larger creatures can bear more weight.`, page: 80, previousPageChars: start.length + 1 };
    const capacity = snippet([passage], [{ word: 'carrying', weight: 1 }, { word: 'capacity', weight: 1 }]);
    expect(capacity.html).toContain('<mark>carrying</mark> <mark>capacity</mark> is your Strength score multiplied by 15');
    expect(capacity.page).toBe(79);
    // The same passage asked about what is overleaf cites the page it is on.
    const size = snippet([passage], [{ word: 'larger', weight: 1 }, { word: 'creatures', weight: 1 }, { word: 'size', weight: 1 }]);
    expect(size.page).toBe(80);
  });
});

describe('7. passages of one section collapse into one hit', () => {
  const row = (id: number, page: number, path: string[], ordinal: number): { row: ChunkRow } => ({
    row: { id, ordinal, rulebook_id: 'b', title: 'SRD', source_type: 'rules', attribution: '', page, heading_path: JSON.stringify(path), heading: path.at(-1)!, content_type: 'rule', text: `text ${id}`, heading_score: 0, text_score: 0, score: 0, previous_page_chars: 0 },
  });

  it('keeps the best-ranked passage of a section, with the section text in reading order', () => {
    const hits = collapse([row(3, 95, ['Combat', 'Grappling'], 3), row(9, 40, ['Rogue', 'Sneak Attack'], 9), row(2, 95, ['Combat', 'Grappling'], 2), row(4, 96, ['Combat', 'Grappling'], 4), row(7, 120, ['Combat', 'Grappling'], 7)]);
    expect(hits.map((h) => h.row.id)).toEqual([3, 9, 7]);
    expect(hits[0]!.passages).toEqual([{ text: 'text 2', page: 95, previousPageChars: 0 }, { text: 'text 3', page: 95, previousPageChars: 0 }, { text: 'text 4', page: 96, previousPageChars: 0 }]);
  });
  it('lets a subsection ranked below its section on the same page join that hit', () => {
    const section = ['Combat', 'Making an Attack', 'Ranged Attacks'];
    const close = [...section, 'Ranged Attacks in Close Combat'];
    const joined = collapse([row(1, 95, section, 1), row(2, 95, close, 2), row(5, 40, ['Rogue', 'Sneak Attack'], 5)]);
    expect(joined.map((h) => h.row.id)).toEqual([1, 5]);
    expect(joined[0]!.passages.map((p) => p.text)).toEqual(['text 1', 'text 2']);
    // Ranked above its section, on another page, under a chapter or of another kind, it stays a hit of its own.
    expect(collapse([row(2, 95, close, 2), row(1, 95, section, 1)])).toHaveLength(2);
    expect(collapse([row(1, 95, section, 1), row(2, 96, close, 2)])).toHaveLength(2);
    expect(collapse([row(1, 95, ['Combat'], 1), row(2, 95, ['Combat', 'Surprise'], 2)])).toHaveLength(2);
    const table = { row: { ...row(2, 95, close, 2).row, content_type: 'table' } };
    expect(collapse([row(1, 95, section, 1), table])).toHaveLength(2);
  });
});

describe('7b. a rule printed for many creatures is one hit', () => {
  const row = (id: number, heading: string, text: string): { row: ChunkRow } => ({
    row: { id, ordinal: id, rulebook_id: 'b', title: 'SRD', source_type: 'rules', attribution: '', page: id, previous_page_chars: 0, heading_path: JSON.stringify(['Monsters', heading, 'Legendary Actions']), heading: 'Legendary Actions', content_type: 'monster', text, heading_score: 0, text_score: 1, score: 1 },
  });
  const wing = (dc: number) => `Wing Attack (Costs 2 Actions). Each creature within 10 feet must succeed on a DC ${dc} Dexterity saving throw or be knocked prone.`;

  it('leaves out a hit whose text a better one shows, numbers aside', () => {
    const hits = [row(290, 'Adult White Dragon', wing(19)), row(291, 'Ancient White Dragon', wing(22)), row(92, 'Flying Movement', 'If a flying creature is knocked prone, it falls.'), row(303, 'Adult Silver Dragon', wing(22))];
    expect(distinct(hits).map((h) => h.row.id)).toEqual([290, 92]);
  });
});

describe('8. the snippet is the sentence that answers', () => {
  const terms = (...words: string[]) => words.map((word) => ({ word, weight: 1 }));

  it('chooses the answering sentence over one that merely repeats the words', () => {
    const text = 'Breath weapons are described with each monster that has one, and a breath weapon recharges as its stat block says. '
      + 'Grappling is a special melee attack that lets you hold a creature in place, using a Strength (Athletics) check contested by the target. '
      + 'Shoving is another special attack, which knocks a creature prone or pushes it 5 feet away from you. '
      + 'Underwater combat uses its own rules for weapons and for creatures that swim. '
      + 'A creature can hold its breath for a number of minutes equal to 1 + its Constitution modifier (minimum of 30 seconds).';
    const { html } = snippet([{ text, page: 86 }], terms('hold', 'breath'));
    expect(html).toContain('A creature can <mark>hold</mark> its <mark>breath</mark> for a number of minutes');
    expect(html).not.toContain('recharges');
  });

  it('fills the room left after a window that ends its page with the sentences that lead up to it', () => {
    const text = 'Starting at 2nd level, you can push yourself beyond your normal limits for a moment. On your turn, you can take one additional action. '
      + 'Once you use this feature, you must finish a short or long rest before you can use it again.';
    const shown = snippet([{ text, page: 25 }, { text: 'Martial Archetype. At 3rd level, you choose an archetype.', page: 26 }], terms('once', 'rest'));
    expect(shown.html.startsWith('Starting at 2nd level, you can push yourself')).toBe(true);
    expect(shown.html).toContain('<mark>Once</mark> you use this feature');
    expect(shown.html).not.toContain('Martial Archetype');
    expect(shown.page).toBe(25);
  });

  it('shows what follows the chosen sentences on their page, so an answer that runs on is not cut off', () => {
    const lead = 'Whenever you start your turn with 0 hit points, you must make a special saving throw, called a death saving throw, to determine whether you creep closer to death or hang onto life. '
      + 'Unlike other saving throws, this one is not tied to any ability score, and nothing you carry changes it. '
      + 'You are in the hands of fate now, aided only by spells and features that improve your chances of succeeding.';
    const text = `${lead} Roll a d20. If the roll is 10 or higher, you succeed.`;
    const shown = snippet([{ text, page: 97 }, { text: 'Rolling 1 or 20 has special effects.', page: 98 }], terms('death', 'saving', 'throw'));
    expect(shown.html).toMatch(/^Whenever you start your turn/);
    expect(shown.html).toContain('If the roll is 10 or higher, you succeed.');
    // Not past its page, and cited where the chosen sentences are.
    expect(shown.html).not.toContain('Rolling 1 or 20');
    expect(shown.page).toBe(97);
  });

  it('prefers the sentence that defines what the question names', () => {
    // The section opens by mentioning both planes; the definition of the one asked about comes later, past the window.
    const text = 'The Ethereal Plane and the Astral Plane are called the Transitive Planes, and they are mostly featureless. '
      + 'Spells such as etherealness let characters enter the Ethereal Plane and cross it to reach other places, which takes a long time and a great deal of planning and preparation for the journey there. '
      + 'Travellers on the Ethereal Plane can see into the Material Plane as if through a thick grey fog, but they cannot touch anything there or be touched by anything in it at all. '
      + 'The Astral Plane is the realm of thought and dream, where visitors travel as disembodied souls.';
    const { html } = snippet([{ text, page: 364 }], terms('astral', 'plane'));
    expect(html).toContain('The <mark>Astral</mark> <mark>Plane</mark> is the realm of thought');
    // The opening that only mentions it is left out for what leads up to the definition.
    expect(html).not.toContain('Transitive');
  });

  it("recognises a definition in a section's first sentence, which counts with the section's heading", () => {
    const text = 'Celestials are creatures native to the Upper Planes. Many of them are the servants of deities, employed as messengers or agents in the mortal realm. '
      + 'Celestials are good by nature, so the exceptional celestial who strays from a good alignment is a horrifying rarity. Celestials include angels, couatls, and pegasi. '
      + 'Constructs are made, not born. Some are programmed by their creators to follow a simple set of instructions, while others are imbued with sentience and capable of independent thought. '
      + 'Golems are the iconic constructs. Many creatures native to the outer plane of Mechanus, such as modrons, are constructs shaped from the raw material of the plane.';
    const { html } = snippet([{ text, page: 254 }], terms('celestials'), undefined, false, 'Type');
    expect(html.startsWith('<mark>Celestials</mark> are creatures native to the Upper Planes.')).toBe(true);
  });

  it('opens a section the question names with its defining first sentence when the answer chosen is further on', () => {
    const text = 'In battle, you fight with primal ferocity. '
      + 'On your turn, you can enter a rage as a bonus action, and you gain the benefits below if you aren\'t wearing heavy armor, for the whole of its duration. '
      + 'You have advantage on Strength checks and Strength saving throws while you rage, and a bonus to the damage of your melee weapon attacks using Strength. '
      + 'You have resistance to bludgeoning, piercing, and slashing damage while you rage. '
      + 'Your rage lasts for 1 minute. It ends early if you are knocked unconscious or if your turn ends and you haven\'t attacked a hostile creature since your last turn.';
    const named = snippet([{ text, page: 8 }], terms('rage', 'resistance', 'damage'), undefined, true, 'Rage');
    expect(named.html.startsWith('In battle, you fight with primal ferocity. … ')).toBe(true);
    expect(named.html).toContain('<mark>resistance</mark> to bludgeoning');
    expect(named.html.length).toBeLessThan(560);
    // A section the question does not name is shown from its best sentences, with what leads up to them.
    const unnamed = snippet([{ text, page: 8 }], terms('rage', 'resistance', 'damage'), undefined, false, 'Rage');
    expect(unnamed.html).not.toContain(' … ');
  });

  it('counts a run-in label the question names as a sub-heading of the section', () => {
    const text = 'Your halfling character has a number of traits in common with all other halflings. '
      + 'Ability Score Increase. Your Dexterity score increases by 2. '
      + 'Age. A halfling reaches adulthood at the age of 20 and generally lives into the middle of his or her second century. '
      + 'Alignment. Most halflings are lawful good. As a rule, they are good-hearted and kind, hate to see others in pain, and have no tolerance for oppression. '
      + 'Size. Halflings average about 3 feet tall and weigh about 40 pounds. Your size is Small. '
      + 'Lucky. When you roll a 1 on the attack roll, ability check, or saving throw, you can reroll the die and must use the new roll.';
    const { html } = snippet([{ text, page: 4 }], terms('halfling', 'lucky', 'trait'), undefined, true, 'Halfling Traits');
    expect(html).toContain('<mark>Lucky</mark>. When you roll a 1');
    expect(namesLabel('Lucky. When you roll a 1, you can reroll the die.', new Map([['lucki', 1]]), (w) => w.toLowerCase().replace(/y$/, 'i'))).toBe(true);
    expect(namesLabel('Size. Halflings average about 3 feet tall.', new Map([['lucki', 1]]), (w) => w.toLowerCase())).toBe(false);
    expect(namesLabel('Keen Hearing and Smell. The wolf has advantage on Wisdom (Perception) checks.', new Map([['keen', 1], ['hearing', 1], ['smell', 1]]), (w) => w.toLowerCase())).toBe(true);
  });

  it('recognises a definition only when its subject is made of the question\'s words', () => {
    const weights = new Map([['exhaust', 1], ['level', 1]]);
    const stemOf = (w: string) => w.toLowerCase().replace(/ion$|s$/, '');
    expect(defines('Exhaustion is measured in six levels.', weights, stemOf)).toBe(true);
    expect(defines('Some special abilities and environmental hazards are the cause of exhaustion.', weights, stemOf)).toBe(false);
  });

  it('escapes HTML and marks every inflection of a query word', () => {
    expect(snippet([{ text: 'A grappled creature <b>cannot</b> move while grappling.', page: 1 }], terms('grapple')).html)
      .toBe('A <mark>grappled</mark> creature &lt;b&gt;cannot&lt;/b&gt; move while <mark>grappling</mark>.');
  });

  it("keeps a run-in label with its sentence and a spell's header apart from its first sentence", () => {
    expect(sentences('Regeneration. The troll regains 10 hit points at the start of its turn.')).toEqual(['Regeneration. The troll regains 10 hit points at the start of its turn.']);
    expect(sentences('Your size is Small. Speed. Your base walking speed is 25 feet.')).toEqual(['Your size is Small.', 'Speed. Your base walking speed is 25 feet.']);
    expect(sentences("Burglar's Pack (16 gp). Includes a backpack.")).toEqual(["Burglar's Pack (16 gp). Includes a backpack."]);
    expect(sentences('Challenge 6 (2,300 XP) Petrifying Gaze. When a creature can see the eyes, it must save.')).toEqual(['Challenge 6 (2,300 XP)', 'Petrifying Gaze. When a creature can see the eyes, it must save.']);
    expect(sentences('1st-level evocation Casting Time: 1 action Range: Touch Components: V, S Duration: Instantaneous A creature you touch regains 1d8 hit points.')[1]).toBe('A creature you touch regains 1d8 hit points.');
  });

  it('cites the page of the chosen sentence', () => {
    const shown = snippet([{ text: 'Divine Smite. Starting at 2nd level, when you hit with a melee weapon attack.', page: 31 }, { text: 'The extra damage is 2d8 for a 1st-level spell slot, plus 1d8 for each spell level higher than 1st.', page: 32 }], terms('smite', 'damage', 'slot'));
    expect(shown.page).toBe(32);
  });

  it('shows a table\'s header with its best rows', () => {
    const text = 'Name Cost Damage\nClub 1 sp 1d4 bludgeoning\nLongsword 15 gp 1d8 slashing\nMaul 10 gp 2d6 bludgeoning';
    expect(snippet([{ text, page: 66 }], terms('longsword'), 'Name Cost Damage').html.split('\n').slice(0, 2)).toEqual(['Name Cost Damage', '<mark>Longsword</mark> 15 gp 1d8 slashing']);
  });

  it("takes a spell's first sentence after its header as its opening, and shows the header when the question names a field", () => {
    const text = '6th-level evocation Casting Time: 10 minutes Range: Self Components: V, S, M (a statuette of yourself carved from ivory and decorated with gems worth at least 1,500 gp) Duration: 10 days '
      + 'Choose a spell of 5th level or lower that you can cast, that has a casting time of 1 action, and that can target you. '
      + 'You cast that spell—called the contingent spell—as part of casting contingency, expending spell slots for both, but the contingent spell doesn\'t come into effect. '
      + 'Instead, it takes effect when a certain circumstance occurs. You describe that circumstance when you cast the two spells. '
      + 'For example, a contingency cast with water breathing might stipulate that water breathing comes into effect when you are engulfed in water or a similar liquid.';
    const named = snippet([{ text, page: 130 }], terms('contingency', 'spell'), undefined, true, 'Contingency');
    expect(named.html.startsWith('Choose a <mark>spell</mark>')).toBe(true);
    expect(named.html).toContain('Instead, it takes effect when a certain circumstance occurs.');
    const range = snippet([{ text, page: 130 }], terms('contingency', 'range'), undefined, true, 'Contingency');
    expect(range.html.startsWith('6th-level evocation Casting Time: 10 minutes <mark>Range</mark>: Self')).toBe(true);
  });

  it('shows a sentence split by a page break once, from the passage where it ends', () => {
    const lead = 'When you find such a spell, you can add it to the book if the spell\'s level is equal to or less than half your warlock level and if you can spare the time to';
    const before = { text: `On your adventures, you can add other ritual spells to your Book of Shadows. ${lead}`, page: 48 };
    const after = { text: `${lead} transcribe the spell. The transcription takes 2 hours and costs 50 gp.`, page: 49 };
    // The words are in the sentence's start, which both passages hold: the whole sentence is chosen, on the page it ends.
    const { html, page } = snippet([before, after], terms('half', 'warlock', 'level'));
    expect(html.match(/When you find such a/g)).toHaveLength(1);
    expect(html).toContain('spare the time to transcribe the spell.');
    expect(page).toBe(49);
  });

  it("gives a spell the question does not name no opening that counts with its heading", () => {
    const text = '9th-level necromancy Casting Time: 1 hour Range: 10 feet Components: V, S, M (one jacinth worth at least 1,000 gp) Duration: Special '
      + 'You and up to eight willing creatures within range project your astral bodies into the Astral Plane. '
      + 'What you leave behind is unconscious and in a state of suspended animation; it doesn\'t need food or air and doesn\'t age. '
      + 'Your new form resembles your mortal form in almost every way, replicating your game statistics and possessions. '
      + 'The principal difference is the addition of a silvery cord that extends from between your shoulder blades and trails behind you, fading to invisibility after 1 foot. '
      + 'This cord is your tether. As long as the tether remains intact, you can find your way home. '
      + 'If a creature\'s original body or its astral form drops to 0 hit points, the spell ends for that creature.';
    const weighted = [{ word: 'astral', weight: 3 }, { word: 'body', weight: 2 }, { word: 'killed', weight: 2 }];
    const unnamed = snippet([{ text, page: 120 }], weighted, undefined, false, 'Astral Projection');
    expect(unnamed.html).toContain('original <mark>body</mark> or its <mark>astral</mark> form drops to 0 hit points');
  });

  it("counts a stat block's heading with the action the question names, not with its opening", () => {
    const text = 'Large construct, unaligned Armor Class 14 (natural armor) Hit Points 133 (14d10 + 56) Speed 20 ft. Challenge 9 (5,000 XP) '
      + 'Slam. Melee Weapon Attack: +8 to hit, reach 5 ft., one target. Hit: 16 (2d10 + 5) bludgeoning damage. '
      + 'If the target is a creature, it must succeed on a DC 15 Constitution saving throw or have its hit point maximum reduced by an amount equal to the damage taken. '
      + 'The target dies if this attack reduces its hit point maximum to 0. The reduction lasts until removed by the greater restoration spell or other magic. '
      + 'Haste (Recharge 5–6). Until the end of its next turn, the golem magically gains a +2 bonus to its AC, has advantage on Dexterity saving throws, and can use its slam attack as a bonus action.';
    // As in the books, the creature's words are rarer than the action's.
    const weighted = [{ word: 'clay', weight: 3 }, { word: 'golem', weight: 3 }, { word: 'slam', weight: 1.5 }];
    const { html } = snippet([{ text, page: 316 }], weighted, undefined, false, 'Clay Golem', true);
    expect(html).toContain('<mark>Slam</mark>. Melee Weapon Attack');
    expect(html).toContain('hit point maximum reduced');
  });

  it("does not credit a table's heading to its first row", () => {
    // "Greek god of the underworld": the heading's words are every row's, the row that answers is further down.
    const header = 'Deity Alignment Suggested Domains Symbol';
    const text = `${header}\nZeus, god of the sky, ruler of the gods N Tempest Fist full of lightning bolts\nAphrodite, goddess of love and beauty CG Light Sea shell\n`
      + 'Demeter, goddess of agriculture NG Life Mare s head\nDionysus, god of mirth and wine CN Life Thyrsus\nHades, god of the underworld LE Death Black ram';
    const { html } = snippet([{ text, page: 361 }], terms('greek', 'deity', 'god', 'underworld'), header, true, 'Greek Deities');
    expect(html.split('\n')[1]).toBe('Hades, <mark>god</mark> of the <mark>underworld</mark> LE Death Black ram');
  });
});

describe('9. content types for common formats', () => {
  it('labels a chapter of creatures monster, not a rule whose heading ends in "creatures"', () => {
    expect(classifyChunk(['Appendix MM-A: Miscellaneous Creatures', 'Giant Badger'], 'Medium beast, unaligned. Keen Smell.', 'rules')).toBe('monster');
    expect(classifyChunk(['Using Ability Scores', 'Movement and Position', 'Moving Around Other Creatures'], "You can move through a nonhostile creature's space.", 'rules')).toBe('rule');
    expect(classifyChunk(['Monsters', 'Legendary Creatures'], 'A legendary creature can take a certain number of special actions outside its turn.', 'rules')).toBe('rule');
  });
  it('recognises stat blocks written with colons or abbreviations', () => {
    expect(classifyChunk(['Homebrew', 'Ash Wyrm'], 'Armor Class: 18 / Hit Points: 200 / Challenge Rating: 15', 'rules')).toBe('monster');
    expect(classifyChunk(['Homebrew', 'Ash Wyrm'], 'Armor Class 18 Hit Points 200 Challenge Rating 15', 'rules')).toBe('monster');
    expect(classifyChunk(['Homebrew', 'Ash Wyrm'], 'AC 18, HP 200, CR 15. A wyrm of cinders.', 'rules')).toBe('monster');
  });

  it('recognises pipe and markdown tables', () => {
    expect(classifyChunk(['Gear'], '| Item | Cost | Weight | | --- | --- | --- | | Rope | 1 gp | 10 lb. | | Torch | 1 cp | 1 lb. |', 'rules')).toBe('table');
  });

  it('recognises story prose in a rules book', () => {
    const prose = 'The rain had not stopped for three days when the caravan finally reached Millbrook. Old Marta watched from her doorway as the wagons rolled past, and she knew at once that the strangers had brought trouble with them. Nobody in the village slept well that night.';
    expect(classifyChunk(['Adventure Hooks'], prose, 'rules')).toBe('narrative');
    expect(classifyChunk(['Combat'], 'You can take one action on your turn. The GM said you roll a d20.', 'rules')).toBe('rule');
  });

  it('labels a stat block\'s later passages (its actions) like the stat block', () => {
    const chunks = chunkPages([page(315, [
      line('Goblin', 14), line('Small humanoid (goblinoid), neutral evil Armor Class 15 (leather armor, shield) Hit Points 7 (2d6) Speed 30 ft. STR DEX CON INT WIS CHA Challenge 1/4 (50 XP)'),
      line('Nimble Escape. The goblin can take the Disengage or Hide action as a bonus action on each of its turns.'),
      line('Scimitar. Melee Weapon Attack: +4 to hit, reach 5 ft., one target. Hit: 5 (1d6 + 2) slashing damage. And a long tail so this passage is cut here at its end.'),
    ])], BODY, newChunkerState(), 'rules', { targetChars: 120 });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.contentType === 'monster')).toBe(true);
  });
});
