import { describe, expect, it } from 'vitest';
import { CharacterSheetSchema } from '../../src/game/character-sheet';
import { CheckError, profileFromSheet, profileFromStats, resolveCheck } from '../../src/game/checks';

const sheet = CharacterSheetSchema.parse({
  abilities: { str: 16, dex: 14, wis: 12 }, proficiencyBonus: 2,
  skills: { stealth: 'expertise', perception: 'proficient' }, savingThrows: { dex: true },
  attacks: [{ name: 'Longsword', damage: '1d8', damageType: 'slashing', bonus: 1 }, { name: 'Rapier', finesse: true, damage: '1d8' }],
});

describe('rolls from a sheet', () => {
  const tamsin = profileFromSheet('Tamsin', sheet);

  it('adds ability, proficiency and expertise as the sheet says', () => {
    expect(resolveCheck(tamsin, 'Stealth')).toMatchObject({ kind: 'skill', label: 'Stealth check', expression: '1d20+6', parts: [{ source: 'Dexterity', value: 2 }, { source: 'Expertise', value: 4 }] });
    expect(resolveCheck(tamsin, 'perception check').expression).toBe('1d20+3');
    expect(resolveCheck(tamsin, 'Dexterity save')).toMatchObject({ kind: 'save', ability: 'dex', expression: '1d20+4' });
    expect(resolveCheck(tamsin, 'str saving throw').expression).toBe('1d20+3');
    expect(resolveCheck(tamsin, 'Strength')).toMatchObject({ kind: 'ability', label: 'Strength check', expression: '1d20+3' });
    expect(resolveCheck(tamsin, 'initiative').expression).toBe('1d20+2');
    expect(resolveCheck(tamsin, 'sleight of hand').expression).toBe('1d20+2');
  });

  it('rolls attacks with the right ability, proficiency, item bonus and damage', () => {
    expect(resolveCheck(tamsin, 'Longsword attack')).toMatchObject({ kind: 'attack', expression: '1d20+6', damage: { expression: '1d8+4', type: 'slashing' } });
    // Finesse takes the better of Strength and Dexterity (Strength here).
    expect(resolveCheck(tamsin, 'rapier')).toMatchObject({ expression: '1d20+5', damage: { expression: '1d8+3' } });
  });

  it('takes advantage and disadvantage from conditions, and they cancel', () => {
    const poisoned = profileFromSheet('Tamsin', sheet, ['Poisoned']);
    expect(resolveCheck(poisoned, 'Stealth')).toMatchObject({ mode: 'disadvantage', expression: '2d20kl1+6', reasons: ['poisoned: disadvantage on ability checks'] });
    expect(resolveCheck(poisoned, 'Stealth', 'advantage')).toMatchObject({ mode: 'normal', expression: '1d20+6' });
    const unseen = profileFromSheet('Tamsin', sheet, ['invisible']);
    expect(resolveCheck(unseen, 'Longsword attack').mode).toBe('advantage');
    const restrained = profileFromSheet('Tamsin', sheet, ['restrained']);
    expect(resolveCheck(restrained, 'dex save').mode).toBe('disadvantage');
    expect(resolveCheck(restrained, 'wis save').mode).toBe('normal');
    const paralyzed = profileFromSheet('Tamsin', sheet, ['paralyzed']);
    expect(resolveCheck(paralyzed, 'Dexterity save').autoFail).toMatch(/automatically fails Dexterity/);
    expect(resolveCheck(profileFromSheet('T', sheet, ['exhaustion 3']), 'Longsword attack').mode).toBe('disadvantage');
  });

  it('names what it could not find', () => {
    expect(() => resolveCheck(tamsin, 'Fireball')).toThrow(CheckError);
    expect(() => resolveCheck(tamsin, 'Fireball')).toThrow(/Tamsin has no skill, ability, save or attack called "Fireball".*Longsword, Rapier/);
  });
});

describe('rolls from a stat block', () => {
  it('uses the printed bonuses and falls back to ability modifiers', () => {
    const goblin = profileFromStats('Goblin', { abilities: { dex: 14, wis: 8 }, skills: { stealth: 6 }, attacks: [{ name: 'Scimitar', bonus: 4, damage: '1d6+2', damageType: 'slashing' }] }, 2);
    expect(resolveCheck(goblin, 'stealth').expression).toBe('1d20+6');
    expect(resolveCheck(goblin, 'perception').expression).toBe('1d20-1');
    expect(resolveCheck(goblin, 'dex save').expression).toBe('1d20+2');
    expect(resolveCheck(goblin, 'Scimitar attack')).toMatchObject({ expression: '1d20+4', damage: { expression: '1d6+2' } });
  });
});
