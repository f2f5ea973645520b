/**
 * Query understanding for rules search: the glossary's abbreviations, synonym
 * groups and idioms (glossary.ts), spelling correction against the rulebooks'
 * own vocabulary, and intent (which content type the question is about).
 * Pure: the caller supplies the vocabulary candidates and known entity
 * headings from D1.
 *
 * @example
 * planQuery('how does grapling work', { vocabulary: new Map([['grappling', 12]]) }).terms; // ['grappling']
 */
import type { ContentType } from './classify';
import { CONDITION_NAMES } from './classify';
import { isEnglishWord } from './english';
import { ABBREVIATIONS, IDIOMS, SYNONYM_GROUPS } from './glossary';
import { words } from './normalize';
import { irregularSingular, singulars } from './plural';

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

/** Query-understanding features, each of which can be switched off (for the benchmark's ablation and for debugging). */
export const QUERY_FEATURES = ['abbreviations', 'synonyms', 'idioms', 'plurals', 'correction', 'phrases', 'intent', 'entities', 'definitions'] as const;
export type QueryFeature = (typeof QUERY_FEATURES)[number];
/**
 * Features off unless asked for, because the benchmark showed they cost more than they bring:
 * adjacent word pairs as extra phrases ranked passages that merely mention both words above the rule
 * (development split: paraphrased MRR 0.512 with them, 0.537 without; keyword P@1 0.79 with, 0.80 without).
 */
export const OFF_BY_DEFAULT: readonly QueryFeature[] = ['phrases'];

/** Words that name a kind of content ("spell", "stat block"). */
const KIND_WORDS: [string, ContentType][] = [
  ['spell|spells|cantrip|cantrips|ritual', 'spell'],
  ['monster|monsters|stat block|statblock', 'monster'],
  ['magic item|magic items|wondrous item|potion|wand', 'item'],
  ['condition|conditions', 'condition'],
  ['class feature|subclass|archetype', 'class_feature'],
];

/**
 * The start of a question that describes a thing: not a question about doing something ("can I attack a
 * monster that…"), then an article and up to `words` words ("a big scary monster that…").
 */
const describing = (words: number) => `^(?!(?:can|could|do|does|did|how|is|are|should|may|might|will|would|when|why|if|who)\\b)(?:(?:a|an|the|some|any|which|what) )?(?:[a-z'-]+ ){0,${words}}`;

/**
 * A kind word sets the intent only where it says what the answer is: after the thing's name at the end of the
 * question ("shield spell", "goblin stat block", "stunned condition"), opening a description of the thing
 * ("a spell that shoots electricity", "monster with three heads"), or asked for ("which spell…"). Elsewhere
 * it is part of another rule's words ("wizard spell save DC", "casting spells in armor", "attack a monster
 * that is flying"), whose answer is a rule: anywhere in the question, kind words set spell and monster
 * intents for questions about spellcasting and combat (development split: the same gains, no keyword
 * question moved either way).
 */
const INTENT_WORDS: [RegExp, ContentType][] = KIND_WORDS.map(([kinds, type]) => [
  new RegExp(`\\w (?:${kinds})$|${describing(3)}(?:${kinds}) (?:that|which|who|whose|with|to|for|where) |^(?:what|which) (?:${kinds})\\b`),
  type,
]);

/**
 * A question that describes a thing instead of naming it ("a creature that reads minds", "boots that let me
 * run faster") asks for a stat block or an item, where a creature or item word alone does not ("can a
 * creature attack twice").
 */
const DESCRIBED: [RegExp, ContentType][] = [
  [new RegExp(`${describing(3)}(?:creature|monster|beast|critter|thing)s? (?:that|which|who|with)\\b`), 'monster'],
  [new RegExp(`${describing(2)}(?:ring|cloak|boots|footwear|bag|sack|potion|wand|staff|rod|amulet|necklace|helm|gauntlets|belt) (?:that|which|with|to)\\b|${describing(0)}magic (?:[a-z-]+ ){0,2}(?:item|weapon|sword|armor|shield) (?:that|which|with|to)\\b`), 'item'],
];

