/**
 * A system-agnostic character sheet with D&D 5e defaults.
 *
 * Every field has a default, so `{}` parses to a valid level-1 sheet and a
 * client may send only what it knows. Other systems keep their own numbers in
 * `custom` (free key/value) and may rename abilities; the 5e fields remain
 * available to tools that understand them.
 *
 * @example
 * const sheet = CharacterSheetSchema.parse({ class: 'Wizard', abilities: { int: 16 } });
 * sheet.hp.max; // 8 by default; sheet.abilities.str === 10
 */
import { z } from 'zod';

const score = z.number().int().min(1).max(30);
const shortText = z.string().trim().max(200);
const longText = z.string().max(20_000);

export const ABILITIES = ['str', 'dex', 'con', 'int', 'wis', 'cha'] as const;
export type Ability = (typeof ABILITIES)[number];

/** The eighteen 5e skills and the ability each one uses. */
export const SKILL_ABILITIES = {
  acrobatics: 'dex', animalHandling: 'wis', arcana: 'int', athletics: 'str', deception: 'cha',
  history: 'int', insight: 'wis', intimidation: 'cha', investigation: 'int', medicine: 'wis',
  nature: 'int', perception: 'wis', performance: 'cha', persuasion: 'cha', religion: 'int',
  sleightOfHand: 'dex', stealth: 'dex', survival: 'wis',
} as const satisfies Record<string, Ability>;
export type Skill = keyof typeof SKILL_ABILITIES;

export const Proficiency = z.enum(['none', 'half', 'proficient', 'expertise']);

export const CONDITIONS = [
  'blinded', 'charmed', 'deafened', 'exhaustion', 'frightened', 'grappled', 'incapacitated', 'invisible',
  'paralyzed', 'petrified', 'poisoned', 'prone', 'restrained', 'stunned', 'unconscious',
] as const;

const AbilitiesSchema = z.object({
  str: score.default(10), dex: score.default(10), con: score.default(10),
  int: score.default(10), wis: score.default(10), cha: score.default(10),
});

const SkillsSchema = z.object(
  Object.fromEntries(Object.keys(SKILL_ABILITIES).map((skill) => [skill, Proficiency.default('none')])) as Record<Skill, z.ZodDefault<typeof Proficiency>>,
);

const SavesSchema = z.object(
  Object.fromEntries(ABILITIES.map((a) => [a, z.boolean().default(false)])) as Record<Ability, z.ZodDefault<z.ZodBoolean>>,
);

const HitPointsSchema = z.object({
  max: z.number().int().min(1).max(10_000).default(8),
  current: z.number().int().min(-10_000).max(10_000).default(8),
  temp: z.number().int().min(0).max(10_000).default(0),
}).refine((hp) => hp.current <= hp.max, { message: 'Current HP cannot exceed max HP', path: ['current'] });

const ItemSchema = z.object({
  name: shortText.min(1),
  quantity: z.number().int().min(0).max(100_000).default(1),
  weight: z.number().min(0).max(100_000).optional(),
  equipped: z.boolean().default(false),
  notes: z.string().max(2000).default(''),
});

const SpellSchema = z.object({
  name: shortText.min(1),
  level: z.number().int().min(0).max(9),
  prepared: z.boolean().default(false),
  notes: z.string().max(2000).default(''),
});

const SlotSchema = z.object({ max: z.number().int().min(0).max(20), used: z.number().int().min(0).max(20) })
  .refine((s) => s.used <= s.max, { message: 'Used slots cannot exceed max', path: ['used'] });

/** A weapon or other attack as the sheet lists it; the table rolls it with the ability and proficiency. */
const AttackSchema = z.object({
  name: shortText.min(1).max(60),
  /** The ability it uses; unset: Strength, or the better of Strength and Dexterity for finesse weapons. */
  ability: z.enum(ABILITIES).optional(),
  finesse: z.boolean().default(false),
  proficient: z.boolean().default(true),
  /** A magic weapon's bonus, to hit and to damage. */
  bonus: z.number().int().min(-10).max(10).default(0),
  /** Damage dice without the modifier, e.g. `1d8`. */
  damage: z.string().trim().max(40).regex(/^[0-9d+\- ]*$/i, 'Damage is dice like 1d8 or 2d6').default(''),
  damageType: shortText.max(40).default(''),
});

