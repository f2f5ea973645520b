/**
 * Guesses what a passage is, from its heading path and text, so searches can
 * narrow to spells, monsters and so on. Ordered from the most specific signal
 * to the least; anything unrecognised in a rules book is a "rule".
 */
export const CONTENT_TYPES = ['rule', 'spell', 'monster', 'item', 'class_feature', 'condition', 'table', 'narrative'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export const CONDITION_NAMES = [
  'blinded', 'charmed', 'deafened', 'exhaustion', 'frightened', 'grappled', 'incapacitated', 'invisible',
  'paralyzed', 'petrified', 'poisoned', 'prone', 'restrained', 'stunned', 'unconscious',
];

const CLASS_NAMES = ['barbarian', 'bard', 'cleric', 'druid', 'fighter', 'monk', 'paladin', 'ranger', 'rogue', 'sorcerer', 'warlock', 'wizard'];

export function classifyChunk(headingPath: string[], text: string, sourceType: 'rules' | 'lore'): ContentType {
  const path = headingPath.map((h) => h.toLowerCase());
  const heading = path[path.length - 1] ?? '';
  const t = text.toLowerCase();
  // Sections of a stat block or a spell list keep the type of the section they belong to.
  if (path.some((p) => /^monsters\b|^creatures\b|^nonplayer characters\b/.test(p)) || ['actions', 'legendary actions', 'reactions'].includes(heading)) return 'monster';
  if (path.includes('spell descriptions')) return 'spell';
  if (/casting time:/.test(t) || /\b(\d(st|nd|rd|th)-level|cantrip)\b.{0,40}\b(abjuration|conjuration|divination|enchantment|evocation|illusion|necromancy|transmutation)\b/.test(t)) return 'spell';
  if (/armor class \d+/.test(t) && /hit points \d+/.test(t) && /(challenge \d|\bstr\b.*\bdex\b.*\bcon\b)/s.test(t)) return 'monster';
  if (/\b(wondrous item|ring|rod|staff|wand|potion|weapon|armor)\b[^.]{0,40}\b(common|uncommon|rare|very rare|legendary|artifact)\b/.test(t) || /requires attunement/.test(t)) return 'item';
  if (CONDITION_NAMES.includes(heading) || path.includes('conditions') || path.some((p) => p.startsWith('appendix') && p.includes('conditions'))) return 'condition';
  if (path.some((p) => CLASS_NAMES.includes(p)) && (path.some((p) => /class features|features|path of|college of|domain|circle of|oath of|archetype|tradition|patron/.test(p)) || /\bat \d+(st|nd|rd|th) level\b/.test(t))) return 'class_feature';
  const numericTokens = (t.match(/\b\d+([–-]\d+)?\b|\bd\d+\b|\+\d+/g) ?? []).length;
  const wordCount = (t.match(/[a-z]+/g) ?? []).length;
  if (numericTokens >= 12 && numericTokens / Math.max(1, wordCount) > 0.35) return 'table';
  return sourceType === 'lore' ? 'narrative' : 'rule';
}
