/**
 * Large PDFs are read from R2 by ranges, so a step never holds the whole file.
 * Forcing that path on the SRD excerpt must give exactly the passages the
 * whole-file path gives.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/db/client';
import { runIngestStep, type IngestMessage, type ReadOptions } from '../../src/rules/ingest';
import { call, registerUser } from '../support/api';
import { fixture } from '../support/rulebooks';

async function ingestDirectly(campaignId: string, read: ReadOptions | undefined, files: R2Bucket) {
  const id = newId();
  const key = `rulebooks/${campaignId}/${id}.pdf`;
  await env.FILES.put(key, fixture('srd-small.pdf'));
  await env.DB.prepare("INSERT INTO rulebooks (id, campaign_id, title, filename, r2_key, sha256, size_bytes, status) VALUES (?, ?, 'SRD', 'srd.pdf', ?, ?, 1, 'uploaded')")
    .bind(id, campaignId, key, id).run();
  const queue: IngestMessage[] = [{ rulebookId: id, generation: 1, fromPage: 1 }];
  const stepEnv = { ...env, FILES: files, INGEST_QUEUE: { send: async (m: IngestMessage) => void queue.push(m) } } as unknown as Env;
  for (let i = 0; i < queue.length; i++) await runIngestStep(stepEnv, queue[i]!, 1, read);
  const chunks = await env.DB.prepare('SELECT page, heading, content_type, text FROM rulebook_chunks WHERE rulebook_id = ? ORDER BY page, id').bind(id).all();
  const book = await env.DB.prepare('SELECT status FROM rulebooks WHERE id = ?').bind(id).first<{ status: string }>();
  return { status: book!.status, chunks: chunks.results };
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
