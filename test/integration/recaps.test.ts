/**
 * Recaps are searchable, each audience only what it may read (players: the player-safe recap and titles; the GM:
 * the GM's too), lexically everywhere and fused with Vectorize where it is bound (typed fakes); later narrations
 * read the earlier recaps that bear on the request.
 */
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { GameSession } from '../../src/objects/game-session';
import type { EmbeddingAi, VectorIndex } from '../../src/rules/embeddings';
import { prepareNarration } from '../../src/services/narrator';
import { indexRecapVectors, searchRecaps } from '../../src/services/recaps';
import { systemScope } from '../../src/services/scope';
import { call, isProblem, setUpTable, type Table } from '../support/api';

async function endedSession(t: Table, title: string, recap: string, gmRecap: string): Promise<string> {
  const s = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title } });
  await call('POST', `/api/sessions/${s.body.id}/start`, { token: t.gm.token });
  await call('POST', `/api/sessions/${s.body.id}/end`, { token: t.gm.token });
  for (let i = 0; i < 100; i++) {
    if ((await call('GET', `/api/sessions/${s.body.id}`, { token: t.gm.token })).body.recapStatus === 'ready') break;
    await new Promise((r) => setTimeout(r, 30));
  }
  const edited = await call('PATCH', `/api/sessions/${s.body.id}`, { token: t.gm.token, body: { recap, gmRecap } });
  expect(edited.status).toBe(200);
  return s.body.id;
}

const search = (t: Table, q: string, token: string) => call('GET', `/api/campaigns/${t.campaignId}/recaps?q=${encodeURIComponent(q)}`, { token });

