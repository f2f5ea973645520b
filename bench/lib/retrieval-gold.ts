/**
 * The retrieval gold set and its measures, shared by the benchmark (through
 * the real Worker) and the tuning loop (in Node). A ranking is the ranked
 * hits of one question: page and snippet, best first.
 */
import { readFileSync } from 'node:fs';
import { fmt } from './stats';

export interface Gold { q: string; kind: 'keyword' | 'paraphrase'; pages: number[]; answer: string; answerPages: number[]; split: 'dev' | 'test' }
export const gold = (JSON.parse(readFileSync(new URL('../retrieval-gold.json', import.meta.url), 'utf8')) as { questions: Gold[] }).questions;

export interface RankedHit { page: number; snippet?: string }

const norm = (s: string) => s.replace(/<\/?mark>/g, '').replace(/[\u2018\u2019]/g, "'").replace(/[\u2010-\u2014]/g, '-').replace(/\s+/g, ' ').toLowerCase().trim();

export interface Measures { n: number; r5: number; r20: number; mrr: number; p1: number; snippet: number | null }

/** Recall@5/@20 (a gold page among the first k distinct pages), MRR, P@1, and how often the top hit's snippet holds the answer when it is on the answer's page. */
export function measure(rankings: RankedHit[][], questions: Gold[]): Measures {
  let r5 = 0, r20 = 0, mrr = 0, p1 = 0, snippetRight = 0, snippetChecked = 0;
  questions.forEach((g, i) => {
    const hits = rankings[i]!;
    const pages = [...new Set(hits.map((h) => h.page))];
    const rank = pages.findIndex((p) => g.pages.includes(p));
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0 && rank < 20) r20++;
    if (rank >= 0) mrr += 1 / (rank + 1);
    if (rank === 0) p1++;
    const top = hits[0];
    if (top && g.answerPages.includes(top.page) && top.snippet !== undefined) {
      snippetChecked++;
      if (norm(top.snippet).includes(norm(g.answer))) snippetRight++;
    }
  });
  const n = questions.length;
  return { n, r5: r5 / n, r20: r20 / n, mrr: mrr / n, p1: p1 / n, snippet: snippetChecked ? snippetRight / snippetChecked : null };
}

export const HEADER = 'variant                                    | kind        |   n |  R@5  R@20   MRR   P@1 | snippet';
export function row(name: string, kind: string, m: Measures): string {
  return `${name.padEnd(42)} | ${kind.padEnd(11)} | ${String(m.n).padStart(3)} | ${fmt(m.r5, 3)} ${fmt(m.r20, 3)} ${fmt(m.mrr, 3)} ${fmt(m.p1, 3)} | ${m.snippet === null ? '   —' : fmt(m.snippet, 3)}`;
}

/** Rows per kind and overall for one variant. */
export function rows(name: string, rankings: RankedHit[][], questions: Gold[]): string[] {
  const by = (pred: (g: Gold) => boolean) => {
    const idx = questions.map((g, i) => [g, i] as const).filter(([g]) => pred(g));
    return measure(idx.map(([, i]) => rankings[i]!), idx.map(([g]) => g));
  };
  return [row(name, 'keyword', by((g) => g.kind === 'keyword')), row('', 'paraphrase', by((g) => g.kind === 'paraphrase')), row('', 'all', by(() => true))];
}
