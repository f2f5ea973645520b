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

/** Words of the rules: prose without any of them, in a rules book, is narrative (read-aloud text, examples, lore). */
const RULES_WORDS = /\b(roll|rolls|check|checks|saving throw|attack|damage|spell|spells|level|action|bonus|hit points?|dc|advantage|disadvantage|proficien\w*|modifier|feet|foot|turn|round|d\d+|gp|you can|you must|can't|must)\b|\d/;
const NARRATIVE_SIGNS = /\b(was|were|had|said|asked|whispered|walked|looked|stood|turned|saw|felt|knew|told|came|went)\b|["\u201C\u201D]/g;

/** A stat block, with or without colons: "Armor Class 15", "Armor Class: 18", "AC 18"; hit points; a challenge (rating) or the six abilities. */
function isStatBlock(t: string): boolean {
  return /\b(armor class|ac):?\s*\d+/.test(t) && /\b(hit points|hp):?\s*\d+/.test(t) && /(\bchallenge( rating)?:?\s*\d|\bcr:?\s*\d|\bstr\b.*\bdex\b.*\bcon\b)/s.test(t);
}

/** A table written as text: pipe-separated cells on several rows, or a markdown rule line. */
const isTextTable = (t: string) => (t.match(/\|/g) ?? []).length >= 6 || /\|?\s*:?-{3,}:?\s*\|/.test(t);

export function classifyChunk(headingPath: string[], text: string, sourceType: 'rules' | 'lore'): ContentType {
  const path = headingPath.map((h) => h.toLowerCase());
  const heading = path[path.length - 1] ?? '';
  const t = text.toLowerCase();
  // Sections of a stat block or a spell list keep the type of the section they belong to.
  // A chapter of creatures ("Appendix MM-A: Miscellaneous Creatures"), not a rule about them ("Moving Around Other Creatures").
  if (/\bcreatures$/.test(path[0] ?? '') || path.some((p) => /^monsters? \(|^monsters? [a-z]$|^nonplayer characters$/.test(p)) || ['actions', 'legendary actions', 'reactions'].includes(heading)) return 'monster';
  if (path.includes('spell descriptions')) return 'spell';
  if (/casting time:/.test(t) || /\b(\d(st|nd|rd|th)-level|cantrip)\b.{0,40}\b(abjuration|conjuration|divination|enchantment|evocation|illusion|necromancy|transmutation)\b/.test(t)) return 'spell';
  if (isStatBlock(t)) return 'monster';
  if (isTextTable(text)) return 'table';
  if (/\b(wondrous item|ring|rod|staff|wand|potion|weapon|armor)\b[^.]{0,40}\b(common|uncommon|rare|very rare|legendary|artifact)\b/.test(t) || /requires attunement/.test(t)) return 'item';
  if (CONDITION_NAMES.includes(heading) || path.includes('conditions') || path.some((p) => p.startsWith('appendix') && p.includes('conditions'))) return 'condition';
  // A class's own sections (not the class's introduction): "Barbarian › Rage", "Druid › Class Features › Wild Shape".
  const classAt = path.findIndex((p) => CLASS_NAMES.includes(p));
  if (classAt >= 0 && (classAt < path.length - 1 || /\bat \d+(st|nd|rd|th) level\b/.test(t))) return 'class_feature';
  const numericTokens = (t.match(/\b\d+([–-]\d+)?\b|\bd\d+\b|\+\d+/g) ?? []).length;
  const wordCount = (t.match(/[a-z]+/g) ?? []).length;
  if (numericTokens >= 12 && numericTokens / Math.max(1, wordCount) > 0.35) return 'table';
  if (sourceType === 'lore') return 'narrative';
  // Story prose in a rules book: no rules words at all, and told like a story.
  if (wordCount >= 25 && !RULES_WORDS.test(t) && (text.match(NARRATIVE_SIGNS) ?? []).length >= 2) return 'narrative';
  return 'rule';
}