describe('recap search', () => {
  it('finds sessions by their recaps; players never match or see the GM recap; other tenants get 404', async () => {
    const t = await setUpTable();
    const bridge = await endedSession(t, 'The bridge', 'Goblins ambushed the party at the rope bridge; Tamsin cut it down.', 'The goblins were paid by the abbot, who is secretly a cultist.');
    await endedSession(t, 'The abbey', 'The party reached the drowned abbey and met Sister Maud.', 'Maud lied about the relic.');
    const player = await search(t, 'goblins bridge', t.player.token);
    expect(player.status).toBe(200);
    expect(player.body).toMatchObject({ semantic: false, items: [{ sessionId: bridge, title: 'The bridge' }] });
    expect(player.body.items[0].snippet).toMatch(/<mark>Goblins<\/mark>/);
    // The GM's recap is theirs: a player's search cannot match it, nor show it.
    expect((await search(t, 'cultist', t.player.token)).body.items).toEqual([]);
    expect((await search(t, 'cultist', t.spectator.token)).body.items).toEqual([]);
    const gm = await search(t, 'cultist', t.gm.token);
    expect(gm.body.items).toEqual([expect.objectContaining({ sessionId: bridge, snippet: expect.stringContaining('<mark>cultist</mark>') })]);
    // An edit is searched by its new words.
    await call('PATCH', `/api/sessions/${bridge}`, { token: t.gm.token, body: { recap: 'A quiet crossing at the ford.' } });
    expect((await search(t, 'goblins', t.player.token)).body.items).toEqual([]);
    expect((await search(t, 'ford', t.player.token)).body.items).toHaveLength(1);
    // Operators and punctuation are words, not syntax; nothing to search is an empty answer.
    expect((await search(t, 'NEAR(abbey "maud" OR *', t.player.token)).body.items.map((i: { title: string }) => i.title)).toEqual(['The abbey']);
    expect((await search(t, '!!!', t.player.token)).body.items).toEqual([]);
    expect(isProblem(await search(t, 'abbey', t.outsider.token), 404)).toBe(true);
    expect(isProblem(await call('GET', `/api/campaigns/${t.campaignId}/recaps?q=${'x'.repeat(201)}`, { token: t.gm.token }), 400)).toBe(true);
    expect((await search(t, 'abbey', t.otherGm.token)).status).toBe(404);
  });

  it('a later narration reads the earlier recaps that bear on the request, as its audience may', async () => {
    const t = await setUpTable();
    await endedSession(t, 'The bridge', 'Goblins ambushed the party at the rope bridge.', 'The abbot paid the goblins; he is a cultist.');
    await endedSession(t, 'The abbey', 'The party reached the drowned abbey.', 'Nothing else.');
    const live = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Session 3' } });
    await call('POST', `/api/sessions/${live.body.id}/start`, { token: t.gm.token });
    const stub = env.GAME_SESSION.get(env.GAME_SESSION.idFromName(live.body.id));
    const prompt = async (audience: 'all' | 'gm', text: string) => {
      const request = await runInDurableObject(stub, (i: GameSession) => i.narrationRequest({ type: 'narrate', prompt: text, kind: 'scene', audience }, t.campaignId));
      return (await prepareNarration(systemScope(env), request)).messages[1]!.content;
    };
    const table = await prompt('all', 'The party returns to the goblin bridge');
    expect(table).toMatch(/<earlier>\nThe bridge\nGoblins ambushed the party at the rope bridge\.\n<\/earlier>/);
    expect(table).not.toContain('cultist');
    // The newest recap is read anyway (as <previously>), not twice.
    expect(table.match(/The party reached the drowned abbey/g)).toHaveLength(1);
    expect(await prompt('gm', 'The cultist abbot')).toContain('The abbot paid the goblins; he is a cultist.');
    expect(await prompt('all', 'Something unrelated entirely')).not.toContain('<earlier>');
    // The newest recap is skipped by session, not by title: an earlier session of the same name is still read.
    await endedSession(t, 'The bridge', 'A quiet night at camp.', 'Nothing.');
    expect(await prompt('all', 'The party returns to the goblin bridge')).toMatch(/<earlier>\nThe bridge\nGoblins ambushed the party at the rope bridge\./);
  });

  it('fuses meaning-based matches from Vectorize where it is bound (typed fakes), players only in the party namespace part', async () => {
    const t = await setUpTable();
    const ford = await endedSession(t, 'The ford', 'A quiet crossing at the river.', 'The ferryman is a spy.');
    const upserts: { id: string; namespace?: string; metadata?: Record<string, string | number> }[] = [];
    const queries: { namespace?: string; filter?: Record<string, unknown> }[] = [];
    const ai: EmbeddingAi = { run: async (_m, input) => ({ data: input.text.map(() => [0.1, 0.2, 0.3]) }) };
    const index: VectorIndex = {
      upsert: async (v) => { upserts.push(...v); return {}; },
      query: async (_v, options) => {
        queries.push(options);
        const audiences = options.filter ? ['party'] : ['party', 'gm'];
        return { matches: upserts.filter((u) => u.namespace === options.namespace && audiences.includes(String(u.metadata?.audience))).map((u) => ({ id: u.id, score: 0.9, metadata: u.metadata })) };
      },
      deleteByIds: async () => ({}),
    };
    const bound = { ...env, AI: ai, VECTORIZE: index } as unknown as Env;
    const row = { id: ford, campaignId: t.campaignId, title: 'The ford', recap: 'A quiet crossing at the river.', gmRecap: 'The ferryman is a spy.' };
    await indexRecapVectors(systemScope(bound), row);
    expect(upserts.map((u) => [u.id, u.namespace])).toEqual([[`recap:${ford}:party`, `recaps:${t.campaignId}`], [`recap:${ford}:gm`, `recaps:${t.campaignId}`]]);
    const as = (userId: string) => systemScope(bound, { principal: { userId, email: '', displayName: 'x', via: 'access-token' } });
    // No shared word with "stream", found by meaning; the player's query asks only for the party's vectors.
    const player = await searchRecaps(as(t.player.id), t.campaignId, { q: 'stream' });
    expect(player).toEqual({ semantic: true, items: [{ sessionId: ford, title: 'The ford', endedAt: expect.any(String), snippet: 'A quiet crossing at the river.' }] });
    expect(queries[0]).toMatchObject({ namespace: `recaps:${t.campaignId}`, filter: { audience: 'party' } });
    const gm = await searchRecaps(as(t.gm.id), t.campaignId, { q: 'stream' });
    expect(gm.items[0]!.snippet).toBe('The ferryman is a spy.');
    expect(queries[1]!.filter).toBeUndefined();
  });
});
