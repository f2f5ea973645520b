/**
 * Walks every API route as anonymous, as the GM of another campaign, as
 * spectator, player and GM, and asserts the exact status of each. Another
 * tenant's ids answer 404. A coverage check fails when a route is added to
 * the OpenAPI document without a row here.
 */
import { describe, expect, it } from 'vitest';
import { call, registerUser, setUpTable, type Table, type TestUser } from '../support/api';
import { fixture, uploadPdf, waitForIngestion } from '../support/rulebooks';

type Who = 'anon' | 'outsider' | 'spectator' | 'player' | 'gm';
const WHO: Who[] = ['anon', 'outsider', 'spectator', 'player', 'gm'];

interface Row {
  method: string;
  /** OpenAPI path template. */
  path: string;
  /** Fills path params (fresh resources for each caller, so destructive calls do not affect the next). */
  params?: (t: Table, who: Who) => Promise<Record<string, string>>;
  body?: (t: Table, p: Record<string, string>) => unknown;
  /** Send test/fixtures/one-page.pdf as the body instead of JSON. */
  pdf?: boolean;
  expect: Record<Who, number>;
}

const s = (anon: number, outsider: number, spectator: number, player: number, gm: number): Record<Who, number> => ({ anon, outsider, spectator, player, gm });
const READ = s(401, 404, 200, 200, 200);
const GM_WRITE = (ok: number) => s(401, 404, 403, 403, ok);
const PLAYER_WRITE = (ok: number) => s(401, 404, 403, ok, ok);

const post = (t: Table, path: string, token: string, body: unknown) => call('POST', `/api/campaigns/${t.campaignId}${path}`, { token, body });
const character = async (t: Table) => ({ id: (await post(t, '/characters', t.player.token, { name: 'PC' })).body.id as string });
const lore = (kind: string) => async (t: Table) => ({ id: (await post(t, `/${kind}`, t.gm.token, { name: `A ${kind}` })).body.id as string });
const playerNote = async (t: Table) => ({ id: (await post(t, '/notes', t.player.token, { title: 'Mine' })).body.id as string });
const fact = async (t: Table) => ({ factId: (await post(t, '/facts', t.gm.token, { text: 'Sildar was rescued' })).body.id as string });
const partyNote = async (t: Table) => ({ id: (await post(t, '/notes', t.gm.token, { title: 'For all' })).body.id as string });
const relationship = async (t: Table) => {
  const npc = await lore('npcs')(t);
  const pc = await character(t);
  await call('PUT', `/api/campaigns/${t.campaignId}/npcs/${npc.id}/relationships/${pc.id}`, { token: t.gm.token, body: { score: 10 } });
  return { id: npc.id, characterId: pc.id };
};
const characterRevision = async (t: Table) => {
  const pc = await character(t);
  await call('PATCH', `/api/campaigns/${t.campaignId}/characters/${pc.id}`, { token: t.player.token, body: { name: 'Renamed' } });
  const list = await call('GET', `/api/campaigns/${t.campaignId}/revisions?entityType=character&entityId=${pc.id}`, { token: t.gm.token });
  return { revisionId: list.body.items[0].id as string };
};
const scheduledSession = async (t: Table) => ({ sessionId: (await post(t, '/sessions', t.gm.token, { title: 'Session 1' })).body.id as string });
/** One live session per table (a campaign may only have a few), shared by every caller of a row. */
const liveSessions = new WeakMap<Table, Promise<{ sessionId: string }>>();
const liveSession = (t: Table) => {
  if (!liveSessions.has(t)) {
    liveSessions.set(t, (async () => {
      const { sessionId } = await scheduledSession(t);
      const started = await call('POST', `/api/sessions/${sessionId}/start`, { token: t.gm.token });
      if (started.status !== 200) throw new Error(`start failed: ${started.status}`);
      return { sessionId };
    })());
  }
  return liveSessions.get(t)!;
};
/** One ingested rulebook per table, shared by the callers of a row. */
const books = new WeakMap<Table, Promise<{ id: string }>>();
const rulebook = (t: Table) => {
  if (!books.has(t)) {
    books.set(t, (async () => {
      const up = await uploadPdf(t.gm, t.campaignId, fixture('one-page.pdf'));
      await waitForIngestion(t.gm, t.campaignId, up.body.id);
      return { id: up.body.id as string };
    })());
  }
  return books.get(t)!;
};
const inviteCode = async (t: Table) => ({ code: (await post(t, '/invites', t.gm.token, { maxUses: 5 })).body.code as string });

