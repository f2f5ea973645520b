/**
 * Query understanding for rules search: game abbreviations, synonym groups,
 * spelling correction against the rulebooks' own vocabulary, and intent
 * (which content type the question is about). Pure: the caller supplies the
 * vocabulary candidates and known entity headings from D1.
 *
 * @example
 * planQuery('how does grapling work', { vocabulary: new Map([['grappling', 12]]) }).terms; // ['grappling']
 */
import type { ContentType } from './classify';
import { CONDITION_NAMES } from './classify';
import { isEnglishWord } from './english';
import { words } from './normalize';

export const MAX_QUERY_LENGTH = 1000;
/**
 * Distinct search words (stop words not counted) a query may have. Bounds the SQL a search
 * builds: the entity lookup binds each word and each adjacent pair (1 + 32 + 31 parameters,
 * under D1's 100 per statement).
 */
export const MAX_QUERY_WORDS = 32;

export const STOPWORDS = new Set(('a an and are as at be by can could do does did for from had has have how i if in into is it its me my of on or our should so than that the their them then there these they this to was we what when where which who why will with would you your '
  + 'work works happen happens rule rules get use using explain tell about much many '
  // Table talk that carries no rule: fillers, hedges and light verbs.
  + 'but too more most often some any back during getting got gets just really even also very like want wants need needs try trying '
  + 'still way ways thing things stuff kind sort lot lots anything something everything nothing someone anyone everyone does doing done').split(' '));

/** The game's abbreviations and the words they stand for. */
export const ABBREVIATIONS: Record<string, string[]> = {
  ac: ['armor class'], hp: ['hit points'], dc: ['difficulty class'], cr: ['challenge'], xp: ['experience points'],
  pc: ['player character'], npc: ['nonplayer character'], str: ['strength'], dex: ['dexterity'], con: ['constitution'],
  int: ['intelligence'], wis: ['wisdom'], cha: ['charisma'], aoo: ['opportunity attack'], oa: ['opportunity attack'], temp: ['temporary'], thp: ['temporary hit points'],
  aoe: ['area of effect'], los: ['line of sight'], dm: ['gm'], pp: ['passive perception'],
};

/** Words a player may use for the same rule (each finds the others). */
export const SYNONYM_GROUPS: string[][] = [
  ['grapple', 'grappling', 'grappled', 'grab', 'wrestle'],
  ['shove', 'push', 'knock prone'],
  ['heal', 'healing', 'regain hit points', 'cure'],
  ['dying', 'death saving throw', 'death save'],
  ['unconscious', 'knocked out', 'zero hit points'],
  ['hide', 'hiding', 'stealth', 'sneak', 'sneaking'],
  ['sneak attack'],
  ['rest', 'short rest', 'long rest'],
  ['invisible', 'invisibility', 'unseen'],
  ['jump', 'jumping', 'long jump', 'high jump', 'leap'],
  ['fall', 'falling'],
  ['surprise', 'surprised', 'ambush'],
  ['opportunity attack', 'attack of opportunity'],
  ['concentration', 'concentrate', 'maintain a spell'],
  ['cover', 'half cover', 'three-quarters cover'],
  ['damage', 'hurt'],
  ['initiative', 'turn order'],
  ['advantage', 'roll twice'],
  ['spell slot', 'spell slots', 'slots'],
  ['two-weapon fighting', 'dual wield', 'dual wielding'],
  ['exhaustion', 'tired', 'fatigue', 'exhausted'],
  ['madness', 'insane', 'insanity', 'crazy'],
  ['darkvision', 'see in the dark', 'darkness'],
  ['teleport', 'teleportation'],
  ['cost', 'price', 'gp'],
  ['carrying capacity', 'encumbrance', 'encumbered'],
  ['suffocating', 'drowning', 'hold its breath'],
  ['stabilize', 'bleeding out', 'first aid'],
  ['critical hit', 'crit'],
  ['resistance', 'resistant'],
  ['vulnerability', 'vulnerable'],
  ['petrified', 'turned to stone', 'stone'],
  ['saving throw', 'save', 'saves'],
  ['immune', 'immunity', 'immunities'],
  ['frightened', 'scared', 'afraid', 'fear'],
  ['blinded', 'blind'],
  ['deafened', 'deaf'],
  ['restrained', 'tied up'],
  ['multiclass', 'multiclassing'],
];

