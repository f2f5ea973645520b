import { describe, expect, it } from 'vitest';
import { abilityModifier, CharacterSheetSchema, proficiencyForLevel, skillBonus } from '../../src/game/character-sheet';

describe('character sheet', () => {
  it('parses {} into a complete level-1 5e sheet', () => {
    const sheet = CharacterSheetSchema.parse({});
    expect(sheet).toMatchObject({ system: 'dnd5e', level: 1, proficiencyBonus: 2, armorClass: 10, speed: 30, hp: { max: 8, current: 8, temp: 0 } });
    expect(Object.keys(sheet.skills)).toHaveLength(18);
    expect(sheet.savingThrows).toEqual({ str: false, dex: false, con: false, int: false, wis: false, cha: false });
  });

  it('refuses impossible values with paths', () => {
    const result = CharacterSheetSchema.safeParse({ abilities: { dex: 0 }, level: 31, hp: { max: 5, current: 6 }, spellcasting: { slots: { '1': { max: 2, used: 3 } } } });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['abilities.dex', 'level', 'hp.current', 'spellcasting.slots.1.used']));
  });

  it('keeps other systems in custom fields', () => {
    const sheet = CharacterSheetSchema.parse({ system: 'pf2e', custom: { ancestry: 'Goblin', heroPoints: 1 } });
    expect(sheet.custom).toEqual({ ancestry: 'Goblin', heroPoints: 1 });
  });

  it('computes modifiers, skill bonuses and proficiency by level', () => {
    expect([1, 8, 9, 10, 11, 20, 30].map(abilityModifier)).toEqual([-5, -1, -1, 0, 0, 5, 10]);
    const sheet = CharacterSheetSchema.parse({ abilities: { dex: 16, int: 8 }, proficiencyBonus: 3, skills: { stealth: 'expertise', arcana: 'half' } });
    expect(skillBonus(sheet, 'stealth')).toBe(3 + 6);
    expect(skillBonus(sheet, 'arcana')).toBe(-1 + 1);
    expect(skillBonus(sheet, 'athletics')).toBe(0);
    expect([1, 4, 5, 9, 13, 17, 20].map(proficiencyForLevel)).toEqual([2, 2, 3, 4, 5, 6, 6]);
  });
});
