/**
 * Rolls named the way players ask for them ("Stealth", "Dexterity save",
 * "Longsword attack", "initiative"), worked out from a character sheet or a
 * monster's stat block: which bonuses apply (ability, proficiency, expertise,
 * item bonuses) and whether conditions impose advantage or disadvantage
 * (SRD 5.1 conditions; advantage and disadvantage cancel out). The result is
 * an ordinary dice expression with its breakdown, rolled by the dice engine.
 *
 * @example
 * const check = resolveCheck(profileFromSheet('Tamsin', sheet), 'stealth', 'normal');
 * check.expression; // '1d20+4'
 * check.parts;      // [{ source: 'Dexterity', value: 2 }, { source: 'Proficiency', value: 2 }]
 */
import type { RollMode } from './attack';
import { ABILITIES, abilityModifier, SKILL_ABILITIES, type Ability, type CharacterSheet, type Skill } from './character-sheet';

export interface Part {
  source: string;
  value: number;
}

export interface AttackProfile {
  name: string;
  toHit: Part[];
  /** Damage dice with the modifier, e.g. `1d8+3`. */
  damage: string | null;
  damageType: string;
}

/** What a roller brings to a check: the same shape for a character sheet and a stat block. */
export interface RollProfile {
  name: string;
  ability: Record<Ability, Part[]>;
  save: Record<Ability, Part[]>;
  skill: Record<Skill, Part[]>;
  initiative: Part[];
  attacks: AttackProfile[];
  /** Condition names in lower case, e.g. `poisoned`, `exhaustion 3`. */
  conditions: string[];
}

export type CheckKind = 'ability' | 'save' | 'skill' | 'attack' | 'initiative';

export interface ResolvedCheck {
  kind: CheckKind;
  /** What was rolled, in the player's words: "Stealth check", "Dexterity save", "Longsword attack". */
  label: string;
  ability: Ability | null;
  parts: Part[];
  mode: RollMode;
  /** Why the mode is what it is: "asked for advantage", "poisoned: disadvantage on ability checks". */
  reasons: string[];
  /** Set when a condition makes the roll fail whatever the dice say (e.g. paralyzed on a Dexterity save). */
  autoFail: string | null;
  expression: string;
  damage: { expression: string; type: string } | null;
}

export class CheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckError';
  }
}

export const ABILITY_NAMES: Record<Ability, string> = { str: 'Strength', dex: 'Dexterity', con: 'Constitution', int: 'Intelligence', wis: 'Wisdom', cha: 'Charisma' };

const SKILL_NAMES = Object.fromEntries(Object.keys(SKILL_ABILITIES).map((s) => [s, s.replace(/[A-Z]/g, (c) => ` ${c}`).replace(/^./, (c) => c.toUpperCase())])) as Record<Skill, string>;

const words = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

function abilityFromWords(w: string): Ability | null {
  for (const a of ABILITIES) if (w === a || w === words(ABILITY_NAMES[a])) return a;
  return null;
}

function skillFromWords(w: string): Skill | null {
  for (const s of Object.keys(SKILL_ABILITIES) as Skill[]) if (w === words(SKILL_NAMES[s])) return s;
  return null;
}

const modPart = (ability: Ability, score: number): Part => ({ source: ABILITY_NAMES[ability], value: abilityModifier(score) });
const total = (parts: Part[]) => parts.reduce((sum, p) => sum + p.value, 0);
const signed = (n: number) => (n === 0 ? '' : n > 0 ? `+${n}` : `${n}`);

