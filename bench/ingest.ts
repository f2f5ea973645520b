/**
 * Ingestion throughput: the full SRD (403 pages) through the real path
 * (upload → R2 → queue steps → pdf.js extraction, chunking, D1 + FTS5) under
 * `wrangler dev`, against pdf.js text extraction alone in Node in the same
 * run. The ratio is the overhead of the pipeline.
 */
import { getDocumentProxy } from 'unpdf';
import { benchCampaign } from './lib/api';
import { fmt } from './lib/stats';
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

async function main() {
  const baseline = await extractionAlone();
  const dev = await startWranglerDev(8797, { RATE_LIMIT_USER_PER_MINUTE: '100000', RATE_LIMIT_IP_PER_MINUTE: '100000' });
  try {
    const { token, campaignId } = await benchCampaign(dev.url, 'Ingest bench');
    const run = await ingestSrd(dev.url, token, campaignId);
    const pipeline = run.pages / run.seconds;
    const alone = baseline.pages / baseline.seconds;
    console.log('ingest: full SRD, upload to searchable');
    console.log(`pipeline (wrangler dev): ${run.pages} pages, ${run.chunks} chunks in ${fmt(run.seconds, 2)} s = ${fmt(pipeline)} pages/s`);
    console.log(`pdf.js extraction alone (Node): ${baseline.pages} pages in ${fmt(baseline.seconds, 2)} s = ${fmt(alone)} pages/s`);
    console.log(`ratio pipeline/extraction: ${fmt(pipeline / alone, 3)} (the pipeline's overhead: ${fmt(alone / pipeline, 1)}× slower)`);
  } finally {
    dev.stop();
  }
}

await main();