/**
 * Player idioms and the rules words they mean (one way: the rules word does not bring the idiom).
 * General table talk, in the book's own vocabulary: its actions, conditions and glossary terms.
 */
export const IDIOMS: Record<string, string[]> = {
  'free swing': ['opportunity attack'], 'free attack': ['opportunity attack'], 'runs away': ['opportunity attack'],
  'turn order': ['initiative'], 'goes first': ['initiative'], 'acts first': ['initiative'],
  'upcast': ['higher level'], 'upcasting': ['higher level'], 'bigger slot': ['higher level'],
  'nat 20': ['natural 20', 'critical hit'], 'natural 20': ['critical hit'],
  'knocked down': ['prone'], 'on the ground': ['prone'], 'get up': ['stand up', 'prone'], 'stand up': ['prone'],
  'knock out': ['knock the creature out'], 'subdue': ['knock the creature out'], 'nonlethal': ['knock the creature out'],
  'bleeding out': ['dying', 'stabilize'], 'drops to 0': ['0 hit points'], 'zero hp': ['0 hit points'], 'hits 0': ['0 hit points'],
  'brought back': ['dead', 'life'], 'bring back': ['dead', 'life'], 'came back to life': ['dead', 'life'],
  'level up': ['level', 'advancement'], 'levelling': ['level', 'advancement'], 'leveling': ['level', 'advancement'],
  'stack': ['combine', 'combining'], 'stacks': ['combine', 'combining'], 'stacking': ['combine', 'combining'],
  'sleep': ['long rest'], 'nap': ['short rest'], 'break': ['short rest'], 'lunch': ['short rest'],
  'walk through': ['move through'], 'move past': ['move through'],
  'lift': ['carrying capacity'], 'haul': ['carrying capacity'], 'carry': ['carrying capacity'], 'weight': ['carrying capacity'],
  'duck behind': ['cover'], 'take cover': ['cover'], 'behind a wall': ['cover'],
  'in each hand': ['two-weapon fighting'], 'two weapons': ['two-weapon fighting'], 'off hand': ['two-weapon fighting'], 'offhand': ['two-weapon fighting'],
  'horseback': ['mounted combat', 'mount'], 'riding': ['mounted combat', 'mount'],
  'underwater': ['underwater combat'], 'swimming': ['swim', 'underwater'],
  'sell': ['selling', 'half their cost'], 'selling': ['half their cost'], 'buy': ['cost'],
  'bond': ['attune', 'attunement'], 'attune': ['attunement'],
  'hold my action': ['ready'], 'wait until': ['ready'], 'waiting': ['ready'], 'holding': ['ready'],
  'help my friend': ['help action'], 'aid': ['help'],
  'spellbook': ['spellbook'], 'copy a spell': ['copying a spell', 'spellbook'],
  'stat block': ['armor class', 'hit points', 'challenge'], 'stats': ['armor class', 'hit points', 'challenge'],
  'see in the dark': ['darkvision'], 'in the dark': ['darkvision', 'darkness'],
  'fog': ['heavily obscured'], 'smoke': ['heavily obscured'],
  'starving': ['food'], 'eating': ['food'], 'thirst': ['water'],
  'poisoned': ['poison'], 'venom': ['poison'],
  'trap': ['traps'], 'disease': ['diseases'], 'sick': ['disease'],
  'god': ['deity', 'pantheon'], 'gods': ['deities', 'pantheon'],
  'dimension': ['plane'], 'realm': ['plane'],
  'magic item': ['wondrous item'], 'curse': ['cursed'],
  'stunned': ['stunned'], 'paralysed': ['paralyzed'], 'frozen': ['paralyzed'],
  'can\'t move': ['paralyzed', 'restrained', 'speed becomes 0'],
  'to hit': ['attack roll'], 'nat 1': ['natural 1', 'misses'], 'natural 1': ['misses'],
  'wildshape': ['wild shape'], 'shapeshift': ['wild shape', 'polymorph'], 'shapechange': ['polymorph'],
  'revive': ['revivify', 'raise dead'], 'resurrect': ['resurrection', 'raise dead'], 'resurrection': ['raise dead'],
  'counter': ['counterspell'], 'fly': ['flying speed'], 'flying': ['flying speed'],
  'money': ['gp', 'coins'], 'coins': ['gp'], 'gold': ['gp'],
  'asleep': ['unconscious'], 'climb': ['climbing'], 'swim': ['swimming'],
  'spell slots back': ['regain', 'expended spell slots'], 'slots back': ['regain', 'expended spell slots'],
  // Distance at the table: "next to" is the books' "within 5 feet".
  'next to': ['within 5 feet'], 'adjacent': ['within 5 feet'], 'beside': ['within 5 feet'], 'up close': ['within 5 feet'],
  // Everyday names for the classes.
  'warrior': ['fighter'], 'priest': ['cleric'], 'thief': ['rogue'], 'musician': ['bard'], 'minstrel': ['bard'],
  'holy warrior': ['paladin'], 'martial artist': ['monk'], 'mage': ['wizard'], 'witch': ['warlock', 'wizard'],
  // Everyday names for the damage types.
  'electricity': ['lightning'], 'electric': ['lightning'], 'shock': ['lightning'], 'ice': ['cold'], 'frost': ['cold'], 'freezing': ['cold'],
  'fiery': ['fire'], 'flames': ['fire'], 'burning': ['fire'], 'sonic': ['thunder'], 'holy': ['radiant'],
  // Everyday names for what the item lists call otherwise.
  'footwear': ['boots'], 'shoes': ['boots'], 'gloves': ['gauntlets'], 'necklace': ['amulet', 'periapt'], 'pendant': ['amulet'],
  'bracelet': ['bracers'], 'helmet': ['helm'], 'sack': ['bag'],
  // Creatures and shapes as a player describes them.
  'slime': ['ooze'], 'blob': ['ooze'], 'see through': ['transparent'], 'shapeshifter': ['shapechanger'], 'reads minds': ['telepathy'],
  'turning into': ['wild shape', 'polymorph'], 'turn into': ['wild shape', 'polymorph'], 'transform': ['wild shape', 'polymorph'],
  'cliff': ['falling'], 'leapt': ['jump', 'falling'], 'fell': ['falling'],
  'wildly': ['reckless'], 'recklessly': ['reckless'],
  // Health and its limits.
  'health': ['hit points'], 'max hp': ['hit point maximum'], 'max health': ['hit point maximum'], 'life points': ['hit points'],
  // The actions in combat, as players name them.
  'sprint': ['dash'], 'run faster': ['dash'], 'retreat': ['disengage'], 'back away': ['disengage'], 'withdraw': ['disengage'],
  'look for': ['search'], 'looking for': ['search'], 'drink a potion': ['use an object'], 'pull a lever': ['use an object'],
  'punch': ['unarmed strike'], 'kick': ['unarmed strike'], 'fists': ['unarmed strike'], 'stab': ['melee weapon attack'],
  'shoot': ['ranged attack'], 'shooting': ['ranged attack'], 'arrows': ['ammunition'],
  // The conditions, as players name them.
  'mind control': ['charmed'], 'mind controlled': ['charmed'], 'stun': ['stunned'], 'dazed': ['stunned', 'incapacitated'],
  'can\'t act': ['incapacitated'], 'knocked over': ['prone'],
  // The skills, as players name them.
  'lie to': ['deception'], 'lying to': ['deception'], 'bluff': ['deception'], 'convince': ['persuasion'], 'persuade': ['persuasion'],
  'threaten': ['intimidation'], 'intimidate': ['intimidation'], 'notice': ['perception'], 'spot': ['perception'],
  'sense motive': ['insight'], 'read someone': ['insight'], 'pick a lock': ['thieves\' tools'], 'lockpick': ['thieves\' tools'],
  'balance': ['acrobatics'], 'tumble': ['acrobatics'], 'pickpocket': ['sleight of hand'], 'steal': ['sleight of hand'],
};

