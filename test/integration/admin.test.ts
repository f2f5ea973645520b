/** Operator views: platform status and the audit log, for operators only. */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, isProblem, registerUser, setUpTable, type Table, type TestUser } from '../support/api';

let t: Table;
let operator: TestUser;
beforeAll(async () => {
  t = await setUpTable();
  operator = await registerUser('operator');
  // What `npm run operator -- --email …` does.
  await env.DB.prepare('UPDATE users SET is_operator = 1 WHERE id = ?').bind(operator.id).run();
});

describe('operator views', () => {
  it('shows the platform status to an operator', async () => {
    const res = await call('GET', '/api/admin/status', { token: operator.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ environment: 'test', release: null, queues: { ingest: { rulebooksWaiting: 0, pagesRemaining: 0 }, backup: { running: null } }, health: { components: { d1: { status: 'ok' } } }, backups: { enabled: true, last: null, lastSuccessful: null } });
    expect(res.body.counts.users).toBeGreaterThanOrEqual(7);
    expect(res.body.counts.campaigns).toBeGreaterThanOrEqual(2);
  });

  it('filters the audit log', async () => {
    const all = await call('GET', '/api/admin/audit?limit=200', { token: operator.token });
    expect(all.body.items.length).toBeGreaterThan(5);
    const joins = await call('GET', `/api/admin/audit?type=member.join&campaignId=${t.campaignId}`, { token: operator.token });
    expect(joins.body.items).toHaveLength(3);
    expect(joins.body.items.every((e: { type: string; campaignId: string }) => e.type === 'member.join' && e.campaignId === t.campaignId)).toBe(true);
    expect(isProblem(await call('GET', '/api/admin/audit?since=yesterday', { token: operator.token }), 400)).toBe(true);
  });

  it('clears every cache: the next content check is computed afresh', async () => {
    const check = () => call('POST', `/api/campaigns/${t.campaignId}/rules/check`, { token: t.gm.token, body: { text: 'I cast Cure Wounds on the Goblin' } });
    await check();
    // The Cache API write is deferred; give it a moment.
    await new Promise((r) => setTimeout(r, 50));
    expect((await check()).body.cached).toBe(true);
    expect(isProblem(await call('POST', '/api/admin/cache/clear', { token: t.gm.token }), 403)).toBe(true);
    const cleared = await call('POST', '/api/admin/cache/clear', { token: operator.token });
    expect(cleared.status).toBe(200);
    expect((await call('POST', '/api/admin/cache/clear', { token: operator.token })).body.generation).toBe(cleared.body.generation + 1);
    expect((await check()).body.cached).toBe(false);
    const audited = await call('GET', '/api/admin/audit?type=cache.clear', { token: operator.token });
    expect(audited.body.items).toHaveLength(2);
  });

  it('is closed to everyone else, GMs included', async () => {
    expect(isProblem(await call('GET', '/api/admin/status', { token: t.gm.token }), 403)).toBe(true);
    expect(isProblem(await call('GET', '/api/admin/audit', { token: t.player.token }), 403)).toBe(true);
    expect(isProblem(await call('GET', '/api/admin/status'), 401)).toBe(true);
  });
});
