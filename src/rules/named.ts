/**
 * Things a question names that are not headings: a table's rows ("longsword damage" → the weapons table's
 * Longsword row) and run-in labels ("forced march" → "Forced March. The Travel Pace table assumes…"). Books
 * print weapons, gear and poisons as rows, and many rules as a bold label at the start of a paragraph rather
 * than under a heading of their own; a passage holding the named one ranks like a passage under a named heading.
 * The reverse too: a creature or section named only in passing ("the orc next to me") is not what the question
 * looks for. And a heading printed under many parents ("Cantrips") names its general rule.
 */
import { headingName, type ChunkRow as Row } from './store';
import { words } from './normalize';
import { singulars } from './plural';
import { headingCandidates, STOPWORDS } from './query';

/** The question's words besides those of `name`, singular or plural (stop words dropped): what else it asks about the named thing. */
const otherWords = (asked: string[], name: string[]) => asked.filter((w) => !STOPWORDS.has(w) && !name.includes(w) && !singulars(w).some((one) => name.includes(one)));

/** A word's start, loose enough for its inflections ("damage" → "dama", "properties" → "propertie"). */
const stemPrefix = (w: string) => w.slice(0, Math.max(4, w.length - 2));

/** Whether lower-cased `text` holds the start of any of `asked`, anywhere (inside a longer word too: "Heavy Armor" holds "armo"). */
const holdsAny = (text: string, asked: string[]) => asked.some((w) => text.includes(stemPrefix(w)));

/** A test for a text with a word that starts like one of `asked`, its patterns built once for the many passages it reads. */
function startsAny(asked: string[]): (text: string) => boolean {
  const starts = asked.map((w) => new RegExp(`\\b${stemPrefix(w)}`, 'i'));
  return (text) => starts.some((start) => start.test(text));
}

/** The names a table's rows start with: the words before the first number, dash or bracket ("Longsword 15 gp 1d8…" → "longsword"). */
export function rowNames(table: string): Set<string> {
  const names = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const name = /^([A-Za-z'’][\w'’,-]*(?: [A-Za-z'’][\w'’,-]*)*)(?= [\d—–+(-]|$)/.exec(line.trim())?.[1];
    if (name) names.add(name.toLowerCase().replace(/’/g, "'"));
  }
  return names;
}

/**
 * A table passage with a row the question names and a column it asks for ("longsword damage" → the weapons
 * table's Longsword row, under "Damage") ranks like a passage under a named heading: weapons, armor and gear are
 * rows, not sections, in most books. The column is what tells a row's name from the same word used otherwise
 * ("hard to fool" is not the DC table's "Hard" row); a question of the name alone ("longsword") needs none.
 */
export function boostNamedRows(rows: Row[], asked: string[], boost: number): Row[] {
  const candidates = headingCandidates(asked);
  if (!boost || candidates.length === 0) return rows;
  const named = (row: Row) => {
    if (row.content_type !== 'table') return false;
    const names = rowNames(row.text);
    const header = `${row.heading} ${row.text.split('\n')[0]}`.toLowerCase();
    return candidates.some((name) => {
      if (!names.has(name)) return false;
      const rest = otherWords(asked, name.split(' '));
      return rest.length === 0 || holdsAny(header, rest);
    });
  };
  return rescore(rows, rows.map((row) => (named(row) ? boost : 0)));
}

const SMALL = "(?:of|the|and|or|a|an|in|to|on|with|from|for|at|by)";
const CAPITALISED = "[A-Z][\\w'’-]*";
/**
 * A run-in label: one to six capitalised words (small words between them), an optional short bracket, and a full
 * stop, at a paragraph's or sentence's start and followed by the next sentence ("Explorer's Pack (10 gp). Includes…").
 */
const LABEL = new RegExp(`(?:^|(?<=[.!?:]["')]?\\s)|(?<=\\n))(${CAPITALISED}(?: (?:${CAPITALISED}|${SMALL})){0,5})(?: \\([^)]{1,30}\\))?\\.(?= ["'(]?[A-Z0-9])`, 'g');