export interface QueryPlan {
  original: string;
  /** Query words after spelling correction, stopwords removed. */
  terms: string[];
  /** Every word or phrase searched, with where it came from. */
  expansions: { term: string; via: 'query' | 'abbreviation' | 'synonym' | 'idiom' | 'singular' | 'correction' }[];
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
 * stop word, each also with its head noun made singular: the candidates for a heading the query names
 * ("potion of healing", "lay on hands", "goblins" → "goblin").
 */
export function headingCandidates(query: string | string[], singular = true): string[] {
  const all = (Array.isArray(query) ? query : words(query.slice(0, MAX_QUERY_LENGTH))).slice(0, 48);
  // Longest first, in the question's order, each run followed by its singular ("goblins", "goblin").
  const ordered: { text: string; plural: boolean }[] = [];
  for (let n = 4; n >= 1; n--) {
    for (let i = 0; i + n <= all.length; i++) {
      const run = all.slice(i, i + n);
      if (STOPWORDS.has(run[0]!) || STOPWORDS.has(run[n - 1]!)) continue;
      ordered.push({ text: run.join(' '), plural: false });
      // Headings are singular: "goblins" names "Goblin", "bags of holding" names "Bag of Holding".
      const head = n > 2 && run[1] === 'of' ? 0 : n - 1;
      if (singular) for (const one of singulars(run[head]!)) ordered.push({ text: run.map((w, k) => (k === head ? one : w)).join(' '), plural: true });
    }
  }
  // When a long question has more candidates than fit, its words as asked are kept before their singulars.
  const seen = new Set<string>();
  const distinct = ordered.filter((c) => !seen.has(c.text) && seen.add(c.text));
  const kept = new Set([...distinct.filter((c) => !c.plural), ...distinct.filter((c) => c.plural)].slice(0, MAX_HEADING_CANDIDATES));
  return distinct.filter((c) => kept.has(c)).map((c) => c.text);
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
    for (const name of headingCandidates(all.map((w) => fixed.get(w) ?? w), on('plurals'))) {
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
    // "elves" also searches "elf": the index's stemmer joins regular plurals to their singular, not these.
    const singular = on('plurals') ? irregularSingular(term) : null;
    if (singular) add(singular, 'singular');
    if (abbreviation && !(ctx.usage && booksAbbreviate(term, abbreviation, ctx.usage))) abbreviation.forEach((a) => add(a, 'abbreviation'));
    if (on('synonyms') && !entityWords.has(term)) for (const group of SYNONYM_GROUPS) if (group.includes(term)) group.forEach((g) => add(g, 'synonym'));
  }
  const text = ` ${all.join(' ')} `;
  if (on('idioms')) {
    // Not inside a name the query gives: "burning hands" is a spell, not a question about fire.
    for (const [idiom, meaning] of Object.entries(IDIOMS)) if (text.includes(` ${idiom} `) && !named.some((n) => ` ${n} `.includes(` ${idiom} `))) meaning.forEach((m) => add(m, 'idiom'));
    for (const group of SYNONYM_GROUPS) for (const member of group) if (member.includes(' ') && text.includes(` ${member} `) && on('synonyms')) group.forEach((g) => add(g, 'synonym'));
  }
  if (!intent && on('intent')) {
    // A kind word saying what the answer is ("shield spell", "a spell that…"), then a thing described instead of named ("boots that…").
    const question = text.trim();
    const type = INTENT_WORDS.find(([pattern]) => pattern.test(question))?.[1] ?? DESCRIBED.find(([pattern]) => pattern.test(question))?.[1];
    if (type) { intent = type; intentSource = 'words'; }
  }
  if (!intent && on('intent') && terms.some((t) => CONDITION_NAMES.includes(t)) && /\b(condition|effect|mean|means)\b/.test(query.toLowerCase())) { intent = 'condition'; intentSource = 'words'; }
  // Adjacent query words also count as a phrase, so "turn undead" outranks passages that merely mention both words.
  const phrases = on('phrases') ? terms.slice(1).map((t, i) => `${terms[i]} ${t}`).filter((p) => !seen.has(p)) : [];
  const match = [...expansions.map((e) => e.term), ...phrases].map(quote).join(' OR ');
  return { original: query, terms, expansions, corrections, intent, intentSource, named, match };
}
