/**
 * Roll macros: a saved expression a player runs by name (`!sneak`), with
 * `@` names filled from the character sheet at the moment it runs, so the
 * macro follows the sheet as the character grows.
 *
 * Names: `@str` … `@cha` (ability modifiers), `@prof` (proficiency bonus),
 * `@level`, `@init`, a skill (`@stealth`, `@sleight_of_hand`), a save
 * (`@dex_save`).
 *
 * @example
 * fillMacro('1d20+@stealth # Sneak', sheet); // '1d20+5 # Sneak'
 */
import { ABILITIES, abilityModifier, CharacterSheetSchema, SKILL_ABILITIES, skillBonus, type CharacterSheet, type Skill } from './character-sheet';
import { DiceError, parseRoll } from './dice';

export const MACRO_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/i;
/** `!name` at the start of a chat line runs a macro; anything after the name is ignored. */
export const MACRO_CALL = /^!([a-z0-9][a-z0-9_-]{0,39})(?:\s|$)/i;

const REF = /@([a-z][a-z_]{1,30})/gi;

export class MacroError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MacroError';
  }
}

const snake = (skill: string) => skill.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Every `@` name and its value for this sheet. */
export function sheetValues(sheet: CharacterSheet): Record<string, number> {
  const values: Record<string, number> = { prof: sheet.proficiencyBonus, level: sheet.level, init: sheet.initiativeBonus ?? abilityModifier(sheet.abilities.dex) };
  for (const a of ABILITIES) {
    values[a] = abilityModifier(sheet.abilities[a]);
    values[`${a}_save`] = abilityModifier(sheet.abilities[a]) + (sheet.savingThrows[a] ? sheet.proficiencyBonus : 0);
  }
  for (const skill of Object.keys(SKILL_ABILITIES) as Skill[]) values[snake(skill)] = skillBonus(sheet, skill);
  return values;
}

/** Every `@` name there is: the names of a default sheet's values (`{}` parses to a level-1 sheet). */
const KNOWN = Object.keys(sheetValues(CharacterSheetSchema.parse({})));

/** The `@` names an expression uses, in lower case. */
export const macroRefs = (expression: string) => [...expression.matchAll(REF)].map((m) => m[1]!.toLowerCase());

/** Checks a macro before it is saved: known `@` names, and a valid dice expression once they are filled. */
export function validateMacro(expression: string): void {
  const unknown = macroRefs(expression).filter((r) => !KNOWN.includes(r));
  if (unknown.length) throw new MacroError(`Unknown sheet value @${unknown[0]}; use e.g. @dex, @prof, @stealth, @dex_save`);
  try {
    parseRoll(expression.replace(REF, '0'));
  } catch (err) {
    if (err instanceof DiceError) throw new MacroError(err.message);
    throw err;
  }
}

/** The expression with the sheet's current values in place of its `@` names. */
export function fillMacro(expression: string, sheet: CharacterSheet | null): string {
  const refs = macroRefs(expression);
  if (refs.length === 0) return expression;
  if (!sheet) throw new MacroError(`This macro uses the sheet (@${refs[0]}): run it as one of your characters`);
  const values = sheetValues(sheet);
  return expression.replace(REF, (_all, name: string) => {
    const value = values[name.toLowerCase()];
    if (value === undefined) throw new MacroError(`Unknown sheet value @${name}`);
    return value < 0 ? `(${value})` : String(value);
  });
}
