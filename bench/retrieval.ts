/**
 * Retrieval quality and latency on the gold set (bench/retrieval-gold.json:
 * player questions over the full SRD, a third paraphrased, each with the
 * pages and the sentence that answer it; a development split to tune on and
 * a test split reported here), through the real Worker:
 *
 *  - baseline: plain SQLite FTS5 (porter, bm25) over whole PDF pages, in Node;
 *  - reference: the search as it was before the rules-quality work (commit
 *    REFERENCE below, run from a git worktree in a second wrangler dev);
 *  - Lorekeeper: plain keyword search, the default, and one row per
 *    query-understanding feature switched (the ablation).
 *
 * Reports R@5, R@20 (a question counts when a gold page is among the first k
 * distinct pages), MRR, P@1 and how often the top hit's snippet holds the
 * answering sentence when the hit is on its page, per kind; then p50/p95
 * latency of the default search against the reference, interleaved.
 * Semantic (Vectorize) variants need Workers AI and are not available locally.
 *
 *   npm run bench:retrieval                 RETRIEVAL_SPLIT=dev|test|all (default test)
 *   RETRIEVAL_REFERENCE=none                skip the reference server
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { getDocumentProxy } from 'unpdf';
import { itemsToLines, type TextItem } from '../src/rules/layout';
import { OFF_BY_DEFAULT, QUERY_FEATURES, queryWords } from '../src/rules/query';
import { api, benchCampaign } from './lib/api';
import { gold, HEADER, measure, rows, type Gold, type RankedHit } from './lib/retrieval-gold';
import { fmt, percentile } from './lib/stats';
import { ingestSrd, srdBytes } from './lib/srd';
import { startWranglerDev, type DevServer } from './lib/wrangler-dev';

/** The last commit before the rules-quality work: "today's" search the issue measured. */
const REFERENCE = process.env.RETRIEVAL_REFERENCE ?? 'c3764f6';
const SPLIT = process.env.RETRIEVAL_SPLIT ?? 'test';
const LIMITS = { RATE_LIMIT_USER_PER_MINUTE: '100000', RATE_LIMIT_IP_PER_MINUTE: '100000', RATE_LIMIT_RULES_SEARCH_PER_MINUTE: '100000' };
const root = fileURLToPath(new URL('..', import.meta.url));

async function wholePageBaseline(): Promise<(q: string) => RankedHit[]> {
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
    return (search.all(terms.map((t) => `"${t}"`).join(' OR ')) as { page: number }[]).map((r) => ({ page: r.page }));
  };
}