/** Query-understanding features, each of which can be switched off (for the benchmark's ablation and for debugging). */
export const QUERY_FEATURES = ['abbreviations', 'synonyms', 'idioms', 'correction', 'phrases', 'intent', 'entities'] as const;
export type QueryFeature = (typeof QUERY_FEATURES)[number];
/**
 * Features off unless asked for, because the benchmark showed they cost more than they bring:
 * adjacent word pairs as extra phrases ranked passages that merely mention both words above the rule
 * (development split: paraphrased MRR 0.512 with them, 0.537 without; keyword P@1 0.79 with, 0.80 without).
 */
export const OFF_BY_DEFAULT: readonly QueryFeature[] = ['phrases'];

const INTENT_WORDS: [RegExp, ContentType][] = [
  [/\b(spell|spells|cantrip|ritual)\b/, 'spell'],
  [/\b(monster|monsters|stat block|statblock)\b/, 'monster'],
  [/\b(magic item|wondrous|attunement|attune|potion|wand)\b/, 'item'],
  [/\b(condition|conditions)\b/, 'condition'],
  [/\b(class feature|subclass|archetype)\b/, 'class_feature'],
];

/**
 * A question that describes a thing instead of naming it ("a creature that reads minds", "boots that let me
 * run faster") asks for a stat block or an item, where a creature or item word alone does not ("can a
 * creature attack twice").
 */
