/**
 * Content check speed: a 50 KB homebrew text scanned against every entity
 * (spell, monster, item and condition headings) of the full SRD.
 *
 * The entity list comes from the project's own extraction and chunking of the
 * SRD in Node (as ingestion makes it). Baseline, in the same process: the
 * previous algorithm, which compared every capitalised phrase with every entity
 * by edit distance (run on a 5 KB slice, since on 50 KB it takes tens of
 * seconds). Two texts: homebrew prose that names real and misspelled entities,
 * and a worst case where every word is capitalised and unique.
 * Target: a 50 KB text in under 1 s.
 */
import { bodySize, chunkPages, newChunkerState, type PageLines } from '../src/rules/chunker';
import { ENTITY_CONTENT_TYPES, EntityIndex, NOT_ENTITIES, type EntityDefinition } from '../src/rules/entity-check';
import { openPdf, pageLines } from '../src/rules/pdf';
import { editDistance } from '../src/rules/query';
import { fmt } from './lib/stats';
import { srdBytes } from './lib/srd';

async function srdEntities(): Promise<EntityDefinition[]> {
  const pdf = await openPdf(srdBytes());
  const pages: PageLines[] = [];
  for (let page = 1; page <= pdf.numPages; page++) pages.push({ page, lines: await pageLines(pdf, page) });
  await pdf.destroy();
  const chunks = chunkPages(pages, bodySize(pages.slice(0, 20)), newChunkerState(), 'rules');
  const byName = new Map<string, EntityDefinition>();
  for (const c of chunks) {
    if (!ENTITY_CONTENT_TYPES.includes(c.contentType) || !c.heading || NOT_ENTITIES.includes(c.heading.toLowerCase())) continue;
    if (!byName.has(`${c.heading}|${c.contentType}`)) byName.set(`${c.heading}|${c.contentType}`, { name: c.heading, type: c.contentType, pages: [{ rulebookId: 'srd', page: c.page }] });
  }
  return [...byName.values()];
}

/** The algorithm before the letter-pair index: every phrase against every entity. */
function naiveClosest(names: string[], phrase: string): string | null {
  const k = phrase.toLowerCase().replace(/[^a-z0-9' ]/g, '').replace(/\s+/g, ' ').trim();
  const allowed = k.length <= 5 ? 1 : k.length <= 10 ? 2 : 3;
  let best: string | null = null;
  let bestDistance = allowed + 1;
  for (const name of names) {
    const d = editDistance(k, name, allowed);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

function naiveScan(names: string[], index: EntityIndex, text: string): number {
  const tokens = [...text.matchAll(/[A-Za-z][A-Za-z'’-]*/g)].map((m) => m[0]);
  let found = 0;
  for (let i = 0; i < tokens.length; i++) {
    for (let n = Math.min(4, tokens.length - i); n >= 1; n--) {
      const phrase = tokens.slice(i, i + n).join(' ');
      if (index.exact(phrase)) { found++; break; }
      if (n >= 2 && tokens.slice(i, i + n).every((t) => /^[A-Z]/.test(t)) && naiveClosest(names, phrase)) { found++; break; }
    }
  }
  return found;
}

function homebrew(entities: EntityDefinition[], bytes: number): string {
  const filler = 'The warlock of the sunken vault bargains with travellers and keeps a ledger of every promise. ';
  const parts: string[] = [];
  let i = 0;
  while (parts.join('').length < bytes) {
    const e = entities[(i * 7919) % entities.length]!.name;
    const typo = i % 3 === 0 ? e.slice(0, -2) + e.slice(-1) : e;
    parts.push(`${filler}She casts ${typo} and summons a ${entities[(i * 104729) % entities.length]!.name}. `);
    i++;
  }
  return parts.join('').slice(0, bytes);
}

function capitalisedWorstCase(bytes: number): string {
  const words: string[] = [];
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  while (words.join(' ').length < bytes) {
    const len = 4 + Math.floor(rand() * 8);
    let w = String.fromCharCode(65 + Math.floor(rand() * 26));
    for (let j = 1; j < len; j++) w += String.fromCharCode(97 + Math.floor(rand() * 26));
    words.push(w);
  }
  return words.join(' ').slice(0, bytes);
}

function time<T>(fn: () => T): { ms: number; result: T } {
  const started = performance.now();
  const result = fn();
  return { ms: performance.now() - started, result };
}

async function main() {
  const entities = await srdEntities();
  const names = entities.map((e) => e.name.toLowerCase());
  console.log(`content check: ${entities.length} SRD entities`);
  for (const [label, make] of [['homebrew prose', (n: number) => homebrew(entities, n)], ['every word capitalised', capitalisedWorstCase]] as const) {
    const big = make(50_000);
    const small = make(5_000);
    const indexed = time(() => new EntityIndex(entities).scanText(big));
    const indexedSmall = time(() => new EntityIndex(entities).scanText(small));
    const naive = time(() => naiveScan(names, new EntityIndex(entities), small));
    console.log(`${label}: 50 KB in ${fmt(indexed.ms)} ms (${indexed.result.length} findings) — target < 1000 ms: ${indexed.ms < 1000 ? 'met' : 'MISSED'}`);
    console.log(`  5 KB: indexed ${fmt(indexedSmall.ms)} ms vs all-pairs baseline ${fmt(naive.ms)} ms — ratio ${fmt(naive.ms / indexedSmall.ms, 1)}× faster`);
  }
}

await main();
