/**
 * The production path (Workers AI + Vectorize) with typed fakes of both
 * bindings: ingestion embeds and upserts every chunk with metadata in the
 * campaign's namespace; search fuses lexical and semantic ranks; deleting
 * removes the vectors.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/db/client';
import { deleteChunkVectors, type SemanticBindings } from '../../src/rules/embeddings';
import { fuse } from '../../src/rules/fusion';
import { PAGES_PER_STEP, runIngestStep, type IngestMessage } from '../../src/rules/ingest';
import { searchRules } from '../../src/rules/search';
import { call, registerUser } from '../support/api';
import { FakeAi, FakeVectorize } from '../support/fake-semantic';
import { fixture } from '../support/rulebooks';

describe('fusion', () => {
  it('weights each list by rank', () => {
    expect(fuse([{ weight: 1, ids: [3, 1, 2] }, { weight: 0.5, ids: [2, 3] }]).map((f) => f.id)).toEqual([3, 2, 1]);
    expect(fuse([{ weight: 0, ids: [1] }, { weight: 1, ids: [2] }]).map((f) => f.id)).toEqual([2, 1]);
  });
});

/** A campaign with the SRD excerpt stored and registered, not yet ingested (the tests drive the steps themselves). */
async function storedExcerpt(name: string) {
  const gm = await registerUser(name);
  const { body: campaign } = await call('POST', '/api/campaigns', { token: gm.token, body: { name } });
  const id = newId();
  const key = `rulebooks/${campaign.id}/${id}.pdf`;
  await env.FILES.put(key, fixture('srd-small.pdf'));
  await env.DB.prepare("INSERT INTO rulebooks (id, campaign_id, title, filename, r2_key, sha256, size_bytes, status) VALUES (?, ?, 'SRD', 'srd.pdf', ?, 'x', 1, 'uploaded')")
    .bind(id, campaign.id, key).run();
  return { campaign: campaign as { id: string }, id };
}

describe('semantic ingestion and search (fake bindings)', () => {
  it('embeds chunks into the campaign namespace, fuses results, and deletes vectors', async () => {
    const { campaign, id } = await storedExcerpt('semantic');

    const ai = new FakeAi();
    const index = new FakeVectorize();
    const sent: IngestMessage[] = [{ rulebookId: id, generation: 1, fromPage: 1 }];
    const fakeEnv = { ...env, AI: ai, VECTORIZE: index, INGEST_QUEUE: { send: async (m: IngestMessage) => void sent.push(m) } } as unknown as Env;
    for (let i = 0; i < sent.length; i++) await runIngestStep(fakeEnv, sent[i]!, 1);

    const book = await env.DB.prepare('SELECT status, chunk_count FROM rulebooks WHERE id = ?').bind(id).first<{ status: string; chunk_count: number }>();
    expect(book!.status).toBe('ready');
    expect(sent.map((m) => m.fromPage)).toEqual([1, 1 + PAGES_PER_STEP]);
    expect(index.vectors.size).toBe(book!.chunk_count);
    expect(ai.calls.every((c) => c.texts <= 50)).toBe(true);
    const sample = [...index.vectors.values()][0]!;
    expect(sample).toMatchObject({ namespace: campaign.id, metadata: { campaignId: campaign.id, rulebookId: id } });
    expect(sample.id).toMatch(new RegExp(`^${id}:\\d+$`));

    const bindings: SemanticBindings = { ai, index };
    const result = await searchRules(env.DB, campaign.id, 'turn bones or a corpse into an undead skeleton or zombie servant', { limit: 5, explain: true }, bindings);
    expect(result.semantic).toBe(true);
    expect(result.hits.length).toBe(5);
    expect(result.hits.some((h) => h.explain!.semanticRank !== null)).toBe(true);
    // Found by both lists (the fake embedding is a bag of words, so the question shares the spell's words).
    const animate = result.hits.find((h) => h.headingPath[h.headingPath.length - 1] === 'Animate Dead');
    expect(animate?.explain).toMatchObject({ lexicalRank: expect.any(Number), semanticRank: expect.any(Number) });
    // Another campaign's namespace is empty: nothing leaks.
    const other = await searchRules(env.DB, crypto.randomUUID(), 'animate dead', { limit: 5 }, bindings);
    expect(other.hits).toEqual([]);

    const chunkIds = (await env.DB.prepare('SELECT id FROM rulebook_chunks WHERE rulebook_id = ?').bind(id).all<{ id: number }>()).results.map((r) => r.id);
    await deleteChunkVectors(bindings, id, chunkIds);
    expect(index.vectors.size).toBe(0);
  }, 120_000);

  it('a retried step removes the vectors of the passages its failed attempt wrote', async () => {
    const { campaign, id } = await storedExcerpt('semantic-retry');
    // The index applies the first step's vectors but answers with an error (a timeout after the write), once.
    const ai = new FakeAi();
    const index = new FakeVectorize();
    const upsert = index.upsert.bind(index);
    let upserts = 0;
    index.upsert = async (vectors) => {
      await upsert(vectors);
      if (++upserts === 1) throw new Error('index timed out');
      return { mutationId: 'fake' };
    };
    const sent: IngestMessage[] = [{ rulebookId: id, generation: 1, fromPage: 1 }];
    const fakeEnv = { ...env, AI: ai, VECTORIZE: index, INGEST_QUEUE: { send: async (m: IngestMessage) => void sent.push(m) } } as unknown as Env;
    await expect(runIngestStep(fakeEnv, sent[0]!, 1)).rejects.toThrow('index timed out');
    expect(index.vectors.size).toBeGreaterThan(100);
    for (let i = 0; i < sent.length; i++) await runIngestStep(fakeEnv, sent[i]!, i === 0 ? 2 : 1);

    const book = await env.DB.prepare('SELECT status, chunk_count FROM rulebooks WHERE id = ?').bind(id).first<{ status: string; chunk_count: number }>();
    const chunkIds = (await env.DB.prepare('SELECT id FROM rulebook_chunks WHERE rulebook_id = ?').bind(id).all<{ id: number }>()).results.map((r) => `${id}:${r.id}`);
    expect(book!.status).toBe('ready');
    expect(chunkIds.length).toBe(book!.chunk_count);
    // One vector per passage, and none left pointing at a passage the retry replaced.
    expect([...index.vectors.keys()].sort()).toEqual(chunkIds.sort());
  }, 120_000);
});
