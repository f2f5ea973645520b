/**
 * Retrieval quality on a gold set of player questions over the full SRD
 * (bench/retrieval-gold.json: 79 questions, a third paraphrased with few
 * words in common with the answer, each with the page(s) that answer it).
 *
 * Variants, all in one run:
 *  - baseline: plain SQLite FTS5 (porter, bm25) over whole pages, in Node;
 *  - lexical, plain: Lorekeeper's chunk index without query understanding;
 *  - lexical: Lorekeeper's default (headings, abbreviations, synonyms, corrections, intent);
 *  - fusion: weighted RRF of lexical and the whole-page baseline, for several weights.
 * Semantic (Vectorize) variants need Workers AI and are not available locally.
 * Reports recall@5, recall@20 (a question counts when a gold page is in the top k) and MRR.
 */
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { getDocumentProxy } from 'unpdf';
import { fuse } from '../src/rules/fusion';
import { itemsToLines, type TextItem } from '../src/rules/layout';
import { queryWords } from '../src/rules/query';
import { api, benchCampaign } from './lib/api';
import { fmt } from './lib/stats';
import { ingestSrd, srdBytes } from './lib/srd';
import { startWranglerDev } from './lib/wrangler-dev';

interface Gold { q: string; pages: number[]; kind: 'direct' | 'paraphrase' }
const gold = (JSON.parse(readFileSync(new URL('./retrieval-gold.json', import.meta.url), 'utf8')) as { questions: Gold[] }).questions;

/** Ranked pages (deduplicated, best first). */
type Ranking = number[];

function metrics(rankings: Ranking[], subset: (g: Gold) => boolean) {
  let r5 = 0, r20 = 0, mrr = 0, n = 0;
  gold.forEach((g, i) => {
    if (!subset(g)) return;
    n++;
    const rank = rankings[i]!.findIndex((p) => g.pages.includes(p));
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0 && rank < 20) r20++;
    if (rank >= 0) mrr += 1 / (rank + 1);
  });
  return { r5: r5 / n, r20: r20 / n, mrr: mrr / n, n };
}

const dedupe = (pages: number[]) => [...new Set(pages)];

async function wholePageBaseline(): Promise<(q: string) => Ranking> {
  const pdf = await getDocumentProxy(srdBytes());
  const db = new DatabaseSync(':memory:');
  db.exec("CREATE VIRTUAL TABLE pages USING fts5(text, tokenize='porter unicode61')");
  const insert = db.prepare('INSERT INTO pages (rowid, text) VALUES (?, ?)');
  for (let p = 1; p <= pdf.numPages; p++) {
    const page = await pdf.getPage(p);
    const content = await page.getTextContent();
    const items: TextItem[] = content.items.flatMap((it) => ('str' in it ? [{ str: it.str, size: Math.hypot(it.transform[0], it.transform[1]), x: it.transform[4], y: it.transform[5], hasEOL: it.hasEOL }] : []));
    insert.run(p, itemsToLines(items, (page.view as number[])[3]!).map((l) => l.text).join('\n'));
    page.cleanup();
  }
  const search = db.prepare('SELECT rowid AS page FROM pages WHERE pages MATCH ? ORDER BY bm25(pages) LIMIT 20');
  return (q) => {
    const terms = queryWords(q);
    if (terms.length === 0) return [];
    return (search.all(terms.map((t) => `"${t}"`).join(' OR ')) as { page: number }[]).map((r) => r.page);
  };
}

async function main() {
  const baseline = await wholePageBaseline();
  const dev = await startWranglerDev(8796, { RATE_LIMIT_USER_PER_MINUTE: '100000', RATE_LIMIT_IP_PER_MINUTE: '100000', RATE_LIMIT_RULES_SEARCH_PER_MINUTE: '100000' });
  try {
    const { token, campaignId } = await benchCampaign(dev.url, 'Retrieval bench');
    const book = await ingestSrd(dev.url, token, campaignId);
    const lorekeeper = async (q: string, understanding: boolean): Promise<Ranking> => {
      const res = await api(dev.url, 'GET', `/api/campaigns/${campaignId}/rules/search?limit=60&understanding=${understanding}&q=${encodeURIComponent(q)}`, undefined, token);
      return dedupe(res.hits.map((h: { page: number }) => h.page)).slice(0, 20);
    };
    const rows: [string, Ranking[]][] = [];
    rows.push(['baseline: FTS5 over whole pages', gold.map((g) => baseline(g.q))]);
    rows.push(['lexical, no query understanding', await Promise.all(gold.map((g) => lorekeeper(g.q, false)))]);
    const lexical = await Promise.all(gold.map((g) => lorekeeper(g.q, true)));
    rows.push(['lexical (default)', lexical]);
    for (const w of [0.25, 0.5, 1]) {
      rows.push([`fusion: lexical + ${w} × whole-page`, gold.map((g, i) => fuse([{ weight: 1, ids: lexical[i]! }, { weight: w, ids: rows[0]![1][i]! }]).map((f) => f.id).slice(0, 20))]);
    }
    console.log(`retrieval: ${gold.length} questions over the full SRD (${book.pages} pages, ${book.chunks} chunks; ${gold.filter((g) => g.kind === 'paraphrase').length} paraphrased)`);
    console.log('variant                              |  all: R@5  R@20  MRR  | paraphrased: R@5  R@20  MRR');
    const base = metrics(rows[0]![1], () => true);
    for (const [name, rankings] of rows) {
      const all = metrics(rankings, () => true);
      const para = metrics(rankings, (g) => g.kind === 'paraphrase');
      console.log(`${name.padEnd(36)} | ${fmt(all.r5, 2).padStart(9)} ${fmt(all.r20, 2).padStart(5)} ${fmt(all.mrr, 2).padStart(4)} | ${fmt(para.r5, 2).padStart(16)} ${fmt(para.r20, 2).padStart(5)} ${fmt(para.mrr, 2).padStart(4)}`);
    }
    if (process.env.RETRIEVAL_VERBOSE) {
      // Per question: the rank of the first gold page in each variant (- = not in the top 20).
      gold.forEach((g, i) => console.log(rows.map(([, r]) => { const k = r[i]!.findIndex((p) => g.pages.includes(p)); return k < 0 ? '-' : String(k + 1); }).join('\t'), g.q));
    }
    const best = metrics(lexical, () => true);
    console.log(`\nlexical (default) vs whole-page baseline: MRR ratio ${fmt(best.mrr / base.mrr, 2)}, R@5 ratio ${fmt(best.r5 / base.r5, 2)}`);
  } finally {
    dev.stop();
  }
}

await main();
