/** Character import from Foundry VTT's dnd5e actor JSON: what maps, and what is reported. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromFoundryActor } from '../../src/game/foundry';

const actor = JSON.parse(readFileSync(new URL('../fixtures/foundry-dnd5e-wizard.json', import.meta.url), 'utf8'));

describe('Foundry VTT dnd5e import', () => {
  const { name, sheet, unmapped } = fromFoundryActor(actor);

  it('maps identity, abilities, saves, skills and proficiency', () => {
    expect(name).toBe('Ilsa Brightwater');
    expect(sheet).toMatchObject({ class: 'Wizard', subclass: 'School of Evocation', level: 4, race: 'High Elf', background: 'Sage', alignment: 'Neutral Good', experience: 2700, proficiencyBonus: 2 });
    expect(sheet.abilities).toEqual({ str: 8, dex: 14, con: 13, int: 17, wis: 12, cha: 10 });
    expect(sheet.savingThrows).toMatchObject({ int: true, wis: true, str: false });
    expect(sheet.skills).toMatchObject({ arcana: 'expertise', history: 'proficient', insight: 'half', investigation: 'proficient', athletics: 'none' });
  });

  it('maps hit points, hit dice, speed, initiative and money', () => {
    expect(sheet.hp).toEqual({ max: 17, current: 14, temp: 3 });
    expect(sheet.hitDice).toEqual({ die: 'd6', total: 4, used: 1 });
    expect(sheet.speed).toBe(30);
    expect(sheet.initiativeBonus).toBe(1);
    expect(sheet.currency).toEqual({ cp: 15, sp: 7, ep: 0, gp: 42, pp: 0 });
  });

  it('maps weapons (2.x–3.x and 4.x damage), inventory, spells with slots, features and the biography', () => {
    expect(sheet.attacks).toEqual([
      { name: 'Dagger', finesse: true, proficient: true, bonus: 0, damage: '1d4', damageType: 'piercing' },
      { name: 'Quarterstaff of the Tides', finesse: false, proficient: true, bonus: 1, damage: '1d6', damageType: 'bludgeoning' },
    ]);
    expect(sheet.inventory.map((i) => [i.name, i.quantity, i.weight, i.equipped])).toEqual([
      ['Dagger', 2, 1, true], ['Quarterstaff of the Tides', 1, 4, false], ['Spellbook', 1, 3, false], ['Potion of Healing', 2, 0.5, false],
    ]);
    expect(sheet.spellcasting.ability).toBe('int');
    expect(sheet.spellcasting.spells.map((s) => [s.name, s.level, s.prepared])).toEqual([['Fire Bolt', 0, true], ['Magic Missile', 1, true], ['Shield', 1, false], ['Misty Step', 2, true]]);
    expect(sheet.spellcasting.slots).toEqual({ 1: { max: 4, used: 2 }, 2: { max: 2, used: 0 } });
    expect(sheet.features[0]).toEqual({ name: 'Arcane Recovery', source: 'Wizard 1', description: 'Once per day when you finish a short rest, you can recover spell slots.' });
    expect(sheet.notes).toBe('A scholar of tides & storms.\nSeeks the drowned library.');
    expect(sheet.custom).toEqual({ languages: 'common, elvish, draconic', size: 'med' });
  });

  it('reports what it could not carry over instead of dropping it silently', () => {
    expect(sheet.armorClass).toBe(12);
    expect(unmapped).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Armor Class is computed in Foundry \(default\): set to 12/),
      expect.stringMatching(/^stealth uses INT in Foundry/),
      expect.stringMatching(/^Level 3 spell slots/),
      '1 item(s) of other types: facility',
      expect.stringMatching(/^1 active effect/),
      expect.stringMatching(/^Exhaustion level 1/),
    ]));
  });

  it('refuses what is not an actor, and bounds what it reads', () => {
    expect(() => fromFoundryActor({ system: {} })).toThrow();
    expect(() => fromFoundryActor({ name: 'x', items: Array.from({ length: 1001 }, () => ({})) })).toThrow();
    const odd = fromFoundryActor({ name: 'Odd', system: { abilities: { str: { value: 99 } }, attributes: { hp: { value: 50, max: 20 } } } });
    expect(odd.sheet.abilities.str).toBe(30);
    expect(odd.sheet.hp).toMatchObject({ max: 20, current: 20 });
  });
});
