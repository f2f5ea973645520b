/**
 * Which of the GM's house rules (notes in the `house-rule` category) speak to
 * a rules question: the question's words (stop words out, stemmed the way the
 * book index stems) against each rule's title and body, a title word counting
 * three times. Pure; the answer puts the matching rules before the books, since
 * a table's own rule wins over the printed one.
 */
import { stemmer } from 'stemmer';
import { allQueryWords, queryWords } from './query';

export interface HouseRule { id: string; title: string; body: string }

const stems = (text: string, all = false) => new Set((all ? allQueryWords(text) : queryWords(text)).map((w) => stemmer(w)));

/** The rules that share words with the question, best first, at most `limit`. */
export function matchHouseRules<T extends HouseRule>(question: string, rules: T[], limit = 2): T[] {
  const asked = stems(question);
  if (asked.size === 0) return [];
  return rules
    .map((rule) => {
      const title = stems(rule.title, true);
      const body = stems(rule.body, true);
      let score = 0;
      for (const s of asked) score += (title.has(s) ? 3 : 0) + (body.has(s) ? 1 : 0);
      return { rule, score };
    })
    // One shared word in the title, or two in the body: a passing mention is not a ruling.
    .filter((r) => r.score >= 2)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((r) => r.rule);
}
