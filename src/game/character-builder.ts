/**
 * A first-level 5e character from the SRD's twelve classes: ability scores by
 * the standard array, point buy (27 points) or rolled 4d6-drop-lowest through
 * the dice engine, placed by the class's priorities; hit points, saving
 * throws, two class skills, armour class, the hit die and the SRD's starting
 * equipment (items, and the weapons as attacks) follow. Pure (the
 * random source is passed in), and the result validates as a sheet.
 */
import { abilityModifier, CharacterSheetSchema, type Ability, type CharacterSheet, type Skill } from './character-sheet';
import { roll, type Rng } from './dice';

export const ABILITY_METHODS = ['standard-array', 'point-buy', 'roll'] as const;
export type AbilityMethod = (typeof ABILITY_METHODS)[number];

interface ClassInfo { die: 'd6' | 'd8' | 'd10' | 'd12'; priority: Ability[]; saves: [Ability, Ability]; skills: [Skill, Skill]; armor: (dex: number, con: number, wis: number) => number }

const light = (base: number) => (dex: number) => base + dex;
/** SRD 5.1 classes: hit die, abilities in the order they matter, proficient saves, two typical skills, starting armour. */
export const CLASSES: Record<string, ClassInfo> = {
  barbarian: { die: 'd12', priority: ['str', 'con', 'dex', 'wis', 'cha', 'int'], saves: ['str', 'con'], skills: ['athletics', 'survival'], armor: (dex, con) => 10 + dex + con },
  bard: { die: 'd8', priority: ['cha', 'dex', 'con', 'wis', 'int', 'str'], saves: ['dex', 'cha'], skills: ['performance', 'persuasion'], armor: light(11) },
  cleric: { die: 'd8', priority: ['wis', 'con', 'str', 'cha', 'dex', 'int'], saves: ['wis', 'cha'], skills: ['insight', 'religion'], armor: (dex) => 16 + Math.min(dex, 0) },
  druid: { die: 'd8', priority: ['wis', 'con', 'dex', 'int', 'cha', 'str'], saves: ['int', 'wis'], skills: ['nature', 'survival'], armor: light(11) },
  fighter: { die: 'd10', priority: ['str', 'con', 'dex', 'wis', 'cha', 'int'], saves: ['str', 'con'], skills: ['athletics', 'perception'], armor: () => 16 },
  monk: { die: 'd8', priority: ['dex', 'wis', 'con', 'str', 'int', 'cha'], saves: ['str', 'dex'], skills: ['acrobatics', 'insight'], armor: (dex, _con, wis) => 10 + dex + wis },
  paladin: { die: 'd10', priority: ['str', 'cha', 'con', 'wis', 'dex', 'int'], saves: ['wis', 'cha'], skills: ['athletics', 'persuasion'], armor: () => 16 },
  ranger: { die: 'd10', priority: ['dex', 'wis', 'con', 'str', 'int', 'cha'], saves: ['str', 'dex'], skills: ['stealth', 'survival'], armor: (dex) => 14 + Math.min(dex, 2) },
  rogue: { die: 'd8', priority: ['dex', 'con', 'int', 'wis', 'cha', 'str'], saves: ['dex', 'int'], skills: ['stealth', 'sleightOfHand'], armor: light(11) },
  sorcerer: { die: 'd6', priority: ['cha', 'con', 'dex', 'wis', 'int', 'str'], saves: ['con', 'cha'], skills: ['arcana', 'persuasion'], armor: light(10) },
  warlock: { die: 'd8', priority: ['cha', 'con', 'dex', 'wis', 'int', 'str'], saves: ['wis', 'cha'], skills: ['arcana', 'deception'], armor: light(11) },
  wizard: { die: 'd6', priority: ['int', 'con', 'dex', 'wis', 'cha', 'str'], saves: ['int', 'wis'], skills: ['arcana', 'history'], armor: light(10) },
};
export type ClassName = keyof typeof CLASSES;

interface Weapon { name: string; damage: string; damageType: string; finesse?: boolean; ranged?: boolean }
const w = (name: string, damage: string, damageType: string, extra: { finesse?: boolean; ranged?: boolean } = {}): Weapon => ({ name, damage, damageType, ...extra });
const GREATAXE = w('Greataxe', '1d12', 'slashing'), HANDAXE = w('Handaxe', '1d6', 'slashing'), JAVELIN = w('Javelin', '1d6', 'piercing');
const RAPIER = w('Rapier', '1d8', 'piercing', { finesse: true }), DAGGER = w('Dagger', '1d4', 'piercing', { finesse: true }), MACE = w('Mace', '1d6', 'bludgeoning');
const CROSSBOW = w('Light crossbow', '1d8', 'piercing', { ranged: true }), SCIMITAR = w('Scimitar', '1d6', 'slashing', { finesse: true }), LONGSWORD = w('Longsword', '1d8', 'slashing');
const SHORTSWORD = w('Shortsword', '1d6', 'piercing', { finesse: true }), DART = w('Dart', '1d4', 'piercing', { finesse: true }), LONGBOW = w('Longbow', '1d8', 'piercing', { ranged: true });
const SHORTBOW = w('Shortbow', '1d6', 'piercing', { ranged: true }), QUARTERSTAFF = w('Quarterstaff', '1d6', 'bludgeoning');

