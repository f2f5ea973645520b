/**
 * Throws malformed and hostile input at every documented route that takes a
 * body or query, as the campaign's GM (the role that passes authorisation
 * everywhere), and checks each answer is a 4xx problem, never a 5xx, and
 * that nothing half-written is left behind.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, setUpTable } from '../support/api';

const BAD_BODIES: unknown[] = [
  null, [], 'text', 42, true,
  { name: null, title: ['x'], score: 'high', role: 'emperor', code: { $gt: '' } },
  { name: 'x'.repeat(5000), title: 'y'.repeat(5000), body: 123, visibility: 'everyone' },
  { sheet: { abilities: { str: 1e308 } }, data: 'not an object', gmOnly: [1, 2], version: -1 },
  { email: 'a@b.c', password: 'p'.repeat(300), displayName: '' },
  { __proto__: { admin: true }, constructor: { prototype: { admin: true } } },
  JSON.parse('{"a":' + '['.repeat(500) + ']'.repeat(500) + '}'),
];
const RAW_BODIES = ['{', '{"name":', 'null null', '\u0000\u0001', '{"name":"\\ud800"}', '{"title":"ok","name":"\\udc00 lone"}', '[1,2,'];

describe('bad input never causes a 5xx', () => {
  it('every body-taking route answers malformed bodies with a 4xx problem', async () => {
    const t = await setUpTable();
    const doc = await call('GET', '/api/openapi.json');
    const pc = await call('POST', `/api/campaigns/${t.campaignId}/characters`, { token: t.gm.token, body: { name: 'PC' } });
    const npc = await call('POST', `/api/campaigns/${t.campaignId}/npcs`, { token: t.gm.token, body: { name: 'NPC' } });
    const ids: Record<string, string> = { campaignId: t.campaignId, id: npc.body.id, characterId: pc.body.id, userId: t.player.id, revisionId: crypto.randomUUID() };
    const failures: string[] = [];
    const before = await env.DB.prepare('SELECT (SELECT count(*) FROM revisions) AS r, (SELECT count(*) FROM characters) AS c').first<{ r: number; c: number }>();

    for (const [template, ops] of Object.entries(doc.body.paths as Record<string, Record<string, { requestBody?: unknown }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!op.requestBody || template.startsWith('/api/auth/logout')) continue;
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? crypto.randomUUID());
        const attempts = [
          ...BAD_BODIES.map((body) => call(method.toUpperCase(), path, { token: t.gm.token, body })),
          ...RAW_BODIES.map((rawBody) => call(method.toUpperCase(), path, { token: t.gm.token, rawBody, headers: { 'content-type': 'application/json' } })),
        ];
        for (const res of await Promise.all(attempts)) {
          const ok = res.status >= 400 && res.status < 500 && (res.headers.get('content-type') ?? '').includes('problem+json');
          if (!ok) failures.push(`${method.toUpperCase()} ${template} → ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    const after = await env.DB.prepare('SELECT (SELECT count(*) FROM revisions) AS r, (SELECT count(*) FROM characters) AS c').first<{ r: number; c: number }>();
    expect(after).toEqual(before);
  });

  it('hostile query strings get 4xx problems', async () => {
    const t = await setUpTable();
    for (const query of ['limit=-1', 'limit=abc', 'limit=100000', 'offset=-5', 'entityType=dragon', 'entityId=..%2F..%2Fetc', 'category=%00']) {
      const res = await call('GET', `/api/campaigns/${t.campaignId}/revisions?${query}`, { token: t.gm.token });
      const notes = await call('GET', `/api/campaigns/${t.campaignId}/notes?${query}`, { token: t.gm.token });
      for (const r of [res, notes]) {
        expect(r.status === 200 || (r.status >= 400 && r.status < 500)).toBe(true);
      }
    }
  });
});