/** A character's roll profile from their sheet. */
export function profileFromSheet(name: string, sheet: CharacterSheet, extraConditions: string[] = []): RollProfile {
  const mods = (a: Ability) => modPart(a, sheet.abilities[a]);
  const pb = sheet.proficiencyBonus;
  const ability = Object.fromEntries(ABILITIES.map((a) => [a, [mods(a)]])) as Record<Ability, Part[]>;
  const save = Object.fromEntries(ABILITIES.map((a) => [a, sheet.savingThrows[a] ? [mods(a), { source: 'Proficiency', value: pb }] : [mods(a)]])) as Record<Ability, Part[]>;
  const skill = Object.fromEntries((Object.keys(SKILL_ABILITIES) as Skill[]).map((s) => {
    const level = sheet.skills[s];
    const parts = [mods(SKILL_ABILITIES[s])];
    if (level === 'proficient') parts.push({ source: 'Proficiency', value: pb });
    if (level === 'expertise') parts.push({ source: 'Expertise', value: pb * 2 });
    if (level === 'half') parts.push({ source: 'Half proficiency', value: Math.floor(pb / 2) });
    return [s, parts];
  })) as Record<Skill, Part[]>;
  const initiative = sheet.initiativeBonus !== undefined ? [{ source: 'Initiative bonus', value: sheet.initiativeBonus }] : [mods('dex')];
  const attacks = sheet.attacks.map((a) => {
    const which: Ability = a.ability ?? (a.finesse && sheet.abilities.dex > sheet.abilities.str ? 'dex' : 'str');
    const toHit = [mods(which)];
    if (a.proficient) toHit.push({ source: 'Proficiency', value: pb });
    if (a.bonus) toHit.push({ source: 'Item bonus', value: a.bonus });
    const damageBonus = abilityModifier(sheet.abilities[which]) + a.bonus;
    return { name: a.name, toHit, damage: a.damage ? `${a.damage}${signed(damageBonus)}` : null, damageType: a.damageType };
  });
  return { name, ability, save, skill, initiative, attacks, conditions: [...sheet.conditions.map((c) => c.name), ...extraConditions].map(words) };
}

/** A monster's stat block as the GM gives it at the table (bonuses are totals, as printed). */
export interface StatBlock {
  abilities?: Partial<Record<Ability, number>>;
  saves?: Partial<Record<Ability, number>>;
  skills?: Partial<Record<Skill, number>>;
  attacks?: { name: string; bonus: number; damage?: string; damageType?: string }[];
}

export function profileFromStats(name: string, stats: StatBlock, initiativeBonus: number, conditions: string[] = []): RollProfile {
  const score = (a: Ability) => stats.abilities?.[a] ?? 10;
  const printed = (source: string, value: number): Part[] => [{ source, value }];
  const ability = Object.fromEntries(ABILITIES.map((a) => [a, [modPart(a, score(a))]])) as Record<Ability, Part[]>;
  const save = Object.fromEntries(ABILITIES.map((a) => [a, stats.saves?.[a] !== undefined ? printed('Saving throw', stats.saves[a]!) : [modPart(a, score(a))]])) as Record<Ability, Part[]>;
  const skill = Object.fromEntries((Object.keys(SKILL_ABILITIES) as Skill[]).map((s) => [s, stats.skills?.[s] !== undefined ? printed('Skill', stats.skills[s]!) : [modPart(SKILL_ABILITIES[s], score(SKILL_ABILITIES[s]))]])) as Record<Skill, Part[]>;
  const attacks = (stats.attacks ?? []).map((a) => ({ name: a.name, toHit: printed('To hit', a.bonus), damage: a.damage ?? null, damageType: a.damageType ?? '' }));
  return { name, ability, save, skill, initiative: [{ source: 'Initiative bonus', value: initiativeBonus }], attacks, conditions: conditions.map(words) };
}

