/** Character building (pure 5e maths) and structured output with one repair. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scriptedProvider } from '../../src/ai/scripted';
import { firstJsonObject, generateStructured, GenerationError } from '../../src/ai/structured';
import { buildCharacter, CLASSES } from '../../src/game/character-builder';
import { CharacterSheetSchema } from '../../src/game/character-sheet';
import { seededRng } from '../../src/game/dice';

describe('character builder', () => {
  it('places the standard array and point buy by class priority, with the class numbers', () => {
    const wizard = buildCharacter({ className: 'wizard', method: 'standard-array', race: 'Elf' }, seededRng(1)).sheet;
    expect(wizard.abilities).toEqual({ int: 15, con: 14, dex: 13, wis: 12, cha: 10, str: 8 });
    expect(wizard).toMatchObject({ class: 'Wizard', race: 'Elf', level: 1, hp: { max: 8, current: 8 }, hitDice: { die: 'd6' }, armorClass: 11 });
    expect(wizard.savingThrows).toMatchObject({ int: true, wis: true, str: false });
    expect(wizard.skills).toMatchObject({ arcana: 'proficient', history: 'proficient', stealth: 'none' });
    const barbarian = buildCharacter({ className: 'barbarian', method: 'point-buy' }, seededRng(1)).sheet;
    // 27 points: 15, 15, 13, 10, 10, 8.
    expect(Object.values(barbarian.abilities).sort((a, b) => b - a)).toEqual([15, 15, 13, 10, 10, 8]);
    expect(barbarian).toMatchObject({ hp: { max: 14 }, armorClass: 10 + 1 + 2 });
    for (const className of Object.keys(CLASSES)) expect(() => CharacterSheetSchema.parse(buildCharacter({ className, method: 'standard-array' }, seededRng(2)).sheet)).not.toThrow();
    // The SRD's starting equipment: items, and each weapon an attack (ranged ones by Dexterity, finesse marked).
    const rogue = buildCharacter({ className: 'rogue', method: 'standard-array' }, seededRng(1)).sheet;
    expect(rogue.inventory.map((i) => [i.name, i.quantity])).toEqual(expect.arrayContaining([['Rapier', 1], ['Arrows', 20], ['Dagger', 2], ["Thieves' tools", 1]]));
    expect(rogue.attacks).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'Rapier', damage: '1d8', damageType: 'piercing', finesse: true }),
      expect.objectContaining({ name: 'Shortbow', damage: '1d6', ability: 'dex' }),
    ]));
    for (const className of Object.keys(CLASSES)) expect(buildCharacter({ className, method: 'standard-array' }, seededRng(2)).sheet.attacks.length).toBeGreaterThan(0);
  });

  it('rolls 4d6 drop lowest six times through the dice engine, repeatably with a seed', () => {
    const a = buildCharacter({ className: 'fighter', method: 'roll' }, seededRng(42));
    const b = buildCharacter({ className: 'fighter', method: 'roll' }, seededRng(42));
    expect(a).toEqual(b);
    expect(a.rolls).toHaveLength(6);
    for (const r of a.rolls) {
      expect(r.total).toBeGreaterThanOrEqual(3);
      expect(r.total).toBeLessThanOrEqual(18);
      expect(r.text).toMatch(/= \d+$/);
    }
    expect(a.sheet.abilities.str).toBe(Math.max(...a.rolls.map((r) => r.total)));
  });
});

describe('structured output', () => {
  const Schema = z.object({ name: z.string().min(1), age: z.number().int() });
  const replies = (...texts: string[]) => { let i = 0; return scriptedProvider({ script: () => texts[Math.min(i++, texts.length - 1)]! }); };

  it('takes the first JSON object out of prose and code fences', () => {
    expect(firstJsonObject('Sure! ```json\n{"name": "A {brace} in a string", "age": 3}\n``` done')).toEqual({ name: 'A {brace} in a string', age: 3 });
    expect(() => firstJsonObject('no json here')).toThrow(/no JSON/);
  });

  it('repairs once, then gives up with a clear error', async () => {
    const ok = await generateStructured(replies('{"name": "Arin", "age": "old"}', '{"name": "Arin", "age": 30}'), [{ role: 'user', content: 'x' }], Schema);
    expect(ok).toMatchObject({ value: { name: 'Arin', age: 30 }, attempts: 2 });
    await expect(generateStructured(replies('nope', '{"name": ""}'), [{ role: 'user', content: 'x' }], Schema)).rejects.toBeInstanceOf(GenerationError);
  });
});