/** The run-in labels of a passage, as query words ("Explorer's Pack (10 gp)." → "explorer pack"). */
export function runInLabels(text: string): Set<string> {
  const labels = new Set<string>();
  for (const match of text.matchAll(LABEL)) labels.add(words(match[1]!).join(' '));
  labels.delete('');
  return labels;
}

/** A label in more passages than this (of those fetched) is a recurring field ("At Higher Levels.", "Speed."), not a name. */
const MAX_LABELLED = 3;

/**
 * Passages with a run-in label the question names rank up by `boost`. A one-word label needs the rest of the
 * question to point at its section too (a word of its heading path: "halfling lucky trait" → "Lucky." under
 * Halfling Traits), or nothing else to ask; stat blocks' action labels ("Bite.") are fields, not names.
 */
export function boostNamedLabels(rows: Row[], asked: string[], boost: number): Row[] {
  const candidates = new Set(headingCandidates(asked));
  if (!boost || candidates.size === 0) return rows;
  const named = rows.map((row) => (row.content_type === 'monster' || row.content_type === 'table' ? [] : [...runInLabels(row.text)].filter((label) => candidates.has(label))));
  if (!named.some((labels) => labels.length > 0)) return rows;
  const passages = new Map<string, number>();
  for (const labels of named) for (const label of labels) passages.set(label, (passages.get(label) ?? 0) + 1);
  const flags = rows.map((row, i) => named[i]!.some((label) => {
    if ((passages.get(label) ?? 0) > MAX_LABELLED) return false;
    const own = label.split(' ');
    if (own.length > 1) return true;
    const rest = otherWords(asked, own);
    return rest.length === 0 || holdsAny(row.heading_path.toLowerCase(), rest);
  }));
  return rescore(rows, flags.map((flag) => (flag ? boost : 0)));
}

/** A heading printed over more sections than this (of those fetched) is a recurring subsection ("Legendary Actions", "Cantrips"). */
const RECURRING = 3;

/**
 * Sections a question names by heading that are not what it asks for lose the named boost (once, whichever reason):
 * - a heading printed under many parents ("Legendary Actions" under every legendary monster, "Cantrips" under
 *   every caster class) names its general rule: the occurrence nearest the top of the book's outline (the rules
 *   chapter's) keeps the boost, a deeper one only where the question also names one of its parents ("wizard
 *   cantrips", "black dragon legendary actions");
 * - a section whose heading path and text hold none of the question's other words is named in passing ("Can I
 *   use Dex instead of Strength for my rapier?" names Strength; the answer is the Finesse property). Stat blocks
 *   are left to `demoteIncidentalCreatures`, which knows what asks about a creature.
 */
export function demoteIncidentalSections(rows: Row[], asked: string[], named: string[], boost: number): Row[] {
  if (!boost || named.length === 0) return rows;
  const lose = new Set<number>();
  for (const name of named) {
    const at = rows.flatMap((row, i) => (headingName(row.heading) === name ? [i] : []));
    if (at.length === 0) continue;
    const rest = otherWords(asked, name.split(' '));
    if (new Set(at.map((i) => rows[i]!.heading_path)).size > RECURRING) {
      const depth = at.map((i) => (JSON.parse(rows[i]!.heading_path) as string[]).length);
      const top = Math.min(...depth);
      at.forEach((i, k) => { if (depth[k]! > top && !holdsAny(rows[i]!.heading_path.toLowerCase(), rest)) lose.add(i); });
    }
    const sections = at.filter((i) => rows[i]!.content_type !== 'monster');
    if (rest.length === 0 || sections.length === 0) continue;
    const mentioned = startsAny(rest);
    if (!sections.some((i) => mentioned(`${rows[i]!.heading_path} ${rows[i]!.text}`))) sections.forEach((i) => lose.add(i));
  }
  return rescore(rows, rows.map((_, i) => (lose.has(i) ? -boost : 0)));
}

/** `rows` with each score moved by its delta, re-sorted (stable); untouched when every delta is 0 (most searches). */
function rescore(rows: Row[], deltas: number[]): Row[] {
  if (deltas.every((d) => d === 0)) return rows;
  const scored = rows.map((row, i) => ({ row: deltas[i] ? { ...row, score: row.score + deltas[i]! } : row, i }));
  return scored.sort((a, b) => b.row.score - a.row.score || a.i - b.i).map((s) => s.row);
}

