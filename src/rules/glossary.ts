/**
 * The game's vocabulary as players speak it: abbreviations, words that mean
 * the same rule, and table talk the books say otherwise ("free swing" is an
 * opportunity attack, "next to" is within 5 feet). Data only: query.ts
 * decides when each applies. General groups in the books' own words (their
 * actions, conditions, skills, damage types, classes), never a benchmark's
 * questions.
 */

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
  // Questions players ask every session, in their words.
  'attack twice': ['extra attack'], 'two attacks': ['extra attack'], 'multiple attacks': ['extra attack', 'multiattack'],
  'two spells': ['bonus action', 'casting time'], 'mana': ['spell slots'], 'magic points': ['spell slots'],
  'how far': ['speed', 'range'], 'night vision': ['darkvision'], 'ammo': ['ammunition'], 'reload': ['loading'],
  'throw': ['thrown'], 'throwing': ['thrown'], 'horse': ['mount', 'mounted combat'], 'interrupt': ['reaction'],
  'chant': ['verbal'], 'gesture': ['somatic'], 'gestures': ['somatic'], 'hand signs': ['somatic'],
  'heal up': ['hit dice', 'short rest'], 'healing potion': ['potion of healing'], 'dead': ['death'], 'die': ['death', 'dying'], 'dies': ['death', 'dying'], 'died': ['death', 'dying'],
};
