/**
 * Character import from Foundry VTT's dnd5e actor JSON ("Export Data" on an
 * actor), the common interchange format between virtual tabletops, into a
 * Lorekeeper sheet. Reads the fields of dnd5e 2.x–4.x exports (they moved
 * between versions: weight, damage, weapon properties, hit dice), and reports
 * what it could not carry over instead of dropping it silently. The result is
 * validated by the sheet schema like any other sheet.
 *
 * @example
 * const { name, sheet, unmapped } = fromFoundryActor(JSON.parse(exported));
 */
import { z } from 'zod';
import { ABILITIES, CharacterSheetSchema, SKILL_ABILITIES, type Ability, type CharacterSheet, type Skill } from './character-sheet';

/** Foundry's three-letter skill keys. */
const SKILLS: Record<string, Skill> = {
  acr: 'acrobatics', ani: 'animalHandling', arc: 'arcana', ath: 'athletics', dec: 'deception', his: 'history', ins: 'insight',
  itm: 'intimidation', inv: 'investigation', med: 'medicine', nat: 'nature', prc: 'perception', prf: 'performance',
  per: 'persuasion', rel: 'religion', slt: 'sleightOfHand', ste: 'stealth', sur: 'survival',
};
const PROFICIENCY = { 0: 'none', 0.5: 'half', 1: 'proficient', 2: 'expertise' } as const;
const INVENTORY_TYPES = new Set(['weapon', 'equipment', 'consumable', 'tool', 'loot', 'container', 'backpack']);
const HANDLED_TYPES = new Set([...INVENTORY_TYPES, 'class', 'subclass', 'spell', 'feat', 'race', 'background']);

/** Only the parts read are checked; the rest of Foundry's document passes untouched (and is reported). */
export const FoundryActorSchema = z.looseObject({
  name: z.string().trim().min(1).max(120),
  type: z.string().max(40).optional(),
  system: z.looseObject({}).default({}),
  items: z.array(z.looseObject({ name: z.string().max(200).default(''), type: z.string().max(40).default(''), system: z.looseObject({}).default({}) })).max(1000).default([]),
  effects: z.array(z.unknown()).max(1000).default([]),
});
export type FoundryActor = z.infer<typeof FoundryActorSchema>;

export interface FoundryImport {
  name: string;
  sheet: CharacterSheet;
  /** What the sheet could not take, in words a player understands. */
  unmapped: string[];
}

const get = (value: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
const number = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value.trim() === '' ? NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
};
const int = (value: unknown, min: number, max: number): number | undefined => {
  const n = number(value);
  return n === undefined ? undefined : Math.min(max, Math.max(min, Math.round(n)));
};
const text = (value: unknown, max = 200): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');
/** Foundry descriptions are HTML: keep the words. */
const plain = (html: unknown, max: number): string => text(typeof html === 'string' ? html.replace(/<br\s*\/?>|<\/p>/gi, '\n').replace(/<[^>]+>/g, '').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\n{3,}/g, '\n\n') : '', max);

/** An item's weight in pounds, from `weight` (2.x–3.x) or `weight.value` (4.x); nothing when absent or negative. */
function weightOf(system: Record<string, unknown>): number | undefined {
  const w = number(get(system, 'weight.value') ?? get(system, 'weight'));
  return w !== undefined && w >= 0 ? w : undefined;
}

/** A weapon's damage dice and type, from `damage.parts` (2.x–3.x) or `damage.base` (4.x). */
function weaponDamage(system: Record<string, unknown>): { damage: string; damageType: string } {
  const parts = get(system, 'damage.parts');
  if (Array.isArray(parts) && Array.isArray(parts[0])) {
    const [formula, type] = parts[0] as [unknown, unknown];
    const dice = text(formula).match(/\d*d\d+/i)?.[0] ?? '';
    return { damage: dice, damageType: text(type, 40) };
  }
  const base = get(system, 'damage.base') as Record<string, unknown> | undefined;
  if (base && number(base.denomination)) {
    const types = base.types;
    return { damage: `${int(base.number, 1, 100) ?? 1}d${int(base.denomination, 1, 100)}`, damageType: Array.isArray(types) ? text(types[0], 40) : text((types as { value?: unknown })?.value, 40) };
  }
  return { damage: '', damageType: '' };
}

const hasProperty = (system: Record<string, unknown>, key: string): boolean => {
  const props = system.properties;
  if (Array.isArray(props)) return props.includes(key);
  if (props && typeof props === 'object') return Boolean((props as Record<string, unknown>)[key]);
  return false;
};