const loreRows = (kind: string): Row[] => [
  { method: 'get', path: `/api/campaigns/{campaignId}/${kind}`, expect: READ },
  { method: 'post', path: `/api/campaigns/{campaignId}/${kind}`, body: () => ({ name: 'New' }), expect: GM_WRITE(201) },
  { method: 'get', path: `/api/campaigns/{campaignId}/${kind}/{id}`, params: lore(kind), expect: READ },
  { method: 'patch', path: `/api/campaigns/{campaignId}/${kind}/{id}`, params: lore(kind), body: () => ({ name: 'Edited' }), expect: GM_WRITE(200) },
  { method: 'delete', path: `/api/campaigns/{campaignId}/${kind}/{id}`, params: lore(kind), expect: GM_WRITE(204) },
];

const ROWS: Row[] = [
  { method: 'get', path: '/api/me', expect: s(401, 200, 200, 200, 200) },
  { method: 'get', path: '/api/me/api-keys', expect: s(401, 200, 200, 200, 200) },
  { method: 'post', path: '/api/me/api-keys', body: () => ({ name: 'k' }), expect: s(401, 201, 201, 201, 201) },
  {
    method: 'delete', path: '/api/me/api-keys/{id}',
    // Every caller tries to revoke the player's key: only the player can.
    params: async (t) => ({ id: (await call('POST', '/api/me/api-keys', { token: t.player.token, body: { name: 'p' } })).body.id }),
    expect: s(401, 404, 404, 204, 404),
  },
  { method: 'post', path: '/api/auth/logout', expect: s(401, 204, 204, 204, 204) },
  { method: 'get', path: '/api/campaigns', expect: s(401, 200, 200, 200, 200) },
  // Operators only (none of the matrix's callers is one: test/integration/admin.test.ts makes one).
  { method: 'get', path: '/api/admin/status', expect: s(401, 403, 403, 403, 403) },
  { method: 'get', path: '/api/admin/audit', expect: s(401, 403, 403, 403, 403) },
  { method: 'get', path: '/api/admin/backups', expect: s(401, 403, 403, 403, 403) },
  { method: 'post', path: '/api/admin/backups', expect: s(401, 403, 403, 403, 403) },
  { method: 'post', path: '/api/admin/cache/clear', expect: s(401, 403, 403, 403, 403) },
  { method: 'post', path: '/api/campaigns', body: () => ({ name: 'Mine' }), expect: s(401, 201, 201, 201, 201) },
  {
    method: 'post', path: '/api/campaigns/import', expect: s(401, 201, 201, 201, 201),
    body: () => ({
      format: 'lorekeeper.campaign', version: 1, schema: '0004_rules_index', campaign: { id: 'c1', name: 'Imported', gameSystem: 'dnd5e', setting: '', description: '' },
      members: [], characters: [], npcs: [], locations: [], plotThreads: [], relationships: [], notes: [], revisions: [], sessions: [], rulebooks: [], macros: [], safety: { lines: [], veils: [] },
    }),
  },
  { method: 'get', path: '/api/campaigns/{campaignId}', expect: READ },
  { method: 'patch', path: '/api/campaigns/{campaignId}', body: () => ({ name: 'Renamed' }), expect: GM_WRITE(200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/archive', expect: GM_WRITE(200) },
  {
    method: 'post', path: '/api/campaigns/{campaignId}/unarchive',
    params: async (t) => { await call('POST', `/api/campaigns/${t.campaignId}/archive`, { token: t.gm.token }); return {}; },
    expect: GM_WRITE(200),
  },
  { method: 'get', path: '/api/campaigns/{campaignId}/members', expect: READ },
  { method: 'patch', path: '/api/campaigns/{campaignId}/members/{userId}', params: async (t) => ({ userId: t.otherPlayer.id }), body: () => ({ role: 'spectator' }), expect: GM_WRITE(200) },
  { method: 'delete', path: '/api/campaigns/{campaignId}/members/{userId}', params: async (t) => ({ userId: t.otherPlayer.id }), expect: GM_WRITE(204) },
  { method: 'post', path: '/api/campaigns/{campaignId}/invites', body: () => ({}), expect: GM_WRITE(201) },
  { method: 'get', path: '/api/campaigns/{campaignId}/invites', expect: GM_WRITE(200) },
  { method: 'delete', path: '/api/campaigns/{campaignId}/invites/{id}', params: async (t) => ({ id: (await post(t, '/invites', t.gm.token, {})).body.id }), expect: GM_WRITE(204) },
  { method: 'post', path: '/api/invites/join', params: inviteCode, body: (_t, p) => ({ code: p.code }), expect: s(401, 201, 409, 409, 409) },
  { method: 'get', path: '/api/campaigns/{campaignId}/export', expect: GM_WRITE(200) },
  { method: 'get', path: '/api/campaigns/{campaignId}/characters', expect: READ },
  { method: 'post', path: '/api/campaigns/{campaignId}/characters', body: () => ({ name: 'New' }), expect: PLAYER_WRITE(201) },
  { method: 'get', path: '/api/campaigns/{campaignId}/characters/{id}', params: character, expect: READ },
  { method: 'patch', path: '/api/campaigns/{campaignId}/characters/{id}', params: character, body: () => ({ name: 'Edited' }), expect: PLAYER_WRITE(200) },
  { method: 'delete', path: '/api/campaigns/{campaignId}/characters/{id}', params: character, expect: PLAYER_WRITE(204) },
  { method: 'get', path: '/api/campaigns/{campaignId}/characters/{id}/export', params: character, expect: READ },
  { method: 'post', path: '/api/campaigns/{campaignId}/characters/import/foundry', body: () => ({ actor: { name: 'Imported', type: 'character', system: {} } }), expect: PLAYER_WRITE(201) },
  ...loreRows('npcs'),
  ...loreRows('locations'),
  ...loreRows('threads'),
  { method: 'get', path: '/api/campaigns/{campaignId}/npcs/{id}/relationships', params: relationship, expect: READ },
  { method: 'put', path: '/api/campaigns/{campaignId}/npcs/{id}/relationships/{characterId}', params: relationship, body: () => ({ score: 50 }), expect: GM_WRITE(200) },
  { method: 'delete', path: '/api/campaigns/{campaignId}/npcs/{id}/relationships/{characterId}', params: relationship, expect: GM_WRITE(204) },
  { method: 'get', path: '/api/campaigns/{campaignId}/notes', expect: READ },
  { method: 'post', path: '/api/campaigns/{campaignId}/notes', body: () => ({ title: 'New' }), expect: PLAYER_WRITE(201) },
  { method: 'get', path: '/api/campaigns/{campaignId}/notes/{id}', params: partyNote, expect: READ },
  { method: 'patch', path: '/api/campaigns/{campaignId}/notes/{id}', params: playerNote, body: () => ({ title: 'Edited' }), expect: PLAYER_WRITE(200) },
  { method: 'delete', path: '/api/campaigns/{campaignId}/notes/{id}', params: playerNote, expect: PLAYER_WRITE(204) },
  { method: 'post', path: '/api/campaigns/{campaignId}/sessions', body: () => ({ title: 'Next week' }), expect: GM_WRITE(201) },
  { method: 'get', path: '/api/campaigns/{campaignId}/sessions', expect: READ },
  { method: 'get', path: '/api/sessions/{sessionId}', params: scheduledSession, expect: READ },
  { method: 'patch', path: '/api/sessions/{sessionId}', params: scheduledSession, body: () => ({ title: 'Renamed' }), expect: GM_WRITE(200) },
  { method: 'post', path: '/api/sessions/{sessionId}/start', params: scheduledSession, expect: GM_WRITE(200) },
  { method: 'post', path: '/api/sessions/{sessionId}/end', params: liveSession, expect: GM_WRITE(200) },
  { method: 'get', path: '/api/sessions/{sessionId}/messages', params: liveSession, expect: READ },
  { method: 'post', path: '/api/sessions/{sessionId}/messages', params: liveSession, body: () => ({ type: 'chat', text: 'hello' }), expect: PLAYER_WRITE(201) },
  { method: 'post', path: '/api/sessions/{sessionId}/tickets', params: liveSession, expect: s(401, 404, 201, 201, 201) },
  // Macros are each player's own: listing shows only yours; spectators have none.
  { method: 'get', path: '/api/campaigns/{campaignId}/macros', expect: PLAYER_WRITE(200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/macros', body: () => ({ name: `m${Math.random().toString(36).slice(2, 8)}`, expression: '1d20+@dex' }), expect: PLAYER_WRITE(201) },
  {
    method: 'delete', path: '/api/campaigns/{campaignId}/macros/{id}',
    // Every caller tries to delete the player's macro: only the player can (it is nobody else's, not even the GM's).
    params: async (t) => ({ id: (await post(t, '/macros', t.player.token, { name: `p${Math.random().toString(36).slice(2, 8)}`, expression: '1d6' })).body.id }),
    expect: s(401, 404, 403, 204, 404),
  },
  { method: 'get', path: '/api/campaigns/{campaignId}/safety', expect: READ },
  { method: 'post', path: '/api/campaigns/{campaignId}/safety', body: () => ({ kind: 'veil', text: 'spiders' }), expect: PLAYER_WRITE(200) },
  { method: 'put', path: '/api/campaigns/{campaignId}/safety', body: () => ({ lines: ['gore'], veils: [] }), expect: GM_WRITE(200) },
  { method: 'get', path: '/api/campaigns/{campaignId}/ai/usage', expect: GM_WRITE(200) },
  { method: 'get', path: '/api/campaigns/{campaignId}/narrator', expect: READ },
  { method: 'get', path: '/api/campaigns/{campaignId}/facts', expect: READ },
  { method: 'get', path: '/api/campaigns/{campaignId}/recaps?q=goblin', expect: READ },
  { method: 'get', path: '/api/campaigns/{campaignId}/players/{userId}/profile', params: async (t) => ({ userId: t.player.id }), expect: s(401, 404, 404, 200, 200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/profile/reset', expect: s(401, 404, 200, 200, 200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/facts', body: () => ({ text: 'The mayor owes the party 50 gp' }), expect: GM_WRITE(201) },
  { method: 'patch', path: '/api/campaigns/{campaignId}/facts/{factId}', params: fact, body: () => ({ status: 'retracted' }), expect: GM_WRITE(200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/generate/character', body: () => ({ className: 'wizard' }), expect: PLAYER_WRITE(200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/rules/judge', body: () => ({ text: 'A homebrew sword that deals 3d6 fire damage' }), expect: PLAYER_WRITE(200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/generate/npc', body: () => ({ role: 'smith' }), expect: GM_WRITE(200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/generate/location', body: () => ({ kind: 'cave' }), expect: GM_WRITE(200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/generate/encounter', body: () => ({ partyLevels: [3, 3, 3, 3], monsters: [{ name: 'Goblin', cr: '1/4' }] }), expect: GM_WRITE(200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/speech', body: () => ({ text: 'Hello' }), expect: s(401, 404, 403, 403, 409) },
  { method: 'get', path: '/api/campaigns/{campaignId}/audio/{audioId}', params: async () => ({ audioId: 'a'.repeat(64) }), expect: s(401, 404, 404, 404, 404) },
  { method: 'put', path: '/api/campaigns/{campaignId}/narrator', body: () => ({ stylePreset: 'horror' }), expect: GM_WRITE(200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/rulebooks', pdf: true, expect: GM_WRITE(202) },
  { method: 'get', path: '/api/campaigns/{campaignId}/rulebooks', expect: READ },
  { method: 'get', path: '/api/campaigns/{campaignId}/rulebooks/{id}', params: rulebook, expect: READ },
  { method: 'patch', path: '/api/campaigns/{campaignId}/rulebooks/{id}', params: rulebook, body: () => ({ title: 'Renamed' }), expect: GM_WRITE(200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/rulebooks/{id}/reindex', params: rulebook, expect: GM_WRITE(202) },
  { method: 'delete', path: '/api/campaigns/{campaignId}/rulebooks/{id}', params: rulebook, expect: GM_WRITE(204) },
  { method: 'get', path: '/api/campaigns/{campaignId}/rules/search?q=grapple', expect: READ },
  { method: 'get', path: '/api/campaigns/{campaignId}/rules/analytics', expect: GM_WRITE(200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/rules/answer', body: () => ({ question: 'how does grappling work' }), expect: READ },
  { method: 'post', path: '/api/campaigns/{campaignId}/rules/check', body: () => ({ text: 'Cure Wounds' }), expect: READ },
  { method: 'get', path: '/api/campaigns/{campaignId}/revisions', expect: GM_WRITE(200) },
  { method: 'get', path: '/api/campaigns/{campaignId}/revisions/{revisionId}', params: characterRevision, expect: s(401, 404, 404, 200, 200) },
  { method: 'get', path: '/api/campaigns/{campaignId}/revisions/{revisionId}/diff', params: characterRevision, expect: s(401, 404, 404, 200, 200) },
  { method: 'post', path: '/api/campaigns/{campaignId}/revisions/{revisionId}/restore', params: characterRevision, expect: PLAYER_WRITE(200) },
];

/** Public routes, and the ticket-authenticated WebSocket (test/integration/session-socket.test.ts), outside the matrix. */
const PUBLIC = new Set([
  'post /api/auth/register', 'post /api/auth/login', 'post /api/auth/refresh', 'get /api/client-config', 'get /health', 'get /health/ready', 'get /health/live',
  'get /api/sessions/{sessionId}/ws', 'get /api/files/rulebooks/{id}',
  // Its own token, not an account (test/integration/metrics.test.ts).
  'get /metrics',
]);

function tokenOf(t: Table, who: Who, fresh: Record<Who, TestUser | undefined>): string | undefined {
  if (who === 'anon') return undefined;
  // Logout and key creation affect the caller's own session: use a fresh sign-in for them.
  const user = fresh[who] ?? (who === 'outsider' ? t.otherGm : t[who]);
  return user.token;
}

describe('authorisation matrix', () => {
  it('covers every route of the OpenAPI document', async () => {
    const doc = await call('GET', '/api/openapi.json');
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
      .filter((r) => !PUBLIC.has(r));
    const covered = new Set(ROWS.map((r) => `${r.method} ${r.path.split('?')[0]}`));
    expect(documented.filter((r) => !covered.has(r))).toEqual([]);
    expect([...covered].filter((r) => !documented.includes(r))).toEqual([]);
  });

  for (const row of ROWS) {
    it(`${row.method.toUpperCase()} ${row.path}`, async () => {
      const t = await setUpTable();
      const seen: Record<string, number> = {};
      for (const who of WHO) {
        const fresh: Record<Who, TestUser | undefined> = { anon: undefined, outsider: undefined, spectator: undefined, player: undefined, gm: undefined };
        if (row.path === '/api/auth/logout' && who !== 'anon') fresh[who] = await registerUser(who);
        const params = { campaignId: t.campaignId, ...(row.params ? await row.params(t, who) : {}) };
        const path = row.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name as keyof typeof params] ?? `missing-${name}`);
        const token = tokenOf(t, who, fresh);
        const res = row.pdf
          ? await uploadPdf({ token } as TestUser, t.campaignId, fixture('one-page.pdf'))
          : await call(row.method.toUpperCase(), path, { token, body: row.body?.(t, params) ?? (row.method === 'get' || row.method === 'delete' ? undefined : {}) });
        seen[who] = res.status;
        if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
      expect(seen).toEqual(row.expect);
    });
  }
});

describe('cross-tenant ids', () => {
  it("another campaign's records answer 404 even under a campaign the caller runs", async () => {
    const t = await setUpTable();
    const pc = await character(t);
    const npc = await lore('npcs')(t);
    const note = await partyNote(t);
    const rev = await characterRevision(t);
    const mine = `/api/campaigns/${t.otherCampaignId}`;
    const token = t.otherGm.token;
    for (const [method, path, body] of [
      ['GET', `${mine}/characters/${pc.id}`],
      ['PATCH', `${mine}/characters/${pc.id}`, { name: 'hijack' }],
      ['DELETE', `${mine}/characters/${pc.id}`],
      ['GET', `${mine}/npcs/${npc.id}`],
      ['PATCH', `${mine}/npcs/${npc.id}`, { name: 'hijack' }],
      ['GET', `${mine}/notes/${note.id}`],
      ['GET', `${mine}/revisions/${rev.revisionId}`],
      ['POST', `${mine}/revisions/${rev.revisionId}/restore`],
      ['PUT', `${mine}/npcs/${npc.id}/relationships/${pc.id}`, { score: 1 }],
      ['PATCH', `${mine}/members/${t.player.id}`, { role: 'gm' }],
    ] as const) {
      const res = await call(method, path, { token, body });
      expect(`${method} ${path} → ${res.status}`).toBe(`${method} ${path} → 404`);
    }
    // And nothing changed.
    expect((await call('GET', `/api/campaigns/${t.campaignId}/characters/${pc.id}`, { token: t.gm.token })).body.name).toBe('PC');
  });
});
