/**
 * The retrieval tuning loop, in Node: extracts and chunks the SRD with the
 * ingestion code, indexes it in node:sqlite through the store's own SQL, and
 * runs the gold set's development split (RETRIEVAL_SPLIT=test to look at the
 * test split, which is for reporting, not tuning). Seconds per run instead of
 * the benchmark's minute; `npm run bench:retrieval` is the measurement of
 * record, through the real Worker.
 *
 *   npx tsx bench/retrieval-tune.ts            # metrics per variant
 *   RETRIEVAL_VERBOSE=1 …                      # per question: ranks and the top hit
 *   RETRIEVAL_CHUNKS=/tmp/chunks.json …        # also write the chunks
 */
import { writeFileSync } from 'node:fs';
import { chunkStep, startState, PAGES_PER_STEP } from '../src/rules/ingest';
import { openPdf, pageLines, readOutline } from '../src/rules/pdf';
import { searchRules } from '../src/rules/search';
import { addTerms, insertChunks, RANKING, type BookRow } from '../src/rules/store';
import { OFF_BY_DEFAULT, QUERY_FEATURES } from '../src/rules/query';
import type { Chunk, PageLines } from '../src/rules/chunker';
import { sqliteD1 } from './lib/d1-sqlite';
import { gold, HEADER, rows, type RankedHit } from './lib/retrieval-gold';
import { srdBytes } from './lib/srd';

const started = performance.now();
const pdf = await openPdf(srdBytes());
const outline = await readOutline(pdf);
const chunks: Chunk[] = [];
const freq = new Map<string, number>();
let state: ReturnType<typeof startState> | null = null;
for (let from = 1; from <= pdf.numPages; from += PAGES_PER_STEP) {
  const pages: PageLines[] = [];
  for (let p = from; p < Math.min(pdf.numPages + 1, from + PAGES_PER_STEP); p++) pages.push({ page: p, lines: await pageLines(pdf, p) });
  state ??= startState(pages, outline);
  const step = chunkStep(pages, state, 'rules', from + PAGES_PER_STEP <= pdf.numPages);
  chunks.push(...step.chunks);
  for (const [w, n] of step.freq) freq.set(w, (freq.get(w) ?? 0) + n);
}
const types: Record<string, number> = {};
for (const c of chunks) types[c.contentType] = (types[c.contentType] ?? 0) + 1;
const midSentence = chunks.filter((c, i) => i > 0 && chunks[i - 1]!.page !== c.page && /^[a-z]/.test(c.text)).length;
console.log(`${chunks.length} chunks from ${pdf.numPages} pages in ${((performance.now() - started) / 1000).toFixed(1)} s; outline ${outline.length} entries; types ${JSON.stringify(types)}; first passages of a page starting lower-case: ${midSentence}`);
if (process.env.RETRIEVAL_CHUNKS) writeFileSync(process.env.RETRIEVAL_CHUNKS, JSON.stringify(chunks, null, 1));

const { d1, db } = sqliteD1(new URL('../migrations/', import.meta.url));
db.exec('PRAGMA foreign_keys = OFF');
db.exec("INSERT INTO rulebooks (id, campaign_id, title, filename, r2_key, sha256, size_bytes, status) VALUES ('b', 'c', 'SRD', 'srd.pdf', 'k', 'h', 1, 'ready')");
const book = { id: 'b', campaignId: 'c', generation: 1 } as BookRow;
await insertChunks(d1, book, chunks);
await addTerms(d1, 'b', freq);

// One question's hits with their scores, e.g. RETRIEVAL_QUERY='longsword damage'.
if (process.env.RETRIEVAL_QUERY) {
  const result = await searchRules(d1, 'c', process.env.RETRIEVAL_QUERY, { limit: 10, explain: true });
  console.log(`plan: ${result.plan.match}${result.plan.intent ? ` (intent ${result.plan.intent})` : ''}`);
  for (const h of result.hits) console.log(`${h.page}\t${h.score}\t${JSON.stringify(h.explain)}\t${h.headingPath.join(' › ')} (${h.contentType})\n\t\t${h.snippet.replace(/\n/g, ' ⏎ ').slice(0, 200)}`);
  process.exit(0);
}

const split = process.env.RETRIEVAL_SPLIT ?? 'dev';
const questions = gold.filter((g) => split === 'all' || g.split === split);
type Variant = [string, Parameters<typeof searchRules>[3]];
const variants: Variant[] = [
  ['plain keyword search', { limit: 20, understanding: false }],
  ['default', { limit: 20 }],
  ...(process.env.RETRIEVAL_ABLATION === '0' ? [] : QUERY_FEATURES.map((f): Variant => (OFF_BY_DEFAULT.includes(f) ? [`with ${f}`, { limit: 20, with: [f] }] : [`without ${f}`, { limit: 20, without: [f] }]))),
];
// Ranking knobs for tuning, e.g. RANKING='{"pathWeight":2}'.
if (process.env.RANKING) Object.assign(RANKING, JSON.parse(process.env.RANKING));
console.log(`${questions.length} questions (${split} split)\n${HEADER}`);
const latencies: number[] = [];
for (const [name, opts] of variants) {
  const rankings: RankedHit[][] = [];
  for (const g of questions) {
    const t = performance.now();
    const result = await searchRules(d1, 'c', g.q, opts);
    if (name === 'default') latencies.push(performance.now() - t);
    rankings.push(result.hits.map((h) => ({ page: h.page, snippet: h.snippet })));
    if (process.env.RETRIEVAL_VERBOSE && name === (process.env.RETRIEVAL_VERBOSE_VARIANT ?? 'default')) {
      const pages = [...new Set(result.hits.map((h) => h.page))];
      const rank = pages.findIndex((p) => g.pages.includes(p));
      const top = result.hits[0];
      const norm = (t: string) => t.replace(/<\/?mark>/g, '').replace(/\s+/g, ' ').toLowerCase();
      if (process.env.RETRIEVAL_VERBOSE === 'snippets') {
        if (top && g.answerPages.includes(top.page) && !norm(top.snippet).includes(norm(g.answer))) console.log(`SNIPPET MISS ${g.q} → ${top.page} ${top.headingPath.join(' › ')}\n\t${top.snippet.replace(/\n/g, ' ⏎ ')}\n\twant: ${g.answer}`);
        continue;
      }
      console.log(`${rank < 0 ? '-' : rank + 1}\t${g.kind[0]}\t${g.q}\t[${g.pages}] → ${top ? `${top.page} ${top.headingPath.join(' › ')} (${top.contentType})` : 'nothing'}${process.env.RETRIEVAL_VERBOSE === '2' && top ? `\n\t\t${top.snippet}\n\t\twant: ${g.answer}\n\t\tplan: ${result.plan.match}` : ''}`);
    }
  }
  for (const line of rows(name, rankings, questions)) console.log(line);
}
latencies.sort((a, b) => a - b);
console.log(`default search latency in node:sqlite: p50 ${latencies[Math.floor(latencies.length / 2)]!.toFixed(2)} ms, p95 ${latencies[Math.floor(latencies.length * 0.95)]!.toFixed(2)} ms`);