/** Words that ask about a creature's statistics without being printed in its stat block ("goblin stat block", "owlbear AC"). */
const ABOUT_A_CREATURE = new Set(['stat', 'stats', 'statistics', 'block', 'statblock', 'ac', 'hp', 'cr', 'xp', 'monster', 'creature', 'npc']);

/**
 * A creature the question names but asks nothing about: none of the question's other words is in its stat block
 * ("shooting my bow at the orc next to me", "subdue the bandit", "turning into a bear as a druid"). The creature is
 * the target of a rule or the player's own class, so its stat block loses the named boost (and, where it set the
 * question's intent, every stat block loses the intent boost).
 */
export function demoteIncidentalCreatures(rows: Row[], asked: string[], plan: { named: string[]; intent: string | null; intentSource: string | null }, boosts: { namedBoost: number; intentBoost: number }): Row[] {
  const blocks = new Map<string, Row[]>();
  for (const row of rows) {
    const heading = headingName(row.heading);
    if (row.content_type === 'monster' && plan.named.includes(heading)) blocks.set(heading, [...(blocks.get(heading) ?? []), row]);
  }
  if (blocks.size === 0) return rows;
  const incidental = new Set<string>();
  for (const [name, named] of blocks) {
    const rest = otherWords(asked, name.split(' '));
    if (rest.length === 0 || rest.some((w) => ABOUT_A_CREATURE.has(w))) continue;
    const mentioned = startsAny(rest);
    if (!named.some((row) => mentioned(row.text))) incidental.add(name);
  }
  if (incidental.size === 0) return rows;
  const intentFromIt = plan.intentSource === 'entity' && plan.intent === 'monster' && incidental.has(plan.named[0] ?? '');
  return rescore(rows, rows.map((row) => {
    if (row.content_type !== 'monster') return 0;
    return -((incidental.has(headingName(row.heading)) ? boosts.namedBoost : 0) + (intentFromIt ? boosts.intentBoost : 0));
  }));
}

/** Words that frame a question about a definition without naming the thing ("what does lawful good mean"). */
const DEFINING = new Set(['mean', 'means', 'meaning', 'define', 'defined', 'definition']);

/**
 * A sentence's subject, then "is", "are", "means" or "refers to". A definition's subject is bare ("Celestials are…",
 * "Exhaustion is…"), a proper name ("The Astral Plane is…"), the player's own ("Your carrying capacity is…") or a
 * kind ("A cantrip is a…"); "The celestial is friendly to you" refers back to one already introduced.
 */
const DEFINITION = /(?:^|[.!?]["')]?\s+)(The |An? |Your )?((?:[A-Za-z][A-Za-z'-]* ){1,4})(is|are|means|refers to)( an? )?/g;

/** Whether `text` has a sentence defining the thing asked about: its subject is each of `thing`'s words, and no other. */
export function definesThing(text: string, thing: string[]): boolean {
  const same = (a: string, b: string) => a === b || singulars(a).includes(b) || singulars(b).includes(a);
  for (const [, article, subjectText, , kind] of text.matchAll(DEFINITION)) {
    if (article === 'The ' && !/^[A-Z]/.test(subjectText!)) continue;
    if ((article === 'A ' || article === 'An ') && !kind) continue;
    const subject = words(subjectText!);
    if (subject.length === thing.length && thing.every((w) => subject.some((s) => same(s, w)))) return true;
  }
  return false;
}

/**
 * Passages that define what the question names ("what are celestials" → "Celestials are creatures native to the
 * Upper Planes", under Monsters › Type) rank up by `boost`: the definition answers it, where a section merely named
 * after it (the Conjure Celestial spell) uses the word. The thing is the question's words besides stop words and
 * "mean"/"define"; up to four of them.
 */
export function boostDefinitions(rows: Row[], asked: string[], boost: number): Row[] {
  const thing = asked.filter((w) => !STOPWORDS.has(w) && !DEFINING.has(w));
  if (!boost || thing.length === 0 || thing.length > 4) return rows;
  return rescore(rows, rows.map((row) => (row.content_type !== 'table' && row.content_type !== 'monster' && definesThing(row.text, thing) ? boost : 0)));
}
