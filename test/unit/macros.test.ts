import { describe, expect, it } from 'vitest';
import { CharacterSheetSchema } from '../../src/game/character-sheet';
import { fillMacro, MACRO_CALL, MacroError, validateMacro } from '../../src/game/macros';

const sheet = CharacterSheetSchema.parse({ abilities: { str: 8, dex: 16 }, skills: { stealth: 'expertise' }, savingThrows: { dex: true }, level: 5, proficiencyBonus: 3 });

describe('macros', () => {
  it('fills @ names from the sheet as it is now', () => {
    expect(fillMacro('1d20+@stealth # Sneak', sheet)).toBe('1d20+9 # Sneak');
    expect(fillMacro('1d20+@str+@prof', sheet)).toBe('1d20+(-1)+3');
    expect(fillMacro('1d20+@dex_save+@LEVEL', sheet)).toBe('1d20+6+5');
    expect(fillMacro('2d6+3', null)).toBe('2d6+3');
    expect(() => fillMacro('1d20+@dex', null)).toThrow(/run it as one of your characters/);
  });

  it('refuses unknown names and bad dice before saving', () => {
    expect(() => validateMacro('1d20+@luck')).toThrow(MacroError);
    expect(() => validateMacro('1d20 5')).toThrow(/Put \+ or -/);
    expect(() => validateMacro('1d20+@sleight_of_hand # Pickpocket')).not.toThrow();
  });

  it('recognises !name at the start of a chat line only', () => {
    expect(MACRO_CALL.exec('!sneak past')?.[1]).toBe('sneak');
    expect(MACRO_CALL.exec('!sneak')?.[1]).toBe('sneak');
    expect(MACRO_CALL.exec('say !sneak')).toBeNull();
    expect(MACRO_CALL.exec('!!!')).toBeNull();
  });
});