const DESCRIBED: [RegExp, ContentType][] = [
  [/^ (?:(?:a|an|the|some|which|what)\s)?(?:[a-z-]+ ){0,3}(?:creature|creatures|monster|monsters|beast|beasts|critter|thing)s? (?:that|which|who|with)\b/, 'monster'],
  [/^ (?:(?:a|an|the|some|which|what)\s)?(?:(?:[a-z-]+ ){0,2}(?:ring|cloak|boots|footwear|bag|sack|potion|wand|staff|rod|amulet|necklace|helm|gauntlets|belt)|magic (?:[a-z-]+ ){0,2}(?:item|weapon|sword|armor|shield)) (?:that|which|with|to)\b/, 'item'],
];

export interface QueryPlan {
  original: string;
  /** Query words after spelling correction, stopwords removed. */
  terms: string[];
  /** Every word or phrase searched, with where it came from. */
  expansions: { term: string; via: 'query' | 'abbreviation' | 'synonym' | 'idiom' | 'correction' }[];
  corrections: { from: string; to: string }[];
  intent: ContentType | null;
  /** `entity`: the query names a known spell/monster/… (strong: results are narrowed); `words`: a hint like "spell" (results are only boosted). */
  intentSource: 'entity' | 'words' | null;
  /** Headings of the books the query names ("fireball", "lay on hands"), longest first, at most MAX_NAMED: their passages are boosted. */
  named: string[];
  /** FTS5 MATCH expression; every token quoted, so user input cannot inject syntax. */
  match: string;
}

export const MAX_NAMED = 3;

/** At most this many heading candidates are looked up (one bound parameter each, under D1's 100). */
export const MAX_HEADING_CANDIDATES = 90;

/**
 * Runs of one to four adjacent words of the query, longest first, that neither start nor end with a
 * stop word: the candidates for a heading the query names ("potion of healing", "lay on hands").
 */
export function headingCandidates(query: string | string[]): string[] {
  const all = (Array.isArray(query) ? query : words(query.slice(0, MAX_QUERY_LENGTH))).slice(0, 48);
  const out = new Set<string>();
  for (let n = 4; n >= 1; n--) {
    for (let i = 0; i + n <= all.length; i++) {
      const run = all.slice(i, i + n);
      if (STOPWORDS.has(run[0]!) || STOPWORDS.has(run[n - 1]!)) continue;
      out.add(run.join(' '));
    }
  }
  return [...out].slice(0, MAX_HEADING_CANDIDATES);
}