export function fromFoundryActor(input: unknown): FoundryImport {
  const actor = FoundryActorSchema.parse(input);
  const system = actor.system as Record<string, unknown>;
  const unmapped: string[] = [];
  if (actor.type && actor.type !== 'character' && actor.type !== 'npc') unmapped.push(`Actor type "${actor.type}" (imported as a character)`);

  const abilities = {} as Record<Ability, number>;
  const savingThrows = {} as Record<Ability, boolean>;
  for (const a of ABILITIES) {
    abilities[a] = int(get(system, `abilities.${a}.value`), 1, 30) ?? 10;
    savingThrows[a] = (number(get(system, `abilities.${a}.proficient`)) ?? 0) >= 1;
  }

  const skills = {} as Record<Skill, (typeof PROFICIENCY)[keyof typeof PROFICIENCY]>;
  for (const [key, skill] of Object.entries(SKILLS)) {
    const value = number(get(system, `skills.${key}.value`)) ?? 0;
    skills[skill] = PROFICIENCY[(value in PROFICIENCY ? value : 0) as keyof typeof PROFICIENCY];
    const ability = text(get(system, `skills.${key}.ability`), 3);
    if (ability && ability !== SKILL_ABILITIES[skill]) {
      unmapped.push(`${skill} uses ${ability.toUpperCase()} in Foundry (Lorekeeper uses the standard ability)`);
    }
  }

  const classes = actor.items.filter((i) => i.type === 'class');
  const level = Math.min(30, Math.max(1, classes.reduce((n, c) => n + (int(get(c.system, 'levels'), 0, 30) ?? 0), 0) || (int(get(system, 'details.level'), 1, 30) ?? 1)));
  const mainClass = [...classes].sort((a, b) => (number(get(b.system, 'levels')) ?? 0) - (number(get(a.system, 'levels')) ?? 0))[0];
  const classLabel = classes.length > 1 ? classes.map((c) => `${c.name} ${int(get(c.system, 'levels'), 0, 30) ?? ''}`.trim()).join(' / ') : mainClass?.name ?? '';
  const die = text(get(mainClass?.system, 'hitDice') ?? get(mainClass?.system, 'hd.denomination'), 4);
  const hitDieUsed = classes.reduce((n, c) => n + (int(get(c.system, 'hitDiceUsed') ?? get(c.system, 'hd.spent'), 0, 30) ?? 0), 0);
  const subclass = actor.items.find((i) => i.type === 'subclass')?.name ?? text(get(mainClass?.system, 'subclass'));

  const hpMax = int(get(system, 'attributes.hp.max'), 1, 10_000) ?? int(get(system, 'attributes.hp.value'), 1, 10_000) ?? 8;
  if (get(system, 'attributes.hp.max') === null || get(system, 'attributes.hp.max') === undefined) unmapped.push('Maximum HP is computed in Foundry; current HP was used as the maximum');
  const hpCurrent = Math.min(hpMax, int(get(system, 'attributes.hp.value'), -10_000, 10_000) ?? hpMax);

  const acCalc = text(get(system, 'attributes.ac.calc'), 40);
  const flatAc = int(get(system, 'attributes.ac.flat') ?? get(system, 'attributes.ac.value'), 0, 50);
  let armorClass = flatAc;
  if (armorClass === undefined) {
    armorClass = 10 + Math.floor((abilities.dex - 10) / 2);
    unmapped.push(`Armor Class is computed in Foundry (${acCalc || 'default'}): set to ${armorClass} (10 + Dexterity); check it against the armor worn`);
  }

  const race = text(get(system, 'details.race')) || actor.items.find((i) => i.type === 'race')?.name || '';
  const background = text(get(system, 'details.background')) || actor.items.find((i) => i.type === 'background')?.name || '';

  const inventory = actor.items.filter((i) => INVENTORY_TYPES.has(i.type)).slice(0, 500).map((i) => ({
    name: i.name.slice(0, 200) || 'Unnamed item',
    quantity: int(get(i.system, 'quantity'), 0, 100_000) ?? 1,
    weight: weightOf(i.system),
    equipped: get(i.system, 'equipped') === true,
    notes: '',
  }));

  const attacks = actor.items.filter((i) => i.type === 'weapon').slice(0, 50).map((w) => {
    const sys = w.system as Record<string, unknown>;
    const { damage, damageType } = weaponDamage(sys);
    const proficient = get(sys, 'proficient');
    return {
      name: (w.name || 'Weapon').slice(0, 60), finesse: hasProperty(sys, 'fin'), proficient: proficient === undefined || proficient === null ? true : Number(proficient) >= 1 || proficient === true,
      bonus: int(get(sys, 'magicalBonus') ?? get(sys, 'attackBonus'), -10, 10) ?? 0, damage, damageType,
    };
  });

  const spells = actor.items.filter((i) => i.type === 'spell').slice(0, 500).map((s) => ({
    name: s.name.slice(0, 200) || 'Unnamed spell',
    level: int(get(s.system, 'level'), 0, 9) ?? 0,
    prepared: get(s.system, 'preparation.prepared') === true || get(s.system, 'prepared') === true || get(s.system, 'preparation.mode') === 'always',
    notes: '',
  }));
  const slots: Record<string, { max: number; used: number }> = {};
  for (let l = 1; l <= 9; l++) {
    const max = int(get(system, `spells.spell${l}.override`) ?? get(system, `spells.spell${l}.max`), 0, 20);
    const left = int(get(system, `spells.spell${l}.value`), 0, 20);
    if (max) slots[String(l)] = { max, used: Math.max(0, max - Math.min(max, left ?? max)) };
    else if (left) unmapped.push(`Level ${l} spell slots: Foundry computes the maximum; ${left} left, not imported`);
  }
  const spellAbility = text(get(system, 'attributes.spellcasting'), 3) as Ability;

  const features = actor.items.filter((i) => i.type === 'feat').slice(0, 200).map((f) => ({
    name: f.name.slice(0, 200) || 'Feature', source: text(get(f.system, 'requirements')), description: plain(get(f.system, 'description.value'), 5000),
  }));

  const custom: Record<string, string | number | boolean> = {};
  const languages = get(system, 'traits.languages.value');
  if (Array.isArray(languages) && languages.length) custom.languages = languages.map((l) => text(l, 40)).join(', ').slice(0, 2000);
  const size = text(get(system, 'traits.size'), 20);
  if (size) custom.size = size;

  const other = actor.items.filter((i) => !HANDLED_TYPES.has(i.type));
  if (other.length) unmapped.push(`${other.length} item(s) of other types: ${[...new Set(other.map((i) => i.type || 'unknown'))].join(', ')}`);
  if (actor.effects.length) unmapped.push(`${actor.effects.length} active effect(s) (bonuses they give are not applied; check the numbers)`);
  const resources = get(system, 'resources');
  if (resources && typeof resources === 'object' && Object.values(resources).some((r) => (number((r as { max?: unknown })?.max) ?? 0) > 0)) unmapped.push('Class resources (e.g. ki, sorcery points): add them as notes or custom fields');
  if (number(get(system, 'attributes.exhaustion'))) unmapped.push(`Exhaustion level ${number(get(system, 'attributes.exhaustion'))}: add it as a condition at the table`);

  const sheet = CharacterSheetSchema.parse({
    system: 'dnd5e',
    class: classLabel.slice(0, 200), subclass: subclass.slice(0, 200), level, race: race.slice(0, 200), background: background.slice(0, 200),
    alignment: text(get(system, 'details.alignment')), experience: int(get(system, 'details.xp.value'), 0, 10_000_000) ?? 0,
    abilities, proficiencyBonus: int(get(system, 'attributes.prof'), 0, 10) ?? Math.ceil(level / 4) + 1, savingThrows, skills,
    hp: { max: hpMax, current: hpCurrent, temp: int(get(system, 'attributes.hp.temp'), 0, 10_000) ?? 0 },
    hitDice: { die: ['d6', 'd8', 'd10', 'd12'].includes(die) ? die : 'd8', total: level, used: Math.min(level, hitDieUsed) },
    armorClass, speed: int(get(system, 'attributes.movement.walk'), 0, 1000) ?? 30,
    initiativeBonus: int(get(system, 'attributes.init.bonus'), -20, 20),
    inventory, currency: Object.fromEntries(['cp', 'sp', 'ep', 'gp', 'pp'].map((c) => [c, int(get(system, `currency.${c}`), 0, Number.MAX_SAFE_INTEGER) ?? 0])),
    spellcasting: { ...(ABILITIES.includes(spellAbility) ? { ability: spellAbility } : {}), spells, slots },
    attacks, features,
    notes: plain(get(system, 'details.biography.value'), 20_000),
    custom,
  });
  return { name: actor.name, sheet, unmapped };
}
