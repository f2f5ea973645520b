/**
 * Ingestion steps driven directly, as the queue would. Large PDFs are read
 * from R2 by ranges, so a step never holds the whole file: forcing that path
 * on the SRD excerpt must give exactly the passages the whole-file path gives.
 * A retried step must give them too.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/db/client';
import { runIngestStep, type IngestMessage, type ReadOptions } from '../../src/rules/ingest';
import { call, registerUser } from '../support/api';
import { fixture } from '../support/rulebooks';

/** Ingests the excerpt step by step; the first `failedSends` attempts to queue a next step fail, and the step is retried as the queue would. */
async function ingestDirectly(campaignId: string, read: ReadOptions | undefined, files: R2Bucket, failedSends = 0) {
  const id = newId();
  const key = `rulebooks/${campaignId}/${id}.pdf`;
  await env.FILES.put(key, fixture('srd-small.pdf'));
  await env.DB.prepare("INSERT INTO rulebooks (id, campaign_id, title, filename, r2_key, sha256, size_bytes, status) VALUES (?, ?, 'SRD', 'srd.pdf', ?, ?, 1, 'uploaded')")
    .bind(id, campaignId, key, id).run();
  const queue: IngestMessage[] = [{ rulebookId: id, generation: 1, fromPage: 1 }];
  let failures = failedSends;
  const send = async (m: IngestMessage) => {
    if (failures-- > 0) throw new Error('queue unavailable');
    queue.push(m);
  };
  const stepEnv = { ...env, FILES: files, INGEST_QUEUE: { send } } as unknown as Env;
  for (let i = 0; i < queue.length; i++) {
    for (let attempt = 1; ; attempt++) {
      try {
        await runIngestStep(stepEnv, queue[i]!, attempt, read);
        break;
      } catch (err) {
        if (attempt >= 5) throw err;
      }
    }
  }
  const chunks = await env.DB.prepare('SELECT page, heading, content_type, text FROM rulebook_chunks WHERE rulebook_id = ? ORDER BY page, id').bind(id).all();
  const book = await env.DB.prepare('SELECT status, chunk_count FROM rulebooks WHERE id = ?').bind(id).first<{ status: string; chunk_count: number }>();
  return { status: book!.status, chunkCount: book!.chunk_count, chunks: chunks.results };
}

describe('range loading', () => {
  it('indexes a PDF read by ranges exactly like one read whole, never fetching the whole file', async () => {
    const gm = await registerUser('ranges');
    const { body: campaign } = await call('POST', '/api/campaigns', { token: gm.token, body: { name: 'Ranges' } });
    const reads = { whole: 0, ranges: 0, bytes: 0 };
    const spy = {
      head: (key: string) => env.FILES.head(key),
      get: async (key: string, options?: R2GetOptions) => {
        const object = await env.FILES.get(key, options);
        if (options?.range) {
          reads.ranges++;
          reads.bytes += (options.range as { length: number }).length;
        } else reads.whole++;
        return object;
      },
    } as unknown as R2Bucket;
    // 64 KB ranges: pdf.js must ask for the parts of the 564 KB file it needs.
    const byRanges = await ingestDirectly(campaign.id, { rangeThreshold: 0, rangeChunkBytes: 64 * 1024 }, spy);
    const whole = await ingestDirectly(campaign.id, undefined, env.FILES);
    expect(byRanges.status).toBe('ready');
    expect(byRanges.chunks.length).toBeGreaterThan(200);
    expect(byRanges.chunks).toEqual(whole.chunks);
    expect(reads.whole).toBe(0);
    // Several 64 KB parts per step (two steps for 47 pages), never the whole file.
    expect(reads.ranges).toBeGreaterThan(4);
  }, 120_000);
});

describe('retries', () => {
  it('a step whose next step could not be queued is not redone from the later state: the same passages, counted once', async () => {
    const gm = await registerUser('retries');
    const { body: campaign } = await call('POST', '/api/campaigns', { token: gm.token, body: { name: 'Retries' } });
    const retried = await ingestDirectly(campaign.id, undefined, env.FILES, 1);
    const clean = await ingestDirectly(campaign.id, undefined, env.FILES);
    expect(retried.status).toBe('ready');
    expect(retried.chunks).toEqual(clean.chunks);
    expect(retried.chunkCount).toBe(clean.chunks.length);
  }, 120_000);
});