export interface QueryContext {
  /** Known words of the campaign's rulebooks with their frequency (candidates for correction). */
  vocabulary: Map<string, number>;
  /** How often the books print the query's abbreviations and the words they stand for (see abbreviationWords). */
  usage?: Map<string, number>;
  /** Lower-case headings found in the query, with the content type of their passages (e.g. "fireball" → spell). */
  entityTypes?: Map<string, ContentType>;
  /** Plain keyword search: no corrections, abbreviations, synonyms, phrases or intent (for comparison and debugging). */
  plain?: boolean;
  /** Features switched off (besides OFF_BY_DEFAULT). */
  without?: readonly QueryFeature[];
  /** Features switched on, including those off by default. */
  with?: readonly QueryFeature[];
}

/** Query words worth searching, before correction, in order, repeats dropped, at most MAX_QUERY_WORDS. */
export function queryWords(query: string): string[] {
  return allQueryWords(query).slice(0, MAX_QUERY_WORDS);
}

/** Every distinct searchable word of a query (the validator counts these against MAX_QUERY_WORDS). */
export function allQueryWords(query: string): string[] {
  return [...new Set(words(query.slice(0, MAX_QUERY_LENGTH)).filter((w) => !STOPWORDS.has(w) || ABBREVIATIONS[w]))];
}

/** Damerau-Levenshtein distance (optimal string alignment), capped for speed. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The likeliest intended word for `word` among the books' words, or null: only a word that is
 * neither in the books nor an English word (with its inflections) is corrected.
 */
export function correct(word: string, vocabulary: Map<string, number>): string | null {
  if (vocabulary.has(word) || ABBREVIATIONS[word] || word.length < 4 || isEnglishWord(word)) return null;
  const allowed = word.length <= 6 ? 1 : 2;
  let best: string | null = null;
  let bestKey = [Infinity, 0];
  for (const [candidate, freq] of vocabulary) {
    const distance = editDistance(word, candidate, allowed);
    if (distance > allowed) continue;
    if (distance < bestKey[0]! || (distance === bestKey[0] && freq > bestKey[1]!)) {
      best = candidate;
      bestKey = [distance, freq];
    }
  }
  return best;
}

/** The abbreviations among the query's words and the words they stand for: their frequency in the books decides whether to expand. */
export function abbreviationWords(terms: string[]): string[] {
  return terms.flatMap((t) => (ABBREVIATIONS[t] ? [t, ...ABBREVIATIONS[t]!.flatMap((a) => a.split(' '))] : []));
}

/**
 * Whether the books print the abbreviation more often than the words it stands for ("DC", "XP", "Dex"):
 * then the abbreviation finds its passages by itself, and the long form would only add the few that spell it out.
 */
function booksAbbreviate(term: string, meaning: string[], usage: Map<string, number>): boolean {
  // A phrase is printed at most as often as its rarest word.
  const long = Math.max(...meaning.map((m) => Math.min(...m.split(' ').map((w) => usage.get(w) ?? 0))));
  return (usage.get(term) ?? 0) > long;
}

const quote = (phrase: string) => `"${phrase.replace(/"/g, '""')}"`;

