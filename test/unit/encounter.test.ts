/** Encounter building by the XP thresholds, reading printed stat blocks, and the generators' templates (pure). */
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../src/game/dice';
import { buildEncounter, crValue, multiplierFor, partyThresholds, rateEncounter } from '../../src/game/encounter';
import { LocationDataSchema, NpcDataSchema, NpcGmOnlySchema } from '../../src/game/lore';
import { templateLocation, templateNpc } from '../../src/game/templates';
import { parseStatBlock } from '../../src/rules/stat-block';

describe('encounter difficulty', () => {
  it('sums the thresholds of the party and applies the group multiplier (stepped for small and large parties)', () => {
    expect(partyThresholds([3, 3, 3, 3])).toEqual({ easy: 300, medium: 600, hard: 900, deadly: 1600 });
    expect(partyThresholds([1, 5, 20])).toEqual({ easy: 25 + 250 + 2800, medium: 50 + 500 + 5700, hard: 75 + 750 + 8500, deadly: 100 + 1100 + 12700 });
    expect([1, 2, 3, 6, 7, 10, 11, 14, 15].map((n) => multiplierFor(n, 4))).toEqual([1, 1.5, 2, 2, 2.5, 2.5, 3, 3, 4]);
    expect(multiplierFor(1, 2)).toBe(1.5);
    expect(multiplierFor(15, 1)).toBe(5);
    expect(multiplierFor(1, 6)).toBe(0.5);
    expect(multiplierFor(2, 7)).toBe(1);
  });

  it('rates a group: four goblins and a bugbear against four 3rd-level characters', () => {
    // 4 × 50 + 200 = 400 XP, five monsters × 2 = 800: medium (600) but not hard (900).
    expect(rateEncounter([3, 3, 3, 3], [{ xp: 50, count: 4 }, { xp: 200, count: 1 }])).toMatchObject({ rawXp: 400, multiplier: 2, adjustedXp: 800, rating: 'medium' });
    expect(rateEncounter([3, 3, 3, 3], [{ xp: 10, count: 1 }]).rating).toBe('trivial');
    expect(rateEncounter([1], [{ xp: 1800, count: 1 }]).rating).toBe('deadly');
  });

  it('builds encounters inside the asked band, repeatably with a seed, and says when nothing fits', () => {
    const pool = [
      { name: 'Goblin', cr: '1/4', xp: 50 }, { name: 'Bugbear', cr: '1', xp: 200 }, { name: 'Ogre', cr: '2', xp: 450 },
      { name: 'Wolf', cr: '1/4', xp: 50 }, { name: 'Owlbear', cr: '3', xp: 700 }, { name: 'Young Dragon', cr: '10', xp: 5900 },
    ];
    for (const difficulty of ['easy', 'medium', 'hard', 'deadly'] as const) {
      for (let seed = 1; seed <= 20; seed++) {
        const built = buildEncounter([3, 3, 3, 3], difficulty, pool, seededRng(seed))!;
        expect(built.rated.rating).toBe(difficulty);
        expect(built.picks.reduce((n, p) => n + p.count, 0)).toBeLessThanOrEqual(8);
        const again = buildEncounter([3, 3, 3, 3], difficulty, pool, seededRng(seed))!;
        expect(again.picks.map((p) => [p.monster.name, p.count])).toEqual(built.picks.map((p) => [p.monster.name, p.count]));
      }
    }
    expect(buildEncounter([20, 20, 20, 20, 20, 20], 'deadly', [{ name: 'Rat', cr: '0', xp: 10 }], seededRng(1))).toBeNull();
    expect(crValue('1/4')).toBe(0.25);
    expect(crValue('31')).toBeNull();
  });
});

describe('printed stat blocks', () => {
  it('reads size, type, AC, HP, abilities and the challenge with its XP from an SRD stat block', () => {
    const ghoul = parseStatBlock('Medium undead, chaotic evil Armor Class 12 Hit Points 22 (5d8) Speed 30 ft. STR DEX CON INT WIS CHA 13 (+1) 15 (+2) 10 (+0) 7 (−2) 10 (+0) 6 (−2) Damage Immunities poison Languages Common Challenge 1 (200 XP) Claws.');
    expect(ghoul).toEqual({ size: 'Medium', type: 'undead', armorClass: 12, hitPoints: 22, hitDice: '5d8', abilities: { str: 13, dex: 15, con: 10, int: 7, wis: 10, cha: 6 }, cr: '1', xp: 200 });
    const armor = parseStatBlock('Medium construct, unaligned Armor Class 18 (natural armor) Hit Points 33 (6d8 + 6) Speed 25 ft. Challenge 1 ');
    expect(armor).toMatchObject({ type: 'construct', armorClass: 18, hitPoints: 33, hitDice: '6d8+6', abilities: null, cr: '1', xp: 200 });
    expect(parseStatBlock('Small humanoid (goblinoid), neutral evil Armor Class: 15 Hit Points: 7 Challenge Rating: 1/4')).toMatchObject({ type: 'humanoid', cr: '1/4', xp: 50 });
    expect(parseStatBlock('Armor Class 12 Hit Points 22 and no challenge at all')).toBeNull();
    expect(parseStatBlock('Challenge 99')).toBeNull();
  });
});

describe('generator templates', () => {
  it('make NPCs and locations that validate as world records, repeatably with a seed, keeping what the GM gave', () => {
    const npc = templateNpc(seededRng(3), { role: 'ferryman', race: 'dwarf' });
    expect(NpcDataSchema.parse(npc.data)).toMatchObject({ role: 'ferryman' });
    expect(NpcGmOnlySchema.parse(npc.gmOnly).secrets).toHaveLength(1);
    expect(npc.data.description).toContain('dwarf ferryman');
    expect(templateNpc(seededRng(3), {})).toEqual(templateNpc(seededRng(3), {}));
    expect(templateNpc(seededRng(3), { name: 'Old Mag' }).name).toBe('Old Mag');
    const place = templateLocation(seededRng(4), { kind: 'temple' });
    expect(LocationDataSchema.parse(place.data)).toMatchObject({ kind: 'temple' });
    expect(place.data.description).toContain(place.name);
  });
});