/** A worktree of the reference commit sharing this checkout's node_modules, or null when git cannot make one. */
function referenceCheckout(): { dir: string; remove(): void } | null {
  if (REFERENCE === 'none') return null;
  const dir = mkdtempSync(join(tmpdir(), 'lorekeeper-reference-'));
  try {
    execFileSync('git', ['worktree', 'add', '--detach', dir, REFERENCE], { cwd: root, stdio: 'ignore' });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    if (existsSync(join(root, 'public/vendor'))) cpSync(join(root, 'public/vendor'), join(dir, 'public/vendor'), { recursive: true });
    return { dir, remove: () => { try { execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' }); } catch { rmSync(dir, { recursive: true, force: true }); } } };
  } catch (err) {
    console.log(`(no reference run: git worktree for ${REFERENCE} failed: ${(err as Error).message.split('\n')[0]})`);
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

interface Target { server: DevServer; token: string; campaignId: string }

async function prepare(server: DevServer, label: string): Promise<Target> {
  const { token, campaignId } = await benchCampaign(server.url, `Retrieval bench (${label})`);
  const book = await ingestSrd(server.url, token, campaignId);
  console.log(`${label}: SRD ingested in ${fmt(book.seconds)} s (${book.pages} pages, ${book.chunks} chunks)`);
  return { server, token, campaignId };
}

async function search(t: Target, q: string, params: string): Promise<{ hits: RankedHit[]; ms: number }> {
  const started = performance.now();
  const res = await api(t.server.url, 'GET', `/api/campaigns/${t.campaignId}/rules/search?limit=20&q=${encodeURIComponent(q)}${params}`, undefined, t.token);
  return { hits: res.hits.map((h: { page: number; snippet: string }) => ({ page: h.page, snippet: h.snippet })), ms: performance.now() - started };
}

async function main() {
  const questions: Gold[] = gold.filter((g) => SPLIT === 'all' || g.split === SPLIT);
  const baseline = await wholePageBaseline();
  const reference = referenceCheckout();
  const servers: DevServer[] = [];
  try {
    servers.push(await startWranglerDev(8796, LIMITS));
    const current = await prepare(servers[0]!, 'Lorekeeper');
    let old: Target | null = null;
    if (reference) {
      servers.push(await startWranglerDev(8797, LIMITS, { cwd: reference.dir }));
      old = await prepare(servers[1]!, `reference ${REFERENCE}`);
    }

    const variants: [string, string][] = [
      ['Lorekeeper, plain keyword search', '&understanding=false'],
      ['Lorekeeper (default)', ''],
      ...QUERY_FEATURES.map((f): [string, string] => (OFF_BY_DEFAULT.includes(f) ? [`  ablation: with ${f}`, `&with=${f}`] : [`  ablation: without ${f}`, `&without=${f}`])),
    ];
    const results: [string, RankedHit[][]][] = [['baseline: FTS5 over whole pages', questions.map((g) => baseline(g.q))]];
    // Latency: the default and the reference, question by question in turn, three rounds.
    const latency = { current: [] as number[], reference: [] as number[] };
    let defaults: RankedHit[][] = [];
    for (let round = 0; round < 3; round++) {
      const ranked: RankedHit[][] = [];
      const previous: RankedHit[][] = [];
      for (const g of questions) {
        const now = await search(current, g.q, '');
        ranked.push(now.hits);
        if (round > 0) latency.current.push(now.ms);
        if (old) {
          const then = await search(old, g.q, '');
          previous.push(then.hits.map((h) => ({ page: h.page, snippet: h.snippet })));
          if (round > 0) latency.reference.push(then.ms);
        }
      }
      if (round === 0) {
        defaults = ranked;
        if (old) results.push([`reference ${REFERENCE} (before this work)`, previous]);
      }
    }
    for (const [name, params] of variants) {
      results.push([name, params === '' ? defaults : await Promise.all(questions.map(async (g) => (await search(current, g.q, params)).hits))]);
    }

    console.log(`\nretrieval: ${questions.length} questions of the ${SPLIT} split (${questions.filter((g) => g.kind === 'paraphrase').length} paraphrased), full SRD\n${HEADER}`);
    for (const [name, rankings] of results) for (const line of rows(name, rankings, questions)) console.log(line);

    const by = (kind: Gold['kind'] | null, rankings: RankedHit[][]) => {
      const idx = questions.map((g, i) => [g, i] as const).filter(([g]) => kind === null || g.kind === kind);
      return measure(idx.map(([, i]) => rankings[i]!), idx.map(([g]) => g));
    };
    const base = (k: Gold['kind'] | null) => by(k, results[0]![1]);
    const mine = (k: Gold['kind'] | null) => by(k, defaults);
    const check = (label: string, value: number, target: number) => console.log(`${value >= target ? 'met   ' : 'MISSED'} ${label.padEnd(48)} ${fmt(value, 3)} (target ${fmt(target, 3)})`);
    console.log('\ntargets (default search, this split):');
    for (const kind of ['keyword', 'paraphrase'] as const) {
      check(`${kind} R@5 ≥ whole-page baseline`, mine(kind).r5, base(kind).r5);
      check(`${kind} R@20 ≥ whole-page baseline`, mine(kind).r20, base(kind).r20);
      check(`${kind} MRR ≥ whole-page baseline`, mine(kind).mrr, base(kind).mrr);
    }
    check('keyword R@5', mine('keyword').r5, 0.95);
    check('keyword MRR', mine('keyword').mrr, 0.85);
    check('keyword P@1', mine('keyword').p1, 0.8);
    check('paraphrase R@5', mine('paraphrase').r5, 0.6);
    check('overall MRR', mine(null).mrr, 0.8);
    check('top snippet holds the answer (page right)', mine(null).snippet ?? 0, 0.8);

    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const cur = sorted(latency.current);
    console.log(`\nsearch latency through wrangler dev (rounds 2-3, ${cur.length} searches each): default p50 ${fmt(percentile(cur, 50))} ms, p95 ${fmt(percentile(cur, 95))} ms`);
    if (latency.reference.length) {
      const ref = sorted(latency.reference);
      const ratio = percentile(cur, 95) / percentile(ref, 95);
      console.log(`reference ${REFERENCE}: p50 ${fmt(percentile(ref, 50))} ms, p95 ${fmt(percentile(ref, 95))} ms; p95 ratio default/reference ${fmt(ratio, 2)} (target ≤ 1.50: ${ratio <= 1.5 ? 'met' : 'MISSED'})`);
    }
  } finally {
    for (const s of servers) s.stop();
    reference?.remove();
  }
}

await main();