/** Words written with an apostrophe in the query ("don't", "dragon's"): never spelling mistakes. */
const contractions = (query: string) => new Set((query.toLowerCase().match(/[a-z]+'[a-z]+/g) ?? []).map((w) => w.replace(/'s$/, '').replace(/'/g, '')));

export function planQuery(query: string, ctx: QueryContext): QueryPlan {
  if (ctx.plain) {
    const terms = [...new Set(queryWords(query))];
    return { original: query, terms, expansions: terms.map((term) => ({ term, via: 'query' as const })), corrections: [], intent: null, intentSource: null, named: [], match: terms.map(quote).join(' OR ') };
  }
  const off = new Set([...OFF_BY_DEFAULT, ...(ctx.without ?? [])]);
  const on = (feature: QueryFeature) => (ctx.with?.includes(feature) ?? false) || !off.has(feature);
  const raw = queryWords(query);
  const all = words(query.slice(0, MAX_QUERY_LENGTH));
  const apostrophes = contractions(query);
  const inGroup = (w: string) => SYNONYM_GROUPS.some((g) => g.includes(w));
  // Synonyms and idioms first: a player's word the books do not use ("wrestle") finds its rule through
  // them, so it must not be "corrected" into some book word first. Then only non-words are corrected.
  const corrections: QueryPlan['corrections'] = [];
  const terms = raw.map((w) => {
    if (!on('correction') || apostrophes.has(w) || (on('synonyms') && inGroup(w))) return w;
    const fixed = correct(w, ctx.vocabulary);
    if (fixed) corrections.push({ from: w, to: fixed });
    return fixed ?? w;
  });
  let intent: ContentType | null = null;
  let intentSource: QueryPlan['intentSource'] = null;
  const named: string[] = [];
  if (ctx.entityTypes && on('entities')) {
    // Longest names first: "hold person" before "person" (which then no longer counts on its own).
    const fixed = new Map(corrections.map((c) => [c.from, c.to]));
    for (const name of headingCandidates(all.map((w) => fixed.get(w) ?? w))) {
      const type = ctx.entityTypes.get(name);
      if (!type || named.some((n) => ` ${n} `.includes(` ${name} `)) || named.length >= MAX_NAMED) continue;
      named.push(name);
      if (!intent) { intent = type; intentSource = 'entity'; }
    }
  }
  // Words of a named entity ("cure wounds") are not broadened with synonyms: the player asked for that thing.
  const entityWords = new Set(named.flatMap((n) => n.split(' ')));
  const expansions: QueryPlan['expansions'] = [];
  const seen = new Set<string>();
  const add = (term: string, via: QueryPlan['expansions'][number]['via']) => {
    if (seen.has(term)) return;
    seen.add(term);
    expansions.push({ term, via });
  };
  for (const term of terms) {
    const abbreviation = on('abbreviations') ? ABBREVIATIONS[term] : undefined;
    // The abbreviation itself too: books print "spell save DC" and "AC 15" as often as the words.
    add(term, corrections.some((c) => c.to === term) ? 'correction' : 'query');
    if (abbreviation && !(ctx.usage && booksAbbreviate(term, abbreviation, ctx.usage))) abbreviation.forEach((a) => add(a, 'abbreviation'));
    if (on('synonyms') && !entityWords.has(term)) for (const group of SYNONYM_GROUPS) if (group.includes(term)) group.forEach((g) => add(g, 'synonym'));
  }
  const text = ` ${all.join(' ')} `;
  if (on('idioms')) {
    // Not inside a name the query gives: "burning hands" is a spell, not a question about fire.
    for (const [idiom, meaning] of Object.entries(IDIOMS)) if (text.includes(` ${idiom} `) && !named.some((n) => ` ${n} `.includes(` ${idiom} `))) meaning.forEach((m) => add(m, 'idiom'));
    for (const group of SYNONYM_GROUPS) for (const member of group) if (member.includes(' ') && text.includes(` ${member} `) && on('synonyms')) group.forEach((g) => add(g, 'synonym'));
  }
  const joined = ` ${terms.join(' ')} `;
  if (!intent && on('intent')) for (const [pattern, type] of INTENT_WORDS) if (pattern.test(joined)) { intent = type; intentSource = 'words'; break; }
  if (!intent && on('intent')) for (const [pattern, type] of DESCRIBED) if (pattern.test(` ${all.join(' ')}`)) { intent = type; intentSource = 'words'; break; }
  if (!intent && on('intent') && terms.some((t) => CONDITION_NAMES.includes(t)) && /\b(condition|effect|mean|means)\b/.test(query.toLowerCase())) { intent = 'condition'; intentSource = 'words'; }
  // Adjacent query words also count as a phrase, so "turn undead" outranks passages that merely mention both words.
  const phrases = on('phrases') ? terms.slice(1).map((t, i) => `${terms[i]} ${t}`).filter((p) => !seen.has(p)) : [];
  const match = [...expansions.map((e) => e.term), ...phrases].map(quote).join(' OR ');
  return { original: query, terms, expansions, corrections, intent, intentSource, named, match };
}
