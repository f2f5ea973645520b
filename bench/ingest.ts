/**
 * Ingestion throughput: the full SRD (403 pages) through the real path
 * (upload → R2 → queue steps → pdf.js extraction, chunking, D1 + FTS5) under
 * `wrangler dev`, against pdf.js text extraction alone in Node in the same
 * run. The ratio is the overhead of the pipeline.
 */
import { getDocumentProxy } from 'unpdf';
import { benchCampaign } from './lib/api';
import { fmt, median } from './lib/stats';
import { ingestSrd, srdBytes } from './lib/srd';
import { startWranglerDev } from './lib/wrangler-dev';

async function extractionAlone(): Promise<{ pages: number; seconds: number }> {
  const started = performance.now();
  const pdf = await getDocumentProxy(srdBytes());
  for (let p = 1; p <= pdf.numPages; p++) {
    const page = await pdf.getPage(p);
    await page.getTextContent();
    page.cleanup();
  }
  const pages = pdf.numPages;
  await pdf.destroy();
  return { pages, seconds: (performance.now() - started) / 1000 };
}

/** Rounds of each, interleaved (INGEST_ROUNDS, default 3): single runs of the pipeline ranged over 0.39–0.64 of pdf.js's speed on one machine. */
const ROUNDS = Math.max(1, Number(process.env.INGEST_ROUNDS ?? 3));

async function main() {
  const dev = await startWranglerDev(8797, { RATE_LIMIT_USER_PER_MINUTE: '100000', RATE_LIMIT_IP_PER_MINUTE: '100000' });
  try {
    const pipeline: number[] = [];
    const alone: number[] = [];
    let chunks = 0;
    let pages = 0;
    console.log('ingest: full SRD, upload to searchable');
    for (let round = 1; round <= ROUNDS; round++) {
      const baseline = await extractionAlone();
      // A campaign per round: the same file twice in one campaign is a duplicate.
      const { token, campaignId } = await benchCampaign(dev.url, `Ingest bench ${round}`);
      const run = await ingestSrd(dev.url, token, campaignId);
      pipeline.push(run.pages / run.seconds);
      alone.push(baseline.pages / baseline.seconds);
      chunks = run.chunks;
      pages = run.pages;
      console.log(`round ${round}: pipeline (wrangler dev) ${run.pages} pages in ${fmt(run.seconds, 2)} s = ${fmt(pipeline.at(-1)!)} pages/s; pdf.js extraction alone (Node) ${fmt(baseline.seconds, 2)} s = ${fmt(alone.at(-1)!)} pages/s; ratio ${fmt(pipeline.at(-1)! / alone.at(-1)!, 3)}`);
    }
    const [p, a] = [median(pipeline), median(alone)];
    console.log(`pipeline (wrangler dev): ${pages} pages, ${chunks} chunks, median of ${ROUNDS} rounds ${fmt(p)} pages/s`);
    console.log(`pdf.js extraction alone (Node): median of ${ROUNDS} rounds ${fmt(a)} pages/s`);
    console.log(`ratio pipeline/extraction (medians): ${fmt(p / a, 3)} (the pipeline's overhead: ${fmt(a / p, 1)}× slower; target ≤ 2×)`);
  } finally {
    dev.stop();
  }
}

await main();