/** Advantage, disadvantage and automatic failure from the SRD conditions. */
function conditionEffects(kind: CheckKind, ability: Ability | null, conditions: string[]) {
  const advantage: string[] = [];
  const disadvantage: string[] = [];
  let autoFail: string | null = null;
  const exhaustion = Math.max(0, ...conditions.filter((c) => c.startsWith('exhaustion')).map((c) => Number(/\d+/.exec(c)?.[0] ?? 1)));
  const has = (c: string) => conditions.includes(c);
  const check = kind === 'ability' || kind === 'skill';
  if (check) {
    for (const c of ['poisoned', 'frightened']) if (has(c)) disadvantage.push(`${c}: disadvantage on ability checks`);
    if (exhaustion >= 1) disadvantage.push('exhaustion: disadvantage on ability checks');
  }
  if (kind === 'attack') {
    for (const c of ['poisoned', 'frightened', 'blinded', 'prone', 'restrained']) if (has(c)) disadvantage.push(`${c}: disadvantage on attack rolls`);
    if (exhaustion >= 3) disadvantage.push('exhaustion 3: disadvantage on attack rolls');
    if (has('invisible')) advantage.push('invisible: advantage on attack rolls');
  }
  if (kind === 'save') {
    if (exhaustion >= 3) disadvantage.push('exhaustion 3: disadvantage on saving throws');
    if (ability === 'dex' && has('restrained')) disadvantage.push('restrained: disadvantage on Dexterity saving throws');
    if (ability === 'str' || ability === 'dex') {
      const cause = ['paralyzed', 'stunned', 'unconscious', 'petrified'].find(has);
      if (cause) autoFail = `${cause}: automatically fails ${ABILITY_NAMES[ability]} saving throws`;
    }
  }
  return { advantage, disadvantage, autoFail };
}

/**
 * Works out the roll `what` names for `profile`. Throws CheckError with a
 * message naming what was not found.
 */
export function resolveCheck(profile: RollProfile, what: string, asked: RollMode = 'normal', extraBonus = 0): ResolvedCheck {
  const w = words(what).replace(/\s+(check|roll)$/, '');
  let kind: CheckKind;
  let ability: Ability | null = null;
  let parts: Part[];
  let label: string;
  let damage: ResolvedCheck['damage'] = null;
  const save = /^(.+?)\s+(save|saving throw|st)$/.exec(w);
  const attackName = w.replace(/\s+attack$/, '');
  const attack = profile.attacks.find((a) => words(a.name) === attackName);
  if (w === 'initiative') {
    kind = 'initiative'; parts = profile.initiative; label = 'Initiative'; ability = 'dex';
  } else if (save && abilityFromWords(save[1]!)) {
    kind = 'save'; ability = abilityFromWords(save[1]!)!; parts = profile.save[ability]; label = `${ABILITY_NAMES[ability]} save`;
  } else if (abilityFromWords(w)) {
    kind = 'ability'; ability = abilityFromWords(w)!; parts = profile.ability[ability]; label = `${ABILITY_NAMES[ability]} check`;
  } else if (skillFromWords(w)) {
    const skill = skillFromWords(w)!;
    kind = 'skill'; ability = SKILL_ABILITIES[skill]; parts = profile.skill[skill]; label = `${SKILL_NAMES[skill]} check`;
  } else if (attack) {
    kind = 'attack'; parts = attack.toHit; label = `${attack.name} attack`;
    damage = attack.damage ? { expression: attack.damage, type: attack.damageType } : null;
  } else {
    const known = profile.attacks.length ? `; attacks: ${profile.attacks.map((a) => a.name).join(', ')}` : '';
    throw new CheckError(`${profile.name} has no skill, ability, save or attack called "${what.trim()}" (try "Stealth", "Dexterity save", "Strength" or "initiative"${known})`);
  }
  if (extraBonus) parts = [...parts, { source: 'Bonus', value: extraBonus }];
  const effects = conditionEffects(kind, ability, profile.conditions);
  const reasons = [...effects.advantage, ...effects.disadvantage];
  if (asked !== 'normal') reasons.unshift(`asked for ${asked}`);
  const adv = effects.advantage.length > 0 || asked === 'advantage';
  const dis = effects.disadvantage.length > 0 || asked === 'disadvantage';
  // One or more sources of each cancel out (SRD: "Advantage and Disadvantage").
  const mode: RollMode = adv && !dis ? 'advantage' : dis && !adv ? 'disadvantage' : 'normal';
  const d20 = mode === 'advantage' ? '2d20kh1' : mode === 'disadvantage' ? '2d20kl1' : '1d20';
  return { kind, label, ability, parts, mode, reasons, autoFail: effects.autoFail, expression: `${d20}${signed(total(parts))}`, damage };
}