/** SRD 5.1 starting equipment (one choice of each option), as items and the weapons' attacks. */
const KITS: Record<ClassName, { weapons: Weapon[]; items: [string, number][] }> = {
  barbarian: { weapons: [GREATAXE, HANDAXE, JAVELIN], items: [['Greataxe', 1], ['Handaxe', 2], ["Explorer's pack", 1], ['Javelin', 4]] },
  bard: { weapons: [RAPIER, DAGGER], items: [['Rapier', 1], ["Diplomat's pack", 1], ['Lute', 1], ['Leather armor', 1], ['Dagger', 1]] },
  cleric: { weapons: [MACE, CROSSBOW], items: [['Mace', 1], ['Scale mail', 1], ['Light crossbow', 1], ['Crossbow bolts', 20], ["Priest's pack", 1], ['Shield', 1], ['Holy symbol', 1]] },
  druid: { weapons: [SCIMITAR], items: [['Wooden shield', 1], ['Scimitar', 1], ['Leather armor', 1], ["Explorer's pack", 1], ['Druidic focus', 1]] },
  fighter: { weapons: [LONGSWORD, CROSSBOW], items: [['Chain mail', 1], ['Longsword', 1], ['Shield', 1], ['Light crossbow', 1], ['Crossbow bolts', 20], ["Dungeoneer's pack", 1]] },
  monk: { weapons: [SHORTSWORD, DART], items: [['Shortsword', 1], ["Dungeoneer's pack", 1], ['Dart', 10]] },
  paladin: { weapons: [LONGSWORD, JAVELIN], items: [['Longsword', 1], ['Shield', 1], ['Javelin', 5], ["Priest's pack", 1], ['Chain mail', 1], ['Holy symbol', 1]] },
  ranger: { weapons: [SHORTSWORD, LONGBOW], items: [['Scale mail', 1], ['Shortsword', 2], ["Dungeoneer's pack", 1], ['Longbow', 1], ['Arrows', 20]] },
  rogue: { weapons: [RAPIER, SHORTBOW, DAGGER], items: [['Rapier', 1], ['Shortbow', 1], ['Arrows', 20], ["Burglar's pack", 1], ['Leather armor', 1], ['Dagger', 2], ["Thieves' tools", 1]] },
  sorcerer: { weapons: [CROSSBOW, DAGGER], items: [['Light crossbow', 1], ['Crossbow bolts', 20], ['Component pouch', 1], ["Dungeoneer's pack", 1], ['Dagger', 2]] },
  warlock: { weapons: [CROSSBOW, DAGGER], items: [['Light crossbow', 1], ['Crossbow bolts', 20], ['Component pouch', 1], ["Scholar's pack", 1], ['Leather armor', 1], ['Dagger', 2]] },
  wizard: { weapons: [QUARTERSTAFF, DAGGER], items: [['Quarterstaff', 1], ['Component pouch', 1], ["Scholar's pack", 1], ['Spellbook', 1]] },
};

const STANDARD_ARRAY = [15, 14, 13, 12, 10, 8];
/** A balanced 27-point buy (15, 15, 13, 10, 10, 8 costs 9 + 9 + 5 + 2 + 2 + 0). */
const POINT_BUY = [15, 15, 13, 10, 10, 8];
const HIT_DIE_MAX = { d6: 6, d8: 8, d10: 10, d12: 12 } as const;

export interface BuiltCharacter {
  sheet: CharacterSheet;
  /** The six rolls (for `roll`), each with every die, as the dice engine gives them. */
  rolls: { total: number; text: string }[];
}

export function buildCharacter(input: { className: ClassName; method: AbilityMethod; race?: string; background?: string }, rng: Rng): BuiltCharacter {
  const info = CLASSES[input.className]!;
  const rolls = input.method === 'roll' ? Array.from({ length: 6 }, () => roll('4d6kh3', rng)) : [];
  const scores = input.method === 'roll' ? rolls.map((r) => r.total) : input.method === 'point-buy' ? POINT_BUY : STANDARD_ARRAY;
  const sorted = [...scores].sort((a, b) => b - a);
  const abilities = Object.fromEntries(info.priority.map((ability, i) => [ability, sorted[i]!])) as Record<Ability, number>;
  const mod = (a: Ability) => abilityModifier(abilities[a]);
  const hp = Math.max(1, HIT_DIE_MAX[info.die] + mod('con'));
  const sheet = CharacterSheetSchema.parse({
    class: input.className[0]!.toUpperCase() + input.className.slice(1), level: 1, race: input.race ?? '', background: input.background ?? '',
    abilities, proficiencyBonus: 2,
    savingThrows: Object.fromEntries(info.saves.map((a) => [a, true])),
    skills: Object.fromEntries(info.skills.map((s) => [s, 'proficient'])),
    hp: { max: hp, current: hp, temp: 0 }, hitDice: { die: info.die, total: 1, used: 0 },
    armorClass: info.armor(mod('dex'), mod('con'), mod('wis')),
    inventory: KITS[input.className]!.items.map(([name, quantity]) => ({ name, quantity, equipped: true })),
    attacks: KITS[input.className]!.weapons.map((weapon) => ({
      name: weapon.name, damage: weapon.damage, damageType: weapon.damageType, finesse: Boolean(weapon.finesse), ...(weapon.ranged ? { ability: 'dex' as const } : {}),
    })),
  });
  return { sheet, rolls: rolls.map((r) => ({ total: r.total, text: r.text })) };
}