const ConditionSchema = z.object({
  name: shortText.min(1),
  /** Rounds left; absent means until removed. */
  roundsRemaining: z.number().int().min(0).max(10_000).optional(),
  /** e.g. "DC 13 Wisdom save ends". */
  endsOn: shortText.optional(),
});

export const CharacterSheetSchema = z.object({
  system: z.string().trim().min(1).max(40).default('dnd5e'),
  class: shortText.default(''),
  subclass: shortText.default(''),
  level: z.number().int().min(1).max(30).default(1),
  race: shortText.default(''),
  background: shortText.default(''),
  alignment: shortText.default(''),
  experience: z.number().int().min(0).max(10_000_000).default(0),
  abilities: AbilitiesSchema.default(AbilitiesSchema.parse({})),
  proficiencyBonus: z.number().int().min(0).max(10).default(2),
  savingThrows: SavesSchema.default(SavesSchema.parse({})),
  skills: SkillsSchema.default(SkillsSchema.parse({})),
  hp: HitPointsSchema.default({ max: 8, current: 8, temp: 0 }),
  hitDice: z.object({ die: z.enum(['d6', 'd8', 'd10', 'd12']).default('d8'), total: z.number().int().min(0).max(30).default(1), used: z.number().int().min(0).max(30).default(0) }).default({ die: 'd8', total: 1, used: 0 }),
  armorClass: z.number().int().min(0).max(50).default(10),
  speed: z.number().int().min(0).max(1000).default(30),
  initiativeBonus: z.number().int().min(-20).max(20).optional(),
  inventory: z.array(ItemSchema).max(500).default([]),
  currency: z.object({ cp: z.number().int().min(0).default(0), sp: z.number().int().min(0).default(0), ep: z.number().int().min(0).default(0), gp: z.number().int().min(0).default(0), pp: z.number().int().min(0).default(0) }).default({ cp: 0, sp: 0, ep: 0, gp: 0, pp: 0 }),
  spellcasting: z.object({
    ability: z.enum(ABILITIES).optional(),
    spells: z.array(SpellSchema).max(500).default([]),
    /** Slots by spell level, "1" … "9". */
    slots: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7', '8', '9']), SlotSchema).default({}),
  }).default({ spells: [], slots: {} }),
  attacks: z.array(AttackSchema).max(50).default([]),
  conditions: z.array(ConditionSchema).max(50).default([]),
  features: z.array(z.object({ name: shortText.min(1), source: shortText.default(''), description: z.string().max(5000).default('') })).max(200).default([]),
  notes: longText.default(''),
  /** Numbers and text of other game systems. */
  custom: z.record(z.string().max(60), z.union([z.string().max(2000), z.number(), z.boolean()])).default({}),
});

export type CharacterSheet = z.infer<typeof CharacterSheetSchema>;

/** The 5e ability modifier: floor((score − 10) / 2). */
export function abilityModifier(score: number): number {
  return Math.floor((score - 10) / 2);
}

/** A skill's bonus from the sheet: ability modifier plus proficiency (half, full or double). */
export function skillBonus(sheet: CharacterSheet, skill: Skill): number {
  const base = abilityModifier(sheet.abilities[SKILL_ABILITIES[skill]]);
  const multiplier = { none: 0, half: 0.5, proficient: 1, expertise: 2 }[sheet.skills[skill]];
  return base + Math.floor(sheet.proficiencyBonus * multiplier);
}

/** 5e proficiency bonus by character level. */
export function proficiencyForLevel(level: number): number {
  return 2 + Math.floor((Math.max(1, Math.min(20, level)) - 1) / 4);
}
